import { describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../core/account.js';
import type { ClientProtocol } from '../../core/client-protocol.js';
import type { JsonObject } from '../../core/json.js';
import { clientProtocol } from '../../protocols/registry.js';
import { CodeAssistContext } from '../../providers/code-assist/code-assist-context.js';
import { createProviderRegistry } from '../../providers/registry.js';
import { createTranslation } from './translation.js';

const providers = createProviderRegistry({ codeAssist: new CodeAssistContext() });

/** The client's JSON answer for an upstream JSON answer, through a translation built as an attempt builds it. */
function translateAnswer(options: {
  protocol: ClientProtocol;
  provider: ProviderKind;
  body: JsonObject;
  answer: unknown;
}): unknown {
  const codec = providers.get(options.provider)?.codec;
  if (!codec) throw new Error(`no codec for ${options.provider}`);
  const translation = createTranslation({
    decoded: clientProtocol(options.protocol).decode(options.body, { model: 'client-model', stream: false }),
    codec,
    model: 'upstream-model',
    stream: false,
    context: { id: 'answer-1', model: 'client-model', now: 1_767_225_600_000 },
    onWarnings: () => {},
  });
  return JSON.parse(translation.translateJson(options.answer).toString('utf8'));
}

const anthropicAnswer = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [
    { type: 'text', text: 'Seven.' },
    { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'prime' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 2 },
};

const openAIAnswer = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_767_225_600,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Seven.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"prime"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 2 } },
};

/**
 * `value` with an unknown field added to every object of the protocol in it (answers grow new fields
 * over time); a tool's `input` is the model's data and stays as it is.
 */
function withUnknownFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUnknownFields);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = { future_field: { nested: [1, 'two'] } };
  for (const [key, field] of Object.entries(value)) {
    copy[key] = key === 'input' ? field : withUnknownFields(field);
  }
  return copy;
}

describe('translating a JSON answer with fields the parser does not know', () => {
  it('an Anthropic answer reaches an OpenAI Chat client as without them', () => {
    const translate = (answer: unknown) =>
      translateAnswer({
        protocol: 'openai-chat',
        provider: 'anthropic',
        body: { model: 'client-model', messages: [{ role: 'user', content: 'a prime?' }] },
        answer,
      });
    const translated = translate(withUnknownFields(anthropicAnswer));
    expect(translated).toEqual(translate(anthropicAnswer));
    expect(translated).toMatchObject({
      object: 'chat.completion',
      choices: [
        {
          message: {
            role: 'assistant',
            content: 'Seven.',
            tool_calls: [{ id: 'toolu_1', function: { name: 'lookup', arguments: '{"q":"prime"}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 4 },
    });
    expect(JSON.stringify(translated)).not.toContain('future_field');
  });

  it('an OpenAI Chat answer reaches an Anthropic client as without them', () => {
    const translate = (answer: unknown) =>
      translateAnswer({
        protocol: 'anthropic-messages',
        provider: 'openai',
        body: { model: 'client-model', max_tokens: 32, messages: [{ role: 'user', content: 'a prime?' }] },
        answer,
      });
    const translated = translate(withUnknownFields(openAIAnswer));
    expect(translated).toEqual(translate(openAIAnswer));
    expect(translated).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'text', text: 'Seven.' },
        { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'prime' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 2 },
    });
    expect(JSON.stringify(translated)).not.toContain('future_field');
  });
});

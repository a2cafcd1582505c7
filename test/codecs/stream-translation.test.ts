import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectStream } from '../../src/core/model/collect-stream.js';
import { parseSseText } from '../../src/core/model/parse-sse-text.js';
import type { StreamEvent } from '../../src/core/model/stream-event.js';
import { createAnthropicStreamEncoder } from '../../src/protocols/anthropic-messages/anthropic-stream-encoder.js';
import { createOpenAIChatStreamEncoder } from '../../src/protocols/openai-chat/openai-chat-stream-encoder.js';
import { createAnthropicStreamDecoder } from '../../src/providers/anthropic/anthropic-stream-decoder.js';
import { createOpenAIChatStreamDecoder } from '../../src/providers/openai/openai-chat-stream-decoder.js';

/** The gateway passes its clock's time; Anthropic streams carry no creation time. */
const NOW = Date.UTC(2026, 0, 1);

function fixture(path: string): string {
  return readFileSync(new URL(`../../src/providers/${path}`, import.meta.url), 'utf8');
}

function decodeWith(
  decoder: { push(event: { data: string }): StreamEvent[]; end(): StreamEvent[] },
  sse: string,
) {
  return [...parseSseText(sse).flatMap((event) => decoder.push(event)), ...decoder.end()];
}

/** Upstream SSE → canonical events → client SSE, the way the gateway translates a stream. */
function translate(options: {
  upstream: string;
  from: 'anthropic' | 'openai';
  to: 'anthropic' | 'openai';
}): string {
  const decoder =
    options.from === 'anthropic' ? createAnthropicStreamDecoder() : createOpenAIChatStreamDecoder();
  const encoder =
    options.to === 'anthropic'
      ? createAnthropicStreamEncoder()
      : createOpenAIChatStreamEncoder({ includeUsage: true, now: NOW });
  return decodeWith(decoder, options.upstream)
    .map((event) => encoder.encode(event))
    .join('');
}

interface OpenAIChunk {
  choices: Array<{
    delta: {
      content?: string;
      reasoning_content?: string;
      tool_calls?: Array<{ index: number; id?: string; function: { name?: string; arguments: string } }>;
    };
    finish_reason: string | null;
  }>;
  usage?: Record<string, unknown>;
}

describe('a recorded Anthropic stream translated for an OpenAI Chat client', () => {
  const sse = translate({
    upstream: fixture('anthropic/__fixtures__/anthropic-stream-thinking-tool-use.sse'),
    from: 'anthropic',
    to: 'openai',
  });
  const events = parseSseText(sse);
  const chunks = events
    .filter((event) => event.data !== '[DONE]')
    .map((event) => JSON.parse(event.data) as OpenAIChunk);
  const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));

  it('carries the text and the reasoning', () => {
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe("I'll check both cities.");
    expect(deltas.map((delta) => delta.reasoning_content ?? '').join('')).toBe(
      'The user wants the weatherin two cities, so I should callget_weather twice.',
    );
  });

  it('carries both tool calls with their ids, names and complete arguments, by index', () => {
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    for (const call of deltas.flatMap((delta) => delta.tool_calls ?? [])) {
      const current = calls.get(call.index) ?? { arguments: '' };
      if (call.id) current.id = call.id;
      if (call.function.name) current.name = call.function.name;
      current.arguments += call.function.arguments;
      calls.set(call.index, current);
    }
    expect([...calls.entries()]).toEqual([
      [
        0,
        {
          id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
          name: 'get_weather',
          arguments: '{"location": "San Francisco, CA", "unit": "celsius"}',
        },
      ],
      [1, { id: 'toolu_01AbCdEfGhIjKlMnOpQrStUv', name: 'get_weather', arguments: '{"location": "Paris"}' }],
    ]);
  });

  it('ends with finish_reason tool_calls, the usage chunk and [DONE]', () => {
    expect(
      chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).filter(Boolean),
    ).toEqual(['tool_calls']);
    expect(chunks.at(-1)?.usage).toEqual({
      prompt_tokens: 472 + 1024 + 8192,
      completion_tokens: 189,
      total_tokens: 472 + 1024 + 8192 + 189,
      prompt_tokens_details: { cached_tokens: 8192 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  it('reads back as the same response, minus what Chat Completions cannot carry (signature, cache writes)', () => {
    const original = collectStream(
      decodeWith(
        createAnthropicStreamDecoder(),
        fixture('anthropic/__fixtures__/anthropic-stream-thinking-tool-use.sse'),
      ),
    );
    const roundTripped = collectStream(decodeWith(createOpenAIChatStreamDecoder(), sse));
    const { signature: _signature, ...reasoning } = original.content[0] as { signature?: string };
    expect(roundTripped).toEqual({
      ...original,
      createdAt: NOW,
      content: [reasoning, ...original.content.slice(1)],
      usage: { ...original.usage, cacheWriteTokens: 0 },
    });
  });
});

describe('a recorded OpenAI stream translated for an Anthropic client', () => {
  const sse = translate({
    upstream: fixture('openai/__fixtures__/openai-chat-stream-parallel-tools.sse'),
    from: 'openai',
    to: 'anthropic',
  });
  const events = parseSseText(sse).map((event) => ({ event: event.event, data: JSON.parse(event.data) }));

  it('writes one tool_use block per parallel call, with the streamed arguments', () => {
    const starts = events
      .filter((event) => event.event === 'content_block_start')
      .map((event) => event.data.content_block);
    expect(starts).toEqual([
      { type: 'tool_use', id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather', input: {} },
      { type: 'tool_use', id: 'call_ABCDEFGHIJKLMNOPQRSTUVWX', name: 'get_weather', input: {} },
    ]);
    const argumentsOf = (index: number) =>
      events
        .filter((event) => event.event === 'content_block_delta' && event.data.index === index)
        .map((event) => event.data.delta.partial_json)
        .join('');
    expect(argumentsOf(0)).toBe('{"location": "San Francisco, CA"}');
    expect(argumentsOf(1)).toBe('{"location": "Paris"}');
  });

  it('ends with stop_reason tool_use and Anthropic usage (cache reads apart from input)', () => {
    expect(events.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 2006 - 1920,
        output_tokens: 52,
        cache_read_input_tokens: 1920,
        cache_creation_input_tokens: 0,
      },
    });
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(events[0]?.data.message).toMatchObject({
      id: 'chatcmpl-CDgB1kXb9QwQzTn2L0xF8u3dA7pYe',
      model: 'gpt-4.1-2025-04-14',
    });
  });
});

describe('in-stream errors cross protocols', () => {
  it('an Anthropic overloaded error becomes an OpenAI error object, with no finish', () => {
    const sse = translate({
      upstream: fixture('anthropic/__fixtures__/anthropic-stream-error.sse'),
      from: 'anthropic',
      to: 'openai',
    });
    const last = parseSseText(sse).at(-1);
    expect(JSON.parse(last?.data ?? '{}')).toEqual({
      error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: null },
    });
    expect(sse).not.toContain('[DONE]');
  });

  it('an OpenAI server error becomes an Anthropic error event, with no message_stop', () => {
    const sse = translate({
      upstream: fixture('openai/__fixtures__/openai-chat-stream-error.sse'),
      from: 'openai',
      to: 'anthropic',
    });
    const last = parseSseText(sse).at(-1);
    expect(last?.event).toBe('error');
    expect(JSON.parse(last?.data ?? '{}')).toEqual({
      type: 'error',
      error: {
        type: 'server_error',
        message: 'The server had an error while processing your request. Sorry about that!',
      },
    });
    expect(sse).not.toContain('message_stop');
  });
});

import { describe, expect, it } from 'vitest';
import { emptyUsage } from '../../core/model/canonical-response.js';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import {
  createOpenAIChatStreamEncoder,
  type OpenAIChatStreamEncoderOptions,
} from './openai-chat-stream-encoder.js';

function encodeAll(events: StreamEvent[], options: OpenAIChatStreamEncoderOptions = {}) {
  const encoder = createOpenAIChatStreamEncoder(options);
  return parseSseText(events.map((event) => encoder.encode(event)).join('')).map((event) =>
    event.data === '[DONE]' ? '[DONE]' : JSON.parse(event.data),
  );
}

const usage = { ...emptyUsage(), inputTokens: 100, cacheReadTokens: 80, outputTokens: 9, reasoningTokens: 3 };

describe('createOpenAIChatStreamEncoder', () => {
  it('writes a role chunk, content chunks, the finish chunk and [DONE]', () => {
    const chunks = encodeAll(
      [
        { type: 'response-metadata', id: 'msg_1', model: 'claude-x' },
        { type: 'text-start', id: '0' },
        { type: 'text-delta', id: '0', delta: 'Hel' },
        { type: 'text-delta', id: '0', delta: 'lo' },
        { type: 'text-end', id: '0' },
        { type: 'finish', finishReason: 'stop', usage },
      ],
      { now: 1_700_000_000_000 },
    );
    expect(chunks.map((chunk) => (chunk === '[DONE]' ? chunk : chunk.choices[0]))).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: 'Hel' }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: 'lo' }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'stop' },
      '[DONE]',
    ]);
    expect(chunks[0]).toMatchObject({
      id: 'msg_1',
      object: 'chat.completion.chunk',
      model: 'claude-x',
      created: 1_700_000_000,
    });
  });

  it('adds the usage chunk before [DONE] when the client asked for it', () => {
    const chunks = encodeAll([{ type: 'finish', finishReason: 'stop', usage }], { includeUsage: true });
    expect(chunks.at(-2)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 9,
        total_tokens: 109,
        prompt_tokens_details: { cached_tokens: 80 },
        completion_tokens_details: { reasoning_tokens: 3 },
      },
    });
    expect(chunks.at(-1)).toBe('[DONE]');
  });

  it('numbers parallel tool calls by index and streams their arguments', () => {
    const chunks = encodeAll([
      { type: 'tool-input-start', id: 'toolu_a', name: 'f' },
      { type: 'tool-input-delta', id: 'toolu_a', delta: '{"x":' },
      { type: 'tool-input-delta', id: 'toolu_a', delta: '1}' },
      { type: 'tool-input-end', id: 'toolu_a' },
      { type: 'tool-call', id: 'toolu_a', name: 'f', input: '{"x":1}' },
      { type: 'tool-call', id: 'toolu_b', name: 'g', input: '{}' },
      { type: 'finish', finishReason: 'tool-calls', usage },
    ]);
    expect(chunks.slice(1, -1).map((chunk) => chunk.choices[0].delta)).toEqual([
      { tool_calls: [{ index: 0, id: 'toolu_a', type: 'function', function: { name: 'f', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '1}' } }] },
      {
        tool_calls: [{ index: 1, id: 'toolu_b', type: 'function', function: { name: 'g', arguments: '{}' } }],
      },
      {},
    ]);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
  });

  it('writes reasoning as reasoning_content', () => {
    const chunks = encodeAll([{ type: 'reasoning-delta', id: 'r', delta: 'think' }]);
    expect(chunks[1].choices[0].delta).toEqual({ reasoning_content: 'think' });
  });

  it('renders an error event as an OpenAI error object', () => {
    const encoder = createOpenAIChatStreamEncoder();
    expect(
      encoder.encode({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ).toBe('data: {"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}}\n\n');
  });
});

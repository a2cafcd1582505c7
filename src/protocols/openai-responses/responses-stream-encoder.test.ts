import { describe, expect, it } from 'vitest';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import type { ResponsesEncodeOptions } from './encode-responses-output.js';
import { createResponsesStreamEncoder } from './responses-stream-encoder.js';

const usage = {
  inputTokens: 40,
  outputTokens: 12,
  cacheReadTokens: 32,
  cacheWriteTokens: 0,
  reasoningTokens: 4,
};
const base: ResponsesEncodeOptions = { id: 'resp_1', createdAt: Date.UTC(2026, 0, 1) };

type Payload = Record<string, unknown>;

function encode(events: StreamEvent[], options: Partial<ResponsesEncodeOptions> = {}) {
  const encoder = createResponsesStreamEncoder({ ...base, ...options });
  const text = events.map((event) => encoder.encode(event)).join('');
  const sse = parseSseText(text);
  const payloads = sse.map((event) => JSON.parse(event.data) as Payload);
  return { sse, payloads, types: payloads.map((payload) => payload.type as string) };
}

const textStream: StreamEvent[] = [
  { type: 'response-metadata', id: 'msg_up', model: 'claude-sonnet-4-5' },
  { type: 'text-start', id: '0' },
  { type: 'text-delta', id: '0', delta: 'Hel' },
  { type: 'text-delta', id: '0', delta: 'lo' },
  { type: 'text-end', id: '0' },
  { type: 'finish', finishReason: 'stop', usage },
];

describe('createResponsesStreamEncoder', () => {
  it('writes the full event sequence of a text answer, numbered, each under its own event name', () => {
    const { sse, payloads, types } = encode(textStream);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(payloads.map((payload) => payload.sequence_number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sse.map((event) => event.event)).toEqual(types);
    expect(payloads[0]?.response).toMatchObject({
      id: 'resp_1',
      status: 'in_progress',
      output: [],
      usage: null,
    });
    expect(payloads[4]).toEqual({
      type: 'response.output_text.delta',
      sequence_number: 4,
      item_id: 'msg_1_0',
      output_index: 0,
      content_index: 0,
      delta: 'Hel',
      logprobs: [],
    });
    expect(payloads[6]).toMatchObject({ text: 'Hello' });
  });

  it('ends with the whole response: output items, usage and the upstream model', () => {
    const { payloads } = encode(textStream);
    expect(payloads.at(-1)?.response).toMatchObject({
      id: 'resp_1',
      status: 'completed',
      model: 'claude-sonnet-4-5',
      output: [
        {
          id: 'msg_1_0',
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hello', annotations: [], logprobs: [] }],
        },
      ],
      usage: {
        input_tokens: 40,
        input_tokens_details: { cached_tokens: 32 },
        output_tokens: 12,
        output_tokens_details: { reasoning_tokens: 4 },
        total_tokens: 52,
      },
    });
  });

  it('streams reasoning as summary text and adds encrypted content to its item when asked for', () => {
    const events: StreamEvent[] = [
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'Think' },
      { type: 'reasoning-delta', id: 'r', delta: 'ing' },
      { type: 'reasoning-end', id: 'r', signature: 'SIG' },
      { type: 'finish', finishReason: 'stop', usage },
    ];
    const { payloads, types } = encode(events, { includeEncryptedReasoning: true });
    expect(types.slice(2, -1)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
    ]);
    expect(payloads[2]?.item).toEqual({ id: 'rs_1_0', type: 'reasoning', summary: [] });
    expect(payloads[6]).toMatchObject({ item_id: 'rs_1_0', summary_index: 0, text: 'Thinking' });
    expect(payloads[8]?.item).toEqual({
      id: 'rs_1_0',
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Thinking' }],
      encrypted_content: expect.stringMatching(/^swy1\./),
    });
  });

  it('writes nothing for a signature-only reasoning block unless encrypted content was asked for', () => {
    const events: StreamEvent[] = [
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-end', id: 'r', signature: 'SIG' },
      { type: 'text-delta', id: 't', delta: 'x' },
    ];
    expect(encode(events).payloads[2]?.item).toMatchObject({ id: 'msg_1_0', type: 'message' });
    const asked = encode(events, { includeEncryptedReasoning: true });
    expect(asked.types.slice(2, 4)).toEqual(['response.output_item.added', 'response.output_item.done']);
    expect(asked.payloads[3]?.item).toMatchObject({ id: 'rs_1_0', summary: [] });
    expect(asked.payloads[4]?.item).toMatchObject({ id: 'msg_1_1' });
  });

  it('streams a function call with argument deltas and gives it back the client namespace and name', () => {
    const events: StreamEvent[] = [
      { type: 'tool-input-start', id: 'toolu_1', name: 'multi_agent_v1__wait_agent' },
      { type: 'tool-input-delta', id: 'toolu_1', delta: '{"ms":' },
      { type: 'tool-input-delta', id: 'toolu_1', delta: '10}' },
      { type: 'tool-input-end', id: 'toolu_1' },
      { type: 'tool-call', id: 'toolu_1', name: 'multi_agent_v1__wait_agent', input: '{"ms":10}' },
      { type: 'finish', finishReason: 'tool-calls', usage },
    ];
    const toolNames = { multi_agent_v1__wait_agent: { namespace: 'multi_agent_v1', name: 'wait_agent' } };
    const { payloads, types } = encode(events, { toolNames });
    expect(types.slice(2)).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(payloads[2]?.item).toEqual({
      id: 'fc_1_0',
      type: 'function_call',
      status: 'in_progress',
      call_id: 'toolu_1',
      name: 'wait_agent',
      namespace: 'multi_agent_v1',
      arguments: '',
    });
    expect(payloads[5]).toMatchObject({ item_id: 'fc_1_0', name: 'wait_agent', arguments: '{"ms":10}' });
    expect(payloads[6]?.item).toMatchObject({ status: 'completed', arguments: '{"ms":10}' });
  });

  it('writes a tool call that arrives whole as added, one delta, done', () => {
    const { payloads, types } = encode([
      { type: 'tool-call', id: 'call_9', name: 'exec_command', input: '{"cmd":"ls"}' },
    ]);
    expect(types.slice(2)).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
    ]);
    expect(payloads[3]).toMatchObject({ delta: '{"cmd":"ls"}' });
  });

  it('closes an open item when the next block starts, numbering outputs in order', () => {
    const { payloads } = encode([
      { type: 'text-start', id: 'a' },
      { type: 'text-delta', id: 'a', delta: 'one' },
      { type: 'text-start', id: 'b' },
      { type: 'text-delta', id: 'b', delta: 'two' },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
    expect(payloads.at(-1)?.response).toMatchObject({
      output: [
        { id: 'msg_1_0', content: [{ text: 'one' }] },
        { id: 'msg_1_1', content: [{ text: 'two' }] },
      ],
    });
  });

  it.each([
    ['length', 'max_output_tokens'],
    ['content-filter', 'content_filter'],
  ] as const)('ends a %s finish with response.incomplete', (finishReason, reason) => {
    const { payloads } = encode([{ type: 'finish', finishReason, usage }]);
    expect(payloads.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason } },
    });
  });

  it('ends an error with response.failed, never completing a half-streamed function call', () => {
    const { payloads, types } = encode([
      { type: 'text-delta', id: 't', delta: 'partial' },
      { type: 'tool-input-start', id: 'c', name: 'exec_command' },
      { type: 'tool-input-delta', id: 'c', delta: '{"cmd":' },
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      { type: 'text-delta', id: 't', delta: 'ignored' },
    ]);
    expect(types.filter((type) => type === 'response.output_item.done')).toHaveLength(1);
    expect(payloads.at(-1)).toMatchObject({
      type: 'response.failed',
      response: {
        status: 'failed',
        error: { code: 'overloaded_error', message: 'Overloaded' },
        output: [{ type: 'message', content: [{ text: 'partial' }] }],
      },
    });
  });

  it('writes nothing after the response ended', () => {
    const encoder = createResponsesStreamEncoder(base);
    encoder.encode({ type: 'finish', finishReason: 'stop', usage });
    expect(encoder.encode({ type: 'text-delta', id: 'x', delta: 'late' })).toBe('');
  });
});

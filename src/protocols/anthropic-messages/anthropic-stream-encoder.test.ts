import { describe, expect, it } from 'vitest';
import { emptyUsage } from '../../core/model/canonical-response.js';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import { createAnthropicStreamEncoder } from './anthropic-stream-encoder.js';

function encodeAll(events: StreamEvent[], options = {}) {
  const encoder = createAnthropicStreamEncoder(options);
  const text = events.map((event) => encoder.encode(event)).join('');
  return parseSseText(text).map((event) => ({ event: event.event, data: JSON.parse(event.data) }));
}

const usage = { ...emptyUsage(), inputTokens: 120, cacheReadTokens: 100, outputTokens: 7 };

describe('createAnthropicStreamEncoder', () => {
  it('writes a full message: start, blocks with their deltas, stop reason and usage', () => {
    const events = encodeAll([
      { type: 'response-metadata', id: 'msg_1', model: 'claude-x' },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'think' },
      { type: 'reasoning-end', id: 'r', signature: 'sig' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Hi' },
      { type: 'text-end', id: 't' },
      { type: 'tool-input-start', id: 'toolu_1', name: 'get_weather' },
      { type: 'tool-input-delta', id: 'toolu_1', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'toolu_1', delta: '"Paris"}' },
      { type: 'tool-input-end', id: 'toolu_1' },
      { type: 'tool-call', id: 'toolu_1', name: 'get_weather', input: '{"city":"Paris"}' },
      { type: 'finish', finishReason: 'tool-calls', usage },
    ]);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]?.data.message).toMatchObject({
      id: 'msg_1',
      model: 'claude-x',
      role: 'assistant',
      content: [],
    });
    expect(events[1]?.data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    });
    expect(events[3]?.data.delta).toEqual({ type: 'signature_delta', signature: 'sig' });
    expect(events[6]?.data).toEqual({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'text_delta', text: 'Hi' },
    });
    expect(events[8]?.data.content_block).toEqual({
      type: 'tool_use',
      id: 'toolu_1',
      name: 'get_weather',
      input: {},
    });
    expect(events[10]?.data.delta).toEqual({ type: 'input_json_delta', partial_json: '"Paris"}' });
    expect(events[12]?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 20,
        output_tokens: 7,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('starts the message with the fallback id and model when no metadata came first', () => {
    const events = encodeAll([{ type: 'text-delta', id: 't', delta: 'x' }], {
      id: 'msg_fallback',
      model: 'm',
    });
    expect(events[0]?.data.message).toMatchObject({ id: 'msg_fallback', model: 'm' });
    expect(events[1]?.event).toBe('content_block_start');
  });

  it('closes an open block when another starts, and closes the last one before finishing', () => {
    const events = encodeAll([
      { type: 'text-start', id: 'a' },
      { type: 'text-delta', id: 'a', delta: 'x' },
      { type: 'tool-input-start', id: 'toolu_1', name: 'f' },
      { type: 'finish', finishReason: 'tool-calls', usage: emptyUsage() },
    ]);
    expect(events.map((event) => `${event.event}:${event.data.index ?? ''}`)).toEqual([
      'message_start:',
      'content_block_start:0',
      'content_block_delta:0',
      'content_block_stop:0',
      'content_block_start:1',
      'content_block_stop:1',
      'message_delta:',
      'message_stop:',
    ]);
  });

  it('writes a whole tool_use block for a tool call that was not streamed', () => {
    const events = encodeAll([{ type: 'tool-call', id: 'call_1', name: 'f', input: '{"a":1}' }]);
    expect(events.slice(1).map((event) => event.data)).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":1}' } },
      { type: 'content_block_stop', index: 0 },
    ]);
  });

  it('writes redacted reasoning as a redacted_thinking block', () => {
    const events = encodeAll([
      { type: 'reasoning-start', id: 'r', redactedData: 'opaque' },
      { type: 'reasoning-end', id: 'r' },
    ]);
    expect(events[1]?.data.content_block).toEqual({ type: 'redacted_thinking', data: 'opaque' });
    expect(events[2]?.event).toBe('content_block_stop');
  });

  it('reports a stop sequence', () => {
    const events = encodeAll([
      { type: 'finish', finishReason: 'stop', stopSequence: 'END', usage: emptyUsage() },
    ]);
    expect(events[1]?.data.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('renders an error event as an Anthropic error event', () => {
    const encoder = createAnthropicStreamEncoder();
    expect(
      encoder.encode({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
  });
});

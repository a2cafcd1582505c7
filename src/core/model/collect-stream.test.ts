import { describe, expect, it } from 'vitest';
import { collectStream } from './collect-stream.js';

const usage = {
  inputTokens: 5,
  outputTokens: 7,
  cacheReadTokens: 1,
  cacheWriteTokens: 0,
  reasoningTokens: 2,
};

describe('collectStream', () => {
  it('assembles metadata, reasoning, text and tool calls in order, with finish and usage', () => {
    expect(
      collectStream([
        { type: 'response-metadata', id: 'msg_1', model: 'm', createdAt: 1000 },
        { type: 'reasoning-start', id: 'r' },
        { type: 'reasoning-delta', id: 'r', delta: 'th' },
        { type: 'reasoning-delta', id: 'r', delta: 'ink' },
        { type: 'reasoning-end', id: 'r', signature: 'sig' },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'Hel' },
        { type: 'text-delta', id: 't', delta: 'lo' },
        { type: 'text-end', id: 't' },
        { type: 'tool-input-start', id: 'c', name: 'f' },
        { type: 'tool-input-delta', id: 'c', delta: '{"a":' },
        { type: 'tool-input-end', id: 'c' },
        { type: 'tool-call', id: 'c', name: 'f', input: '{"a":1}' },
        { type: 'finish', finishReason: 'tool-calls', usage },
      ]),
    ).toEqual({
      id: 'msg_1',
      model: 'm',
      createdAt: 1000,
      content: [
        { type: 'reasoning', text: 'think', signature: 'sig' },
        { type: 'text', text: 'Hello' },
        { type: 'tool-call', id: 'c', name: 'f', input: { a: 1 } },
      ],
      finishReason: 'tool-calls',
      usage,
    });
  });

  it('keeps redacted reasoning and a stop sequence', () => {
    const response = collectStream([
      { type: 'reasoning-start', id: 'r', redactedData: 'opaque' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'finish', finishReason: 'stop', stopSequence: 'END', usage },
    ]);
    expect(response.content).toEqual([{ type: 'reasoning', text: '', redactedData: 'opaque' }]);
    expect(response.stopSequence).toBe('END');
  });

  it.each([
    {
      name: 'an error',
      events: [{ type: 'error' as const, error: { type: 'x', message: 'y' } }],
      finishReason: 'error',
    },
    {
      name: 'no finish',
      events: [{ type: 'text-delta' as const, id: 't', delta: 'a' }],
      finishReason: 'other',
    },
  ])('ends with $finishReason after $name', ({ events, finishReason }) => {
    expect(collectStream(events).finishReason).toBe(finishReason);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import { createAnthropicStreamDecoder } from './anthropic-stream-decoder.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

function decode(text: string): StreamEvent[] {
  const decoder = createAnthropicStreamDecoder();
  return [...parseSseText(text).flatMap((event) => decoder.push(event)), ...decoder.end()];
}

describe('createAnthropicStreamDecoder', () => {
  it('decodes a recorded text stream', () => {
    expect(decode(fixture('anthropic-stream-text.sse'))).toEqual([
      { type: 'response-metadata', id: 'msg_01XFDUDYJgAACzvnptvVoYEL', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: 'Hello' },
      { type: 'text-delta', id: '0', delta: '! How can I' },
      { type: 'text-delta', id: '0', delta: 'help you today?' },
      { type: 'text-end', id: '0' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: {
          inputTokens: 21,
          outputTokens: 12,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
      },
    ]);
  });

  it('decodes a recorded stream with thinking, text and two tool calls', () => {
    const events = decode(fixture('anthropic-stream-thinking-tool-use.sse'));
    expect(events.filter((event) => event.type === 'reasoning-end')).toEqual([
      { type: 'reasoning-end', id: '0', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
    ]);
    expect(
      events
        .filter((event) => event.type === 'reasoning-delta')
        .map((event) => event.delta)
        .join(''),
    ).toBe('The user wants the weatherin two cities, so I should callget_weather twice.');
    expect(events.filter((event) => event.type === 'tool-call')).toEqual([
      {
        type: 'tool-call',
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        input: '{"location": "San Francisco, CA", "unit": "celsius"}',
      },
      {
        type: 'tool-call',
        id: 'toolu_01AbCdEfGhIjKlMnOpQrStUv',
        name: 'get_weather',
        input: '{"location": "Paris"}',
      },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      usage: {
        inputTokens: 472 + 1024 + 8192,
        outputTokens: 189,
        cacheReadTokens: 8192,
        cacheWriteTokens: 1024,
        reasoningTokens: 0,
      },
    });
  });

  it('brackets every block with start and end events, tool blocks by their tool id', () => {
    const events = decode(fixture('anthropic-stream-thinking-tool-use.sse'));
    const brackets = events
      .filter((event) => event.type.endsWith('-start') || event.type.endsWith('-end'))
      .map((event) => `${event.type}:${'id' in event ? event.id : ''}`);
    expect(brackets).toEqual([
      'reasoning-start:0',
      'reasoning-end:0',
      'text-start:1',
      'text-end:1',
      'tool-input-start:toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      'tool-input-end:toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      'tool-input-start:toolu_01AbCdEfGhIjKlMnOpQrStUv',
      'tool-input-end:toolu_01AbCdEfGhIjKlMnOpQrStUv',
    ]);
  });

  it('decodes an in-stream error and nothing after it', () => {
    const events = decode(fixture('anthropic-stream-error.sse'));
    expect(events).toEqual([
      { type: 'response-metadata', id: 'msg_01Q8Faay6S7QPTvEUUQARt7h', model: 'claude-sonnet-4-5-20250929' },
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
  });

  it('reports a stream that ends before message_stop as an error', () => {
    const text = fixture('anthropic-stream-text.sse');
    const truncated = text.slice(0, text.indexOf('event: message_delta'));
    expect(decode(truncated).at(-1)).toEqual({
      type: 'error',
      error: { type: 'incomplete_stream', message: 'upstream stream ended before message_stop' },
    });
  });

  it('reports data that is not JSON as an error', () => {
    const decoder = createAnthropicStreamDecoder();
    expect(decoder.push({ event: 'message_start', data: 'not json' })).toMatchObject([
      { type: 'error', error: { type: 'invalid_stream' } },
    ]);
  });

  it('keeps a stop sequence from message_delta', () => {
    const decoder = createAnthropicStreamDecoder();
    decoder.push({
      data: JSON.stringify({
        type: 'message_delta',
        delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' },
      }),
    });
    expect(decoder.push({ data: '{"type":"message_stop"}' })).toMatchObject([
      { type: 'finish', finishReason: 'stop', stopSequence: 'END' },
    ]);
  });
});

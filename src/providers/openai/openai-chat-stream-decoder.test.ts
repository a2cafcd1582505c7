import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import { createOpenAIChatStreamDecoder } from './openai-chat-stream-decoder.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

function decode(text: string): StreamEvent[] {
  const decoder = createOpenAIChatStreamDecoder();
  return [...parseSseText(text).flatMap((event) => decoder.push(event)), ...decoder.end()];
}

describe('createOpenAIChatStreamDecoder', () => {
  it('decodes a recorded text stream, taking usage from the chunk after the finish reason', () => {
    expect(decode(fixture('openai-chat-stream-text.sse'))).toEqual([
      {
        type: 'response-metadata',
        id: 'chatcmpl-CDgA3Vt0e2oQkz8vOq3yTSm1b4HxN',
        model: 'gpt-4o-2024-08-06',
        createdAt: 1757318823000,
      },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Hello' },
      { type: 'text-delta', id: 'text-0', delta: '!' },
      { type: 'text-delta', id: 'text-0', delta: ' How can I' },
      { type: 'text-delta', id: 'text-0', delta: ' help you today?' },
      { type: 'text-end', id: 'text-0' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: {
          inputTokens: 19,
          outputTokens: 10,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
      },
    ]);
  });

  it('decodes parallel tool calls, completing each when the next starts', () => {
    const events = decode(fixture('openai-chat-stream-parallel-tools.sse'));
    expect(events.slice(1).map((event) => event.type)).toEqual([
      'tool-input-start',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'finish',
    ]);
    expect(events.filter((event) => event.type === 'tool-call')).toEqual([
      {
        type: 'tool-call',
        id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
        name: 'get_weather',
        input: '{"location": "San Francisco, CA"}',
      },
      {
        type: 'tool-call',
        id: 'call_ABCDEFGHIJKLMNOPQRSTUVWX',
        name: 'get_weather',
        input: '{"location": "Paris"}',
      },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      usage: {
        inputTokens: 2006,
        outputTokens: 52,
        cacheReadTokens: 1920,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('decodes reasoning_content as a reasoning block before the text', () => {
    const events = decode(fixture('openai-chat-stream-reasoning.sse'));
    expect(events.filter((event) => !event.type.endsWith('-delta')).map((event) => event.type)).toEqual([
      'response-metadata',
      'reasoning-start',
      'reasoning-end',
      'text-start',
      'text-end',
      'finish',
    ]);
    const text = (type: string) =>
      events
        .filter((event) => event.type === type)
        .map((event) => ('delta' in event ? event.delta : ''))
        .join('');
    expect(text('reasoning-delta')).toBe('The user asks 2+2. That is 4.');
    expect(text('text-delta')).toBe('2 + 2 = 4.');
    expect(events.at(-1)).toMatchObject({ usage: { reasoningTokens: 24, outputTokens: 31 } });
  });

  it('decodes an in-stream error object', () => {
    const events = decode(fixture('openai-chat-stream-error.sse'));
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: {
        type: 'server_error',
        message: 'The server had an error while processing your request. Sorry about that!',
      },
    });
    expect(events.filter((event) => event.type === 'finish')).toEqual([]);
  });

  it('finishes at the end of input when a finish reason came but [DONE] did not', () => {
    const text = fixture('openai-chat-stream-text.sse').replace('data: [DONE]\n\n', '');
    expect(decode(text).at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 19 },
    });
  });

  it('reports a stream cut before any finish reason as an error', () => {
    const text = fixture('openai-chat-stream-text.sse');
    const truncated = text.slice(0, text.indexOf('"finish_reason":"stop"'));
    const events = decode(truncated.slice(0, truncated.lastIndexOf('data:')));
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: { type: 'incomplete_stream', message: 'upstream stream ended before a finish reason' },
    });
  });

  it('takes a tool call that arrives whole in one chunk, with a generated id when none is given', () => {
    const decoder = createOpenAIChatStreamDecoder();
    const events = decoder.push({
      data: JSON.stringify({
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{"a":1}' } }] },
            finish_reason: 'tool_calls',
          },
        ],
      }),
    });
    expect(events).toEqual([
      { type: 'tool-input-start', id: 'call_0', name: 'f' },
      { type: 'tool-input-delta', id: 'call_0', delta: '{"a":1}' },
      { type: 'tool-input-end', id: 'call_0' },
      { type: 'tool-call', id: 'call_0', name: 'f', input: '{"a":1}' },
    ]);
  });
});

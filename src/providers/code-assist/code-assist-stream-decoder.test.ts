import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import { createCodeAssistStreamDecoder } from './code-assist-stream-decoder.js';

const stream = readFileSync(new URL('./__fixtures__/code-assist-stream.sse', import.meta.url), 'utf8');

describe('createCodeAssistStreamDecoder', () => {
  const decoder = createCodeAssistStreamDecoder();
  const events: StreamEvent[] = [
    ...parseSseText(stream).flatMap((event) => decoder.push(event)),
    ...decoder.end(),
  ];

  it('decodes each wrapped chunk like a Gemini chunk', () => {
    expect(events.map((event) => event.type)).toEqual([
      'response-metadata',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-end',
      'reasoning-start',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(events[0]).toEqual({
      type: 'response-metadata',
      id: 'Ca0naa7yB4nW6dkP3pXk2QU',
      model: 'gemini-2.5-pro',
    });
  });

  it('finishes with the usage of the last chunk, cache and thoughts included', () => {
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: {
        inputTokens: 5120,
        outputTokens: 34,
        cacheReadTokens: 4096,
        cacheWriteTokens: 0,
        reasoningTokens: 28,
      },
    });
  });
});

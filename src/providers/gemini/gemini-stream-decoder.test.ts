import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import type { AssistantContentPart } from '../../core/model/content-part.js';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import { createGeminiStreamDecoder } from './gemini-stream-decoder.js';
import { parseGeminiResponse } from './parse-gemini-response.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

function decode(text: string): StreamEvent[] {
  const decoder = createGeminiStreamDecoder();
  return [...parseSseText(text).flatMap((event) => decoder.push(event)), ...decoder.end()];
}

function chunk(body: object): { data: string } {
  return { data: JSON.stringify(body) };
}

function parts(list: object[], finishReason?: string): { data: string } {
  return chunk({
    candidates: [{ content: { role: 'model', parts: list }, ...(finishReason ? { finishReason } : {}) }],
  });
}

/** Folds a decoded stream into content the way a client of the canonical stream would. */
function fold(events: StreamEvent[]): AssistantContentPart[] {
  const content: AssistantContentPart[] = [];
  for (const event of events) {
    if (event.type === 'text-start') content.push({ type: 'text', text: '' });
    if (event.type === 'reasoning-start') content.push({ type: 'reasoning', text: '' });
    const last = content.at(-1);
    if (event.type === 'text-delta' && last?.type === 'text') last.text += event.delta;
    if (event.type === 'reasoning-delta' && last?.type === 'reasoning') last.text += event.delta;
    if (event.type === 'reasoning-end' && last?.type === 'reasoning' && event.signature)
      last.signature = event.signature;
    if (event.type === 'tool-call') {
      content.push({
        type: 'tool-call',
        id: event.id,
        name: event.name,
        input: safeParseJson(event.input) ?? {},
      });
    }
  }
  return content;
}

describe('createGeminiStreamDecoder', () => {
  it('decodes a recorded text stream into one text block, finishing with the last chunk usage', () => {
    expect(decode(fixture('gemini-stream-text.sse'))).toEqual([
      { type: 'response-metadata', id: 'kx8nafXyK4Gsz7IPq5XJ4Aw', model: 'gemini-2.5-flash' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Hello' },
      { type: 'text-delta', id: 'text-0', delta: '! How can I help you' },
      { type: 'text-delta', id: 'text-0', delta: ' today?' },
      { type: 'text-end', id: 'text-0' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: {
          inputTokens: 9,
          outputTokens: 41,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 31,
        },
      },
    ]);
  });

  it('decodes thought parts as reasoning and a trailing signature as a signature-only reasoning block', () => {
    const events = decode(fixture('gemini-stream-thought.sse'));
    expect(events.map((event) => event.type)).toEqual([
      'response-metadata',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'reasoning-start',
      'reasoning-end',
      'finish',
    ]);
    const content = fold(events);
    expect(content.map((part) => part.type)).toEqual(['reasoning', 'text', 'reasoning']);
    expect(content[0]).toEqual({
      type: 'reasoning',
      text: '**Working out the sum**\n\nThe user wants 17 + 25. Adding the tens and the units gives 42.',
    });
    expect(content[1]).toEqual({ type: 'text', text: '17 + 25 = 42.' });
    expect(content[2]).toMatchObject({
      type: 'reasoning',
      text: '',
      signature: expect.stringMatching(/^EtYD/),
    });
  });

  it('decodes parallel function calls with synthesized unique ids, the signature before the first', () => {
    const events = decode(fixture('gemini-stream-function-call.sse'));
    const calls = events.filter((event) => event.type === 'tool-call');
    expect(calls.map((call) => [call.name, call.input])).toEqual([
      ['get_weather', '{"location":"Paris","unit":"celsius"}'],
      ['get_weather', '{"location":"London","unit":"celsius"}'],
    ]);
    const [first, second] = calls;
    expect(first?.id).toMatch(/^call_[0-9a-f]{12}_0_get_weather$/);
    expect(second?.id).toMatch(/^call_[0-9a-f]{12}_1_get_weather$/);
    const content = fold(events);
    expect(content.map((part) => part.type)).toEqual(['reasoning', 'reasoning', 'tool-call', 'tool-call']);
    expect(content[1]).toMatchObject({ text: '', signature: expect.stringMatching(/^CpwC/) });
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('ends with an error event for an in-stream error and ignores what follows', () => {
    const decoder = createGeminiStreamDecoder();
    const events = parseSseText(fixture('gemini-stream-error.sse')).flatMap((event) => decoder.push(event));
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: { type: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
    });
    expect(decoder.push(parts([{ text: 'late' }]))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('reports a stream that ends without a finish reason as an error, after closing the open block', () => {
    const decoder = createGeminiStreamDecoder();
    decoder.push(parts([{ text: 'cut' }]));
    expect(decoder.end()).toEqual([
      { type: 'text-end', id: 'text-0' },
      {
        type: 'error',
        error: { type: 'incomplete_stream', message: 'upstream stream ended without a finish reason' },
      },
    ]);
  });

  it('reports a chunk that is not JSON as an error', () => {
    const decoder = createGeminiStreamDecoder();
    expect(decoder.push({ data: 'not json' })).toEqual([
      {
        type: 'error',
        error: { type: 'invalid_stream', message: 'upstream sent a chunk that is not a JSON object' },
      },
    ]);
  });

  it('finishes a blocked prompt as content-filter', () => {
    const decoder = createGeminiStreamDecoder();
    const events = decoder.push(
      chunk({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4 } }),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'content-filter',
      usage: { inputTokens: 4 },
    });
  });

  it('uses the ids Gemini sends with function calls', () => {
    const decoder = createGeminiStreamDecoder();
    const events = decoder.push(parts([{ functionCall: { id: 'toolu_1', name: 'Read', args: {} } }], 'STOP'));
    expect(events.filter((event) => event.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'toolu_1', name: 'Read', input: '{}' },
    ]);
  });

  it('switches between reasoning and text blocks as the part kind changes', () => {
    const decoder = createGeminiStreamDecoder();
    const events = [
      ...decoder.push(
        parts([{ text: 'a', thought: true }, { text: 'b' }, { text: 'c', thought: true }], 'STOP'),
      ),
    ];
    expect(events.filter((event) => event.type.endsWith('-start') || event.type.endsWith('-end'))).toEqual([
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'text-start', id: 'text-1' },
      { type: 'text-end', id: 'text-1' },
      { type: 'reasoning-start', id: 'reasoning-2' },
      { type: 'reasoning-end', id: 'reasoning-2' },
    ]);
  });

  it.each(['gemini-stream-text.sse', 'gemini-stream-thought.sse', 'gemini-stream-function-call.sse'])(
    'yields the same content as parsing %s as one response',
    (name) => {
      const events = decode(fixture(name));
      const chunks = parseSseText(fixture(name)).map((event) => JSON.parse(event.data));
      const whole = {
        ...chunks.at(-1),
        candidates: [
          {
            content: { role: 'model', parts: chunks.flatMap((body) => body.candidates[0].content.parts) },
            finishReason: 'STOP',
          },
        ],
      };
      const parsed: CanonicalResponse = parseGeminiResponse(whole);
      const folded = fold(events).map((part) => (part.type === 'tool-call' ? { ...part, id: 'id' } : part));
      expect(folded).toEqual(
        parsed.content.map((part) => (part.type === 'tool-call' ? { ...part, id: 'id' } : part)),
      );
    },
  );
});

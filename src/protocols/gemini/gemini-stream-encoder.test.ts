import { describe, expect, it } from 'vitest';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import type { StreamEvent } from '../../core/model/stream-event.js';
import { createGeminiStreamEncoder, type GeminiStreamEncoderOptions } from './gemini-stream-encoder.js';
import { decodeThoughtSignature } from './gemini-thought-signature.js';

const usage = {
  inputTokens: 10,
  outputTokens: 5,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 2,
};

function encode(events: StreamEvent[], options: GeminiStreamEncoderOptions = {}) {
  const encoder = createGeminiStreamEncoder(options);
  const text = events.map((event) => encoder.encode(event)).join('');
  return { text, chunks: parseSseText(text).map((event) => JSON.parse(event.data)) };
}

function partsOf(chunks: Array<{ candidates?: Array<{ content?: { parts: unknown[] } }> }>) {
  return chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);
}

describe('createGeminiStreamEncoder', () => {
  it('writes each delta as one data chunk carrying the response id and model, then the finish chunk', () => {
    const { text, chunks } = encode([
      { type: 'response-metadata', id: 'msg_1', model: 'claude-sonnet-4-5' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: 'Hel' },
      { type: 'text-delta', id: '0', delta: 'lo' },
      { type: 'text-end', id: '0' },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
    expect(text.startsWith('data: {')).toBe(true);
    expect(text).not.toContain('event:');
    expect(chunks).toEqual([
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] }, index: 0 }],
        modelVersion: 'claude-sonnet-4-5',
        responseId: 'msg_1',
      },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] }, index: 0 }],
        modelVersion: 'claude-sonnet-4-5',
        responseId: 'msg_1',
      },
      {
        candidates: [{ finishReason: 'STOP', index: 0 }],
        usageMetadata: {
          promptTokenCount: 10,
          candidatesTokenCount: 3,
          totalTokenCount: 15,
          thoughtsTokenCount: 2,
        },
        modelVersion: 'claude-sonnet-4-5',
        responseId: 'msg_1',
      },
    ]);
  });

  it('writes thoughts as thought parts and ends them with their signature', () => {
    const { chunks } = encode([
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'thinking' },
      { type: 'reasoning-end', id: 'r', signature: 'SIG' },
      { type: 'text-delta', id: 't', delta: 'answer' },
    ]);
    expect(partsOf(chunks)).toEqual([
      { text: 'thinking', thought: true },
      { text: '', thought: true, thoughtSignature: 'SIG' },
      { text: 'answer' },
    ]);
  });

  it('leaves thought text out when the client did not ask, putting text and signature on the next part', () => {
    const { chunks } = encode(
      [
        { type: 'reasoning-start', id: 'r' },
        { type: 'reasoning-delta', id: 'r', delta: 'think' },
        { type: 'reasoning-delta', id: 'r', delta: 'ing' },
        { type: 'reasoning-end', id: 'r', signature: 'SIG' },
        { type: 'text-delta', id: 't', delta: 'answer' },
      ],
      { includeThoughts: false },
    );
    const parts = partsOf(chunks) as Array<{ thoughtSignature?: string }>;
    expect(parts).toEqual([{ text: 'answer', thoughtSignature: expect.any(String) }]);
    // The signature only verifies with its text, so the client's copy carries both.
    expect(decodeThoughtSignature(parts[0]?.thoughtSignature ?? '')).toEqual({
      text: 'thinking',
      signature: 'SIG',
    });
  });

  it('writes a complete tool call as one functionCall part, ignoring the streamed input', () => {
    const { chunks } = encode([
      { type: 'reasoning-start', id: 'r', redactedData: 'RED' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'tool-input-start', id: 'toolu_1', name: 'Read' },
      { type: 'tool-input-delta', id: 'toolu_1', delta: '{"path":' },
      { type: 'tool-input-end', id: 'toolu_1' },
      { type: 'tool-call', id: 'toolu_1', name: 'Read', input: '{"path":"a"}' },
      { type: 'finish', finishReason: 'tool-calls', usage },
    ]);
    const parts = partsOf(chunks) as Array<{ thoughtSignature?: string }>;
    expect(parts).toEqual([
      {
        functionCall: { id: 'toolu_1', name: 'Read', args: { path: 'a' } },
        thoughtSignature: expect.any(String),
      },
    ]);
    // Redacted reasoning must come back as redacted data, not as a signature.
    expect(decodeThoughtSignature(parts[0]?.thoughtSignature ?? '')).toEqual({
      text: '',
      redactedData: 'RED',
    });
    expect(chunks.at(-1)?.candidates[0].finishReason).toBe('STOP');
  });

  it('sends a signature still waiting at the end in the finish chunk', () => {
    const { chunks } = encode([
      { type: 'text-delta', id: 't', delta: 'done' },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-end', id: 'r', signature: 'LAST' },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
    expect(chunks.at(-1)?.candidates[0]).toEqual({
      content: { role: 'model', parts: [{ text: '', thoughtSignature: 'LAST' }] },
      finishReason: 'STOP',
      index: 0,
    });
  });

  it.each([
    ['overloaded_error', 503, 'UNAVAILABLE'],
    ['rate_limit_error', 429, 'RESOURCE_EXHAUSTED'],
    ['server_error', 500, 'INTERNAL'],
  ])('writes an %s error as Gemini error %i %s', (type, code, status) => {
    const { chunks } = encode([{ type: 'error', error: { type, message: 'boom' } }]);
    expect(chunks).toEqual([{ error: { code, status, message: 'boom' } }]);
  });

  it('falls back to the options for id and model before any metadata', () => {
    const { chunks } = encode([{ type: 'text-delta', id: 't', delta: 'x' }], { id: 'resp-9', model: 'm' });
    expect(chunks[0]).toMatchObject({ responseId: 'resp-9', modelVersion: 'm' });
  });
});

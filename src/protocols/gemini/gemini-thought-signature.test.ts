import { describe, expect, it } from 'vitest';
import type { ReasoningPart } from '../../core/model/content-part.js';
import { decodeGeminiRequest } from './decode-gemini-request.js';
import { encodeGeminiResponse } from './encode-gemini-response.js';
import { decodeThoughtSignature, encodeThoughtSignature } from './gemini-thought-signature.js';

describe('encodeThoughtSignature / decodeThoughtSignature', () => {
  it.each<{ name: string; part: Omit<ReasoningPart, 'type'>; textSent: boolean; plain: boolean }>([
    {
      name: 'a signature whose text the client got',
      part: { text: 'x', signature: 'S' },
      textSent: true,
      plain: true,
    },
    { name: 'a signature without text', part: { text: '', signature: 'S' }, textSent: false, plain: true },
    {
      name: 'a signature whose text is withheld',
      part: { text: 'x', signature: 'S' },
      textSent: false,
      plain: false,
    },
    { name: 'redacted data', part: { text: '', redactedData: 'R' }, textSent: false, plain: false },
  ])('$name: plain=$plain, and decodes to what the provider needs back', ({ part, textSent, plain }) => {
    const value = encodeThoughtSignature(part, { textSent }) ?? '';
    expect(value === part.signature).toBe(plain);
    expect(decodeThoughtSignature(value)).toEqual(textSent ? { ...part, text: '' } : part);
  });

  it('has nothing to write for reasoning without opaque values', () => {
    expect(encodeThoughtSignature({ text: 'x' }, { textSent: false })).toBeUndefined();
  });

  it("reads a signature it did not write (Gemini's own) as a plain signature", () => {
    expect(decodeThoughtSignature('EtYDCtMDAdHt==')).toEqual({ text: '', signature: 'EtYDCtMDAdHt==' });
  });
});

describe('Anthropic reasoning through a Gemini client and back', () => {
  const reasoning: ReasoningPart[] = [
    { type: 'reasoning', text: 'Need the weather for Paris.', signature: 'EuYB' },
    { type: 'reasoning', text: '', redactedData: 'EmwK' },
  ];

  it.each([true, false])('comes back unchanged when includeThoughts is %s', (includeThoughts) => {
    const answer = encodeGeminiResponse(
      {
        id: 'msg_1',
        model: 'claude-opus-4-5',
        content: [
          ...reasoning,
          { type: 'tool-call', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
        finishReason: 'tool-calls',
        usage: {
          inputTokens: 1,
          outputTokens: 1,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
      },
      { includeThoughts },
    );
    const modelTurn = answer.candidates[0]?.content;
    const replay = decodeGeminiRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'weather in Paris?' }] },
          modelTurn,
          { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 20 } } }] },
        ],
      },
      { model: 'claude-opus-4-5', stream: false },
    );
    const assistant = replay.value.messages[1];
    expect(assistant?.role).toBe('assistant');
    expect(assistant?.content.filter((part) => part.type === 'reasoning')).toEqual(reasoning);
  });
});

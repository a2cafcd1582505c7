import { describe, expect, it } from 'vitest';
import type { CanonicalResponse, FinishReason } from '../../core/model/canonical-response.js';
import type { AssistantContentPart } from '../../core/model/content-part.js';
import { encodeGeminiResponse } from './encode-gemini-response.js';
import { decodeThoughtSignature } from './gemini-thought-signature.js';

function response(
  content: AssistantContentPart[],
  extra: Partial<CanonicalResponse> = {},
): CanonicalResponse {
  return {
    id: 'msg_1',
    model: 'claude-sonnet-4-5',
    content,
    finishReason: 'stop',
    usage: {
      inputTokens: 100,
      outputTokens: 30,
      cacheReadTokens: 60,
      cacheWriteTokens: 0,
      reasoningTokens: 10,
    },
    ...extra,
  };
}

function partsOf(content: AssistantContentPart[], includeThoughts?: boolean) {
  return encodeGeminiResponse(response(content), { includeThoughts }).candidates[0]?.content?.parts;
}

describe('encodeGeminiResponse', () => {
  it('writes one model candidate with finish reason, usage, model version and response id', () => {
    expect(encodeGeminiResponse(response([{ type: 'text', text: 'Hi' }]))).toEqual({
      candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 100,
        candidatesTokenCount: 20,
        totalTokenCount: 130,
        cachedContentTokenCount: 60,
        thoughtsTokenCount: 10,
      },
      modelVersion: 'claude-sonnet-4-5',
      responseId: 'msg_1',
    });
  });

  it('leaves zero cache and thought counts out of usageMetadata', () => {
    const usage = {
      inputTokens: 5,
      outputTokens: 2,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    expect(encodeGeminiResponse(response([], { usage })).usageMetadata).toEqual({
      promptTokenCount: 5,
      candidatesTokenCount: 2,
      totalTokenCount: 7,
    });
  });

  it.each<[FinishReason, string]>([
    ['stop', 'STOP'],
    ['tool-calls', 'STOP'],
    ['length', 'MAX_TOKENS'],
    ['content-filter', 'SAFETY'],
    ['error', 'OTHER'],
    ['other', 'OTHER'],
  ])('finish reason %s → %s', (finishReason, expected) => {
    expect(encodeGeminiResponse(response([], { finishReason })).candidates[0]?.finishReason).toBe(expected);
  });

  it('writes tool calls as functionCall parts with their ids, non-object input as {}', () => {
    expect(
      partsOf([
        { type: 'tool-call', id: 'toolu_1', name: 'Read', input: { path: 'a' } },
        { type: 'tool-call', id: 'toolu_2', name: 'Odd', input: 'text' },
      ]),
    ).toEqual([
      { functionCall: { id: 'toolu_1', name: 'Read', args: { path: 'a' } } },
      { functionCall: { id: 'toolu_2', name: 'Odd', args: {} } },
    ]);
  });

  it.each<{ name: string; content: AssistantContentPart[]; includeThoughts?: boolean; parts: unknown[] }>([
    {
      name: 'reasoning text is a signed thought part',
      content: [
        { type: 'reasoning', text: 'hmm', signature: 'S' },
        { type: 'text', text: 'A' },
      ],
      parts: [{ text: 'hmm', thought: true, thoughtSignature: 'S' }, { text: 'A' }],
    },
    {
      name: 'a signature without text goes on the next part',
      content: [
        { type: 'reasoning', text: '', signature: 'S' },
        { type: 'tool-call', id: 'c', name: 'f', input: {} },
      ],
      parts: [{ functionCall: { id: 'c', name: 'f', args: {} }, thoughtSignature: 'S' }],
    },
    {
      name: 'two signatures in a row each get a part',
      content: [
        { type: 'reasoning', text: '', signature: 'S1' },
        { type: 'reasoning', text: '', signature: 'S2' },
        { type: 'text', text: 'A' },
      ],
      parts: [
        { text: '', thoughtSignature: 'S1' },
        { text: 'A', thoughtSignature: 'S2' },
      ],
    },
    {
      name: 'reasoning without a signature is a plain thought part',
      content: [{ type: 'reasoning', text: 'plain' }],
      parts: [{ text: 'plain', thought: true }],
    },
  ])('$name', ({ content, includeThoughts, parts }) => {
    expect(partsOf(content, includeThoughts)).toEqual(parts);
  });

  // A client sends the signature back; it must restore what the provider needs to verify it.
  it.each<{ name: string; reasoning: AssistantContentPart; includeThoughts: boolean; next: boolean }>([
    {
      name: 'signed thought text the client did not ask for',
      reasoning: { type: 'reasoning', text: 'hmm', signature: 'S' },
      includeThoughts: false,
      next: true,
    },
    {
      name: 'redacted reasoning',
      reasoning: { type: 'reasoning', text: '', redactedData: 'R' },
      includeThoughts: true,
      next: false,
    },
  ])('wraps $name in a signature that gives it back whole', ({ reasoning, includeThoughts, next }) => {
    const content: AssistantContentPart[] = next ? [reasoning, { type: 'text', text: 'A' }] : [reasoning];
    const parts = partsOf(content, includeThoughts) ?? [];
    expect(parts).toEqual([{ text: next ? 'A' : '', thoughtSignature: expect.any(String) }]);
    const { type: _type, ...expected } = reasoning as Extract<AssistantContentPart, { type: 'reasoning' }>;
    expect(decodeThoughtSignature(parts[0]?.thoughtSignature ?? '')).toEqual(expected);
  });
});

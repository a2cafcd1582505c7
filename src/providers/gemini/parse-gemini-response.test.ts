import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGeminiFinishReason, parseGeminiUsage } from './parse-gemini-parts.js';
import { parseGeminiResponse } from './parse-gemini-response.js';

const recorded = JSON.parse(
  readFileSync(new URL('./__fixtures__/gemini-response-function-call.json', import.meta.url), 'utf8'),
) as unknown;

describe('parseGeminiResponse', () => {
  const response = parseGeminiResponse(recorded);

  it('keeps the response id, model version and creation time', () => {
    expect(response.id).toBe('uH0naZ2uFtKoz7IP6Nm0wQw');
    expect(response.model).toBe('gemini-2.5-pro');
    expect(response.createdAt).toBe(Date.UTC(2026, 10, 20, 9, 14, 7, 512));
  });

  it('turns thought, text and a signed function call into reasoning, text, signature and tool call', () => {
    expect(response.content).toEqual([
      {
        type: 'reasoning',
        text: '**Looking up the file**\n\nI need to read the config before answering.',
      },
      { type: 'text', text: 'Let me read the config first.' },
      { type: 'reasoning', text: '', signature: expect.stringMatching(/^CpwC/) },
      {
        type: 'tool-call',
        id: expect.stringMatching(/^call_[0-9a-f]{12}_0_read_file$/),
        name: 'read_file',
        input: { path: 'config/app.json' },
      },
    ]);
  });

  it('reads STOP with function calls as tool-calls and counts thoughts and cache', () => {
    expect(response.finishReason).toBe('tool-calls');
    expect(response.usage).toEqual({
      inputTokens: 1204,
      outputTokens: 31 + 112,
      cacheReadTokens: 1024,
      cacheWriteTokens: 0,
      reasoningTokens: 112,
    });
  });

  it('gives the same call the same id when the same response is parsed again', () => {
    expect(parseGeminiResponse(recorded).content[3]).toEqual(response.content[3]);
  });

  it('gives calls of different responses different ids', () => {
    const other = parseGeminiResponse({ ...(recorded as object), responseId: 'another' });
    expect(other.content[3]).not.toEqual(response.content[3]);
  });

  it('answers a blocked prompt with an empty content-filter response', () => {
    const blocked = parseGeminiResponse({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } });
    expect(blocked).toMatchObject({ content: [], finishReason: 'content-filter' });
  });

  it('joins adjacent text parts and skips parts it cannot translate', () => {
    const parsed = parseGeminiResponse({
      candidates: [
        {
          content: { parts: [{ text: 'a' }, { executableCode: { code: 'print(1)' } }, { text: 'b' }] },
          finishReason: 'STOP',
        },
      ],
    });
    expect(parsed.content).toEqual([{ type: 'text', text: 'ab' }]);
  });

  it('throws upstream_error for a body that is not a response', () => {
    expect(() => parseGeminiResponse({ candidates: 'nope' })).toThrowError(
      expect.objectContaining({ code: 'upstream_error' }),
    );
  });
});

describe('parseGeminiFinishReason', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool-calls'],
    ['MAX_TOKENS', false, 'length'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content-filter'],
    ['RECITATION', false, 'content-filter'],
    ['PROHIBITED_CONTENT', false, 'content-filter'],
    ['BLOCKLIST', false, 'content-filter'],
    ['SPII', false, 'content-filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'other'],
    ['OTHER', false, 'other'],
    [undefined, false, 'other'],
  ] as const)('%s (tool calls: %s) → %s', (reason, hasToolCalls, expected) => {
    expect(parseGeminiFinishReason(reason, hasToolCalls)).toBe(expected);
  });
});

describe('parseGeminiUsage', () => {
  it('adds tool-use prompt tokens to the input and thoughts to the output', () => {
    expect(
      parseGeminiUsage({
        promptTokenCount: 100,
        toolUsePromptTokenCount: 20,
        candidatesTokenCount: 7,
        thoughtsTokenCount: 3,
        cachedContentTokenCount: 50,
      }),
    ).toEqual({
      inputTokens: 120,
      outputTokens: 10,
      cacheReadTokens: 50,
      cacheWriteTokens: 0,
      reasoningTokens: 3,
    });
  });

  it('reads missing usage as zeros', () => {
    expect(parseGeminiUsage(undefined)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });
});

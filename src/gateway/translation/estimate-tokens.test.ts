import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../core/model/index.js';
import { estimateInputTokens, MAX_TOKENIZER_WORD, tokenizerPieces } from './estimate-tokens.js';

function request(text: string): CanonicalRequest {
  return {
    model: 'm',
    system: [],
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    tools: [],
    sampling: {},
    stream: false,
    metadata: {},
    providerOptions: {},
  };
}

const longestRun = (piece: string) => Math.max(0, ...piece.split(/[ \n\t\r]/).map((word) => word.length));

describe('tokenizerPieces', () => {
  it('cuts text into bounded pieces that put it back together exactly', () => {
    const text = `${'word '.repeat(1000)}${'x'.repeat(1000)} tail`;
    const pieces = [...tokenizerPieces(text)];
    expect(pieces.join('')).toBe(text);
    expect(Math.max(...pieces.map(longestRun))).toBeLessThanOrEqual(MAX_TOKENIZER_WORD);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(2048 + MAX_TOKENIZER_WORD);
  });
});

describe('tokenizerPieces on long runs', () => {
  it('bounds a 200 000-character word, CJK and emoji runs, losing no text and cutting no surrogate pair', () => {
    const text = `start ${'a'.repeat(200_000)} middle ${'模'.repeat(1000)}${'🚀'.repeat(300)} end`;
    const pieces = [...tokenizerPieces(text)];
    expect(pieces.join('')).toBe(text);
    expect(Math.max(...pieces.map(longestRun))).toBeLessThanOrEqual(MAX_TOKENIZER_WORD + 1);
    for (const piece of pieces) expect(piece).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });
});

describe('estimateInputTokens', () => {
  it('counts a 200 000-character word in bounded pieces, about as the tokenizer would', async () => {
    const tokens = await estimateInputTokens(request('x'.repeat(200_000)));
    // o200k reads runs of x about 8 characters per token.
    expect(tokens).toBeGreaterThan(200_000 / 10);
    expect(tokens).toBeLessThan(200_000 / 6);
  });

  it('counts prose within a token per piece of counting it whole', async () => {
    const { countTokens } = await import('gpt-tokenizer');
    const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(2000);
    const whole = countTokens(prose) + 4;
    const estimated = await estimateInputTokens(request(prose));
    expect(Math.abs(estimated - whole)).toBeLessThanOrEqual(Math.ceil(prose.length / 2048));
  });

  it('lets pending I/O run between slices of a large request', async () => {
    let yields = 0;
    await estimateInputTokens(request('lorem ipsum '.repeat(100_000)), {
      yieldToIo: async () => {
        yields++;
      },
    });
    expect(yields).toBeGreaterThanOrEqual(15);
  });
});

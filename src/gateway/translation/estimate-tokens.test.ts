import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { countInBoundedPieces } from './estimate-tokens.js';

/** A counter that records what the tokenizer was given. */
function recording() {
  const pieces: string[] = [];
  return {
    pieces,
    count: (piece: string) => {
      pieces.push(piece);
      return countTokens(piece);
    },
  };
}

const longestRun = (pieces: string[]) =>
  Math.max(0, ...pieces.flatMap((piece) => piece.match(/\S+/g) ?? []).map((run) => run.length));

describe('countInBoundedPieces', () => {
  it('counts ordinary text in one call, exactly as the tokenizer does', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
    const tokenizer = recording();
    expect(countInBoundedPieces(text, tokenizer.count)).toBe(countTokens(text));
    expect(tokenizer.pieces).toEqual([text]);
  });

  it('never hands the tokenizer a run of non-space characters longer than 256, and loses no text', () => {
    const text = `start ${'a'.repeat(200_000)} middle ${'模'.repeat(1000)}${'🚀'.repeat(300)} end`;
    const tokenizer = recording();
    countInBoundedPieces(text, tokenizer.count);
    expect(longestRun(tokenizer.pieces)).toBeLessThanOrEqual(256);
    expect(tokenizer.pieces.join('')).toBe(text);
    // No surrogate pair is cut in two.
    for (const piece of tokenizer.pieces) expect(piece).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('counts a long run as the whole run would be counted, within a token per slice', () => {
    const run = 'a'.repeat(4096);
    expect(countInBoundedPieces(run, countTokens)).toBe(countTokens(run));
    expect(countInBoundedPieces('', countTokens)).toBe(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, jsonDepthError, MAX_JSON_DEPTH } from './json-depth.js';

/** The nesting depth of a parsed value, the reference the byte scan must agree with. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, not brackets inside strings or after escaped quotes', () => {
    expect(exceedsJsonDepth(bytes('{"a":[1,{"b":2}]}'), 3)).toBe(false);
    expect(exceedsJsonDepth(bytes('{"a":[1,{"b":2}]}'), 2)).toBe(true);
    expect(exceedsJsonDepth(bytes('{"text":"[[[[{{{{\\"[[[["}'), 1)).toBe(false);
    expect(exceedsJsonDepth(bytes('["\\\\",[[]]]'), 2)).toBe(true);
    expect(exceedsJsonDepth(bytes('"unterminated [[[['), 1)).toBe(false);
  });

  it('agrees with the depth of the parsed value for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(exceedsJsonDepth(bytes(text), limit)).toBe(depthOf(value) > limit);
      }),
    );
  });
});

describe('jsonDepthError', () => {
  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more with a 400 naming the limit`, () => {
    const nested = (levels: number) => bytes('['.repeat(levels) + ']'.repeat(levels));
    expect(jsonDepthError(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(jsonDepthError(nested(MAX_JSON_DEPTH + 1))).toMatchObject({
      code: 'invalid_request',
      status: 400,
      message: `Request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (the limit)`,
    });
  });
});

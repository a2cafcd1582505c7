import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHeaderValue } from './header-value.js';

describe('toHeaderValue', () => {
  it('keeps printable ASCII as it is', () => {
    expect(toHeaderValue('claude-sonnet-4-6 (beta) ~ 100%')).toBe('claude-sonnet-4-6 (beta) ~ 100%');
  });

  it.each([
    ['m✓', 'm%E2%9C%93'],
    ['日本', '%E6%97%A5%E6%9C%AC'],
    ['claude\n', 'claude%0A'],
    ['a\r\nX-Injected: 1', 'a%0D%0AX-Injected: 1'],
    ['del\u007f', 'del%7F'],
    ['lone \ud800 surrogate', 'lone %EF%BF%BD surrogate'],
  ])('percent-encodes %j', (text, encoded) => {
    expect(toHeaderValue(text)).toBe(encoded);
  });

  it('always gives a value Node accepts as a header', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(() => validateHeaderValue('x-mapped-model', toHeaderValue(text))).not.toThrow();
      }),
    );
  });
});

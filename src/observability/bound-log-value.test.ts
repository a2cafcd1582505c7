import { describe, expect, it } from 'vitest';
import { boundLogValue, MAX_LOG_ITEMS, MAX_LOG_STRING, truncateForLog } from './bound-log-value.js';

describe('boundLogValue', () => {
  it('cuts long strings and says how much was left out', () => {
    const bounded = boundLogValue({ text: 'x'.repeat(MAX_LOG_STRING + 500) }) as { text: string };
    expect(bounded.text).toHaveLength(truncateForLog('x'.repeat(MAX_LOG_STRING + 500)).length);
    expect(bounded.text.endsWith('… [500 more characters]')).toBe(true);
  });

  it('keeps the first items of a long array and counts the rest', () => {
    const bounded = boundLogValue({ list: Array.from({ length: 100 }, (_, index) => index) }) as {
      list: unknown[];
    };
    expect(bounded.list).toHaveLength(MAX_LOG_ITEMS + 1);
    expect(bounded.list.at(-1)).toBe(`… ${100 - MAX_LOG_ITEMS} more items`);
  });

  it('returns small values as the same objects, and never changes the caller object', () => {
    const small = { a: 'short', nested: { list: [1, 2] } };
    expect(boundLogValue(small)).toBe(small);
    const large = { keep: 'short', long: 'y'.repeat(MAX_LOG_STRING + 1) };
    const bounded = boundLogValue(large) as typeof large;
    expect(bounded).not.toBe(large);
    expect(large.long).toHaveLength(MAX_LOG_STRING + 1);
    expect(bounded.keep).toBe('short');
  });

  it('leaves errors to the serializers and summarizes deep nesting', () => {
    const error = new Error('boom');
    expect(boundLogValue({ err: error })).toEqual({ err: error });
    let deep: unknown = 'leaf';
    for (let level = 0; level < 20; level++) deep = { deeper: deep };
    expect(JSON.stringify(boundLogValue(deep))).toContain('[object]');
  });
});

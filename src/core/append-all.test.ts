import { describe, expect, it } from 'vitest';
import { appendAll } from './append-all.js';

describe('appendAll', () => {
  it('appends in order and returns the target', () => {
    const target = [1];
    expect(appendAll(target, [2, 3])).toBe(target);
    expect(target).toEqual([1, 2, 3]);
  });

  it('takes more items than a spread call can pass as arguments', () => {
    const items = new Array<number>(300_000).fill(7);
    expect(() => [].push(...(items as never[]))).toThrow(RangeError);
    expect(appendAll([], items)).toHaveLength(300_000);
  });
});

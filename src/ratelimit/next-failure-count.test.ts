import { describe, expect, it } from 'vitest';
import type { FailureCount } from '../core/limits.js';
import { nextFailureCount } from './next-failure-count.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('nextFailureCount', () => {
  it.each<[string, FailureCount | undefined, number]>([
    ['no previous failure', undefined, 0],
    ['a recent failure keeps the count', { count: 3, lastFailureAt: NOW - 1_000 }, 3],
    ['just under an hour keeps the count', { count: 2, lastFailureAt: NOW - 3_599_999 }, 2],
    ['an hour without failures fades the count', { count: 5, lastFailureAt: NOW - 3_600_000 }, 0],
    ['a day without failures fades the count', { count: 5, lastFailureAt: NOW - 86_400_000 }, 0],
    ['a corrupt negative count reads as zero', { count: -4, lastFailureAt: NOW }, 0],
  ])('%s', (_name, previous, expected) => {
    expect(nextFailureCount(previous, NOW)).toBe(expected);
  });
});

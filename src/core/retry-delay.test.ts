import { describe, expect, it } from 'vitest';
import { RetryDelay } from './retry-delay.js';

describe('RetryDelay', () => {
  it('starts at the shortest pause and doubles after each failure up to the longest', () => {
    const delay = new RetryDelay(1000, 5000);
    expect([1, 2, 3, 4, 5].map(() => delay.afterFailure())).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('starts again at the shortest pause after a reset', () => {
    const delay = new RetryDelay(500, 60_000);
    delay.afterFailure();
    delay.afterFailure();
    delay.reset();
    expect(delay.afterFailure()).toBe(500);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlidingMinute } from './sliding-minute.js';

const START = 1_700_000_000_000;

describe('SlidingMinute', () => {
  it('counts only the last 60 whole seconds', () => {
    const window = new SlidingMinute();
    window.add(2, START);
    window.add(3, START + 30_000);
    expect(window.total(START + 59_999)).toBe(5);
    expect(window.total(START + 60_000)).toBe(3);
    expect(window.total(START + 90_000)).toBe(0);
  });

  it('says when the total drops below a limit: the earliest moment it does, never before', () => {
    const additions = fc.array(
      fc.record({ offsetMs: fc.integer({ min: 0, max: 120_000 }), amount: fc.integer({ min: 1, max: 5 }) }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(additions, fc.integer({ min: 1, max: 30 }), (added, limit) => {
        const window = new SlidingMinute();
        const sorted = [...added].sort((a, b) => a.offsetMs - b.offsetMs);
        for (const { offsetMs, amount } of sorted) window.add(amount, START + offsetMs);
        const now = START + (sorted.at(-1)?.offsetMs ?? 0);
        const wait = window.freesInMs(limit, now);
        if (window.total(now) < limit) {
          expect(wait).toBe(0);
          return;
        }
        expect(window.total(now + wait)).toBeLessThan(limit);
        expect(window.total(now + wait - 1)).toBeGreaterThanOrEqual(limit);
      }),
    );
  });
});

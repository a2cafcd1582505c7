import { describe, expect, it } from 'vitest';
import {
  budgetAfterCall,
  budgetAfterReading,
  budgetIsIdle,
  budgetSpentUntil,
  EMPTY_BUDGET,
  MAX_CALLS_COUNTED,
  type NumberedReading,
  type RequestBudget,
} from './request-budget.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function reading(overrides: Partial<NumberedReading> = {}): NumberedReading {
  return { remaining: 2, limit: 10, resetAt: NOW + 5_000, call: 10, readAt: NOW, ...overrides };
}

function calls(budget: RequestBudget, ...numbers: number[]): RequestBudget {
  return numbers.reduce((next, call) => budgetAfterCall(next, { call, at: NOW - 1_000 }), budget);
}

describe('request budget', () => {
  it('says nothing before any reading, whatever was sent', () => {
    expect(budgetSpentUntil(calls(EMPTY_BUDGET, 1, 2, 3), NOW)).toBeNull();
  });

  it('is spent once the calls in flight use what the last reading said was left', () => {
    const read = budgetAfterReading(EMPTY_BUDGET, reading({ remaining: 2 }));
    expect(budgetSpentUntil(calls(read, 11), NOW)).toBeNull();
    expect(budgetSpentUntil(calls(read, 11, 12), NOW)).toBe(NOW + 5_000);
  });

  it('is spent at once when the reading says nothing is left', () => {
    expect(budgetSpentUntil(budgetAfterReading(EMPTY_BUDGET, reading({ remaining: 0 })), NOW)).toBe(
      NOW + 5_000,
    );
  });

  it('does not count calls sent before the reading: the upstream counted them', () => {
    const budget = budgetAfterReading(calls(EMPTY_BUDGET, 8, 9, 10, 11), reading({ remaining: 2, call: 10 }));
    expect(budget.callsAfter.map((counted) => counted.call)).toEqual([11]);
    expect(budgetSpentUntil(budget, NOW)).toBeNull();
  });

  it('ignores a stale reading that overtook a fresher one', () => {
    const fresh = budgetAfterReading(calls(EMPTY_BUDGET, 11, 12), reading({ remaining: 5, call: 12 }));
    const stale = budgetAfterReading(fresh, reading({ remaining: 0, call: 11 }));
    expect(stale).toBe(fresh);
    expect(budgetSpentUntil(stale, NOW)).toBeNull();
  });

  it('after the reset counts the calls since against the full limit, for one more window when spent', () => {
    const sent = calls(EMPTY_BUDGET, 10);
    const budget = calls(budgetAfterReading(sent, reading({ remaining: 0, limit: 3 })), 11, 12);
    const later = NOW + 6_000;
    expect(budgetSpentUntil(budget, later)).toBeNull();
    // The reading's call went out 1 s before its answer: a window is 6 s from it to the reset.
    expect(budgetSpentUntil(calls(budget, 13), later)).toBe(later + 6_000);
  });

  it.each<[string, Partial<NumberedReading>, number]>([
    ['no reset stated', { remaining: 0, resetAt: null }, NOW],
    ['no limit stated, reset passed', { remaining: 0, limit: null }, NOW + 6_000],
  ])('says nothing with %s', (_name, overrides, now) => {
    const budget = calls(budgetAfterReading(EMPTY_BUDGET, reading(overrides)), 11, 12, 13);
    expect(budgetSpentUntil(budget, now)).toBeNull();
  });

  it('is idle once its reset passed and no call counts against it', () => {
    const budget = budgetAfterReading(EMPTY_BUDGET, reading());
    expect(budgetIsIdle(budget, NOW)).toBe(false);
    expect(budgetIsIdle(budget, NOW + 5_000)).toBe(true);
    expect(budgetIsIdle(calls(budget, 11), NOW + 5_000)).toBe(false);
    expect(budgetIsIdle(EMPTY_BUDGET, NOW)).toBe(true);
  });
});

describe('request budget bounds', () => {
  it(`counts at most ${MAX_CALLS_COUNTED} calls, dropping the oldest`, () => {
    const numbers = Array.from({ length: MAX_CALLS_COUNTED + 5 }, (_, index) => index + 1);
    const budget = calls(EMPTY_BUDGET, ...numbers);
    expect(budget.callsAfter).toHaveLength(MAX_CALLS_COUNTED);
    expect(budget.callsAfter[0]?.call).toBe(6);
  });
});

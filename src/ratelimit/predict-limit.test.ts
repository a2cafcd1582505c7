import { describe, expect, it } from 'vitest';
import type { RateLimitLock } from '../core/limits.js';
import { exhaustedUntil, type PredictLimitOptions, predictLimit } from './predict-limit.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function options(overrides: Partial<PredictLimitOptions> = {}): PredictLimitOptions {
  return {
    accountId: 'acc-1',
    model: 'gpt-4o',
    until: NOW + 1_500,
    source: 'rate-limit-headers',
    cause: 'exhausted',
    maxLockSeconds: 86_400,
    existing: null,
    now: NOW,
    ...overrides,
  };
}

function lockUntil(until: number, source: RateLimitLock['source'] = 'retry-after'): RateLimitLock {
  return {
    accountId: 'acc-1',
    scope: 'model',
    model: 'gpt-4o',
    reason: 'RateLimitExceeded',
    source,
    until,
    detectedAt: NOW - 100,
    message: null,
  };
}

describe('exhaustedUntil', () => {
  it.each<[string, { remainingFraction: number; resetAt: number | null }, number | null]>([
    ['nothing left, reset ahead: out until the reset', { remainingFraction: 0, resetAt: NOW + 5 }, NOW + 5],
    ['something left', { remainingFraction: 0.01, resetAt: NOW + 5_000 }, null],
    ['nothing left, no reset stated', { remainingFraction: 0, resetAt: null }, null],
    ['nothing left, reset now: replenished', { remainingFraction: 0, resetAt: NOW }, null],
    ['nothing left, reset passed: replenished', { remainingFraction: 0, resetAt: NOW - 1 }, null],
  ])('%s', (_name, quota, expected) => {
    expect(exhaustedUntil(quota, NOW)).toBe(expected);
  });
});

describe('predictLimit', () => {
  it('locks the model until the given end, from the rate-limit headers', () => {
    expect(predictLimit(options())).toEqual({
      accountId: 'acc-1',
      scope: 'model',
      model: 'gpt-4o',
      reason: 'RateLimitExceeded',
      source: 'rate-limit-headers',
      until: NOW + 1_500,
      detectedAt: NOW,
      message: 'Predicted: the rate-limit headers say nothing is left until the reset',
    });
  });

  it('reads an empty quota from a quota API as an exhausted quota for the model', () => {
    const lock = predictLimit(options({ source: 'quota-api', model: 'gemini-2.5-pro' }));
    expect(lock).toMatchObject({
      scope: 'model',
      model: 'gemini-2.5-pro',
      reason: 'QuotaExhausted',
      source: 'quota-api',
    });
  });

  it('locks the whole account when the model is unknown', () => {
    expect(predictLimit(options({ model: null }))).toMatchObject({ scope: 'account', model: null });
  });

  it('caps the lock at maxLockSeconds', () => {
    const lock = predictLimit(options({ until: NOW + 9_000_000, maxLockSeconds: 60 }));
    expect(lock?.until).toBe(NOW + 60_000);
  });

  it.each<[string, Partial<PredictLimitOptions>]>([
    ['the end is now', { until: NOW }],
    ['the end has passed', { until: NOW - 10 }],
    ['a lock on the same scope already ends later', { existing: lockUntil(NOW + 30_000) }],
    ['a lock on the same scope ends at the same time', { existing: lockUntil(NOW + 1_500) }],
    ['the cap is 0', { maxLockSeconds: 0 }],
  ])('sets nothing when %s', (_name, overrides) => {
    expect(predictLimit(options(overrides))).toBeNull();
  });

  it('says when the calls in flight, not the headers alone, spent the requests', () => {
    expect(predictLimit(options({ cause: 'in-flight' }))?.message).toMatch(/calls in flight/);
  });

  it('extends a shorter lock on the same scope', () => {
    expect(predictLimit(options({ existing: lockUntil(NOW + 500, 'backoff') }))?.until).toBe(NOW + 1_500);
  });
});

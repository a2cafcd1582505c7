import { describe, expect, it } from 'vitest';
import type { RateLimitLock } from '../core/limits.js';
import { recoveredModelLocks } from './recovered-model-locks.js';

function lock(accountId: string, model: string | null): RateLimitLock {
  return {
    accountId,
    scope: model === null ? 'account' : 'model',
    model,
    reason: model === null ? 'RateLimitExceeded' : 'QuotaExhausted',
    source: 'backoff',
    until: 10_000,
    detectedAt: 0,
    message: null,
  };
}

const quota = (remainingFraction: number) => ({ remainingFraction, resetAt: null });

describe('recoveredModelLocks', () => {
  it.each([
    ['a model with quota left again', [lock('a', 'm1')], { m1: quota(0.4) }, ['m1']],
    ['a model still at zero', [lock('a', 'm1')], { m1: quota(0) }, []],
    ['a model the read did not mention', [lock('a', 'm1')], { m2: quota(1) }, []],
    ['an account-level lock', [lock('a', null)], { m1: quota(1) }, []],
    ["another account's lock", [lock('b', 'm1')], { m1: quota(1) }, []],
    [
      'only the recovered models among several',
      [lock('a', 'm1'), lock('a', 'm2'), lock('a', null)],
      { m1: quota(1), m2: quota(0) },
      ['m1'],
    ],
  ])('lifts %s: %j', (_case, locks, models, expected) => {
    expect(recoveredModelLocks({ locks, accountId: 'a', models })).toEqual(expected);
  });
});

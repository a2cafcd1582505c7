import { describe, expect, it } from 'vitest';
import type { RateLimitLock } from '../core/limits.js';
import { LockTable } from './lock-table.js';

const NOW = 1_000_000;

function lock(accountId: string, model: string | null, until: number): RateLimitLock {
  return {
    accountId,
    scope: model === null ? 'account' : 'model',
    model,
    reason: 'Unknown',
    source: 'backoff',
    until,
    detectedAt: 0,
    message: null,
  };
}

describe('LockTable.blocking', () => {
  const cases: { name: string; locks: RateLimitLock[]; expected: number | null }[] = [
    { name: 'no locks: free', locks: [], expected: null },
    {
      name: 'an active account lock blocks every model',
      locks: [lock('a', null, NOW + 10)],
      expected: NOW + 10,
    },
    { name: 'an active lock on the model blocks it', locks: [lock('a', 'm', NOW + 20)], expected: NOW + 20 },
    { name: 'a lock on another model does not block', locks: [lock('a', 'other', NOW + 20)], expected: null },
    { name: 'a lock on another account does not block', locks: [lock('b', null, NOW + 20)], expected: null },
    { name: 'a lock ending exactly now no longer blocks', locks: [lock('a', null, NOW)], expected: null },
    {
      name: 'with both active, the later end wins (model later)',
      locks: [lock('a', null, NOW + 10), lock('a', 'm', NOW + 30)],
      expected: NOW + 30,
    },
    {
      name: 'with both active, the later end wins (account later)',
      locks: [lock('a', null, NOW + 40), lock('a', 'm', NOW + 30)],
      expected: NOW + 40,
    },
    {
      name: 'an expired account lock leaves the active model lock',
      locks: [lock('a', null, NOW - 1), lock('a', 'm', NOW + 30)],
      expected: NOW + 30,
    },
  ];
  for (const { name, locks, expected } of cases) {
    it(name, () => {
      expect(LockTable.from(locks).blocking('a', 'm', NOW)?.until ?? null).toBe(expected);
    });
  }

  it('shares one empty table for empty lists', () => {
    expect(LockTable.from([])).toBe(LockTable.empty);
  });
});

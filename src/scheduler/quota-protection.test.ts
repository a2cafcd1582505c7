import { describe, expect, it } from 'vitest';
import { MODEL, NOW, PROTECTION, table } from './pick-scenario.js';
import { isQuotaProtected, protectedFraction } from './quota-protection.js';
import { testAccount } from './test-account.js';

function observed(id: string, remainingFraction: number, resetAt: number | null) {
  return testAccount(id, {
    tier: 'ULTRA',
    quota: { [MODEL]: { remainingFraction, resetAt, observedAt: NOW - 60_000, source: 'headers' } },
  });
}

describe('protectedFraction', () => {
  it('is the observed fraction while the stated reset time lies ahead', () => {
    expect(protectedFraction(observed('a', 0.05, NOW + 1), MODEL, NOW)).toBe(0.05);
  });

  it('is 1 once the stated reset time has passed: the observation no longer holds', () => {
    expect(protectedFraction(observed('a', 0.05, NOW), MODEL, NOW)).toBe(1);
  });

  it('keeps the observed fraction when no reset time was stated', () => {
    expect(protectedFraction(observed('a', 0.05, null), MODEL, NOW)).toBe(0.05);
  });

  it('isQuotaProtected judges by the same rule', () => {
    const config = PROTECTION;
    expect(isQuotaProtected(observed('a', 0.05, NOW + 1), MODEL, { config, now: NOW })).toBe(true);
    expect(isQuotaProtected(observed('a', 0.05, NOW - 1), MODEL, { config, now: NOW })).toBe(false);
  });
});

table('quota protection and the reset time', [
  {
    name: 'an account below the threshold whose quota has not reset yet is skipped',
    accounts: [observed('a', 0.05, NOW + 60_000), testAccount('b')],
    config: { quotaProtection: PROTECTION },
    expected: { kind: 'account', accountId: 'b' },
  },
  {
    name: 'an account whose low quota observation is older than its reset time is used again',
    accounts: [observed('a', 0.05, NOW - 1), testAccount('b')],
    config: { quotaProtection: PROTECTION },
    expected: { kind: 'account', accountId: 'a' },
  },
]);

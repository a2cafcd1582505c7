import { describe, expect, it } from 'vitest';
import type { Account } from '../core/account.js';
import type { RateLimitLock } from '../core/limits.js';
import { accountAvailability, modelAvailability } from './model-availability.js';
import { isQuotaProtected, type QuotaProtectionConfig } from './quota-protection.js';
import { testAccount } from './test-account.js';

const NOW = 1_700_000_000_000;
const PROTECTION: QuotaProtectionConfig = {
  enabled: true,
  thresholdPercentage: 10,
  monitoredModels: ['gpt-*'],
};

function account(quota: Record<string, { fraction: number; resetAt?: number | null }>): Account {
  const entries = Object.entries(quota).map(([model, { fraction, resetAt = null }]) => [
    model,
    { remainingFraction: fraction, resetAt, observedAt: NOW - 60_000, source: 'headers' as const },
  ]);
  return testAccount('a', { quota: Object.fromEntries(entries) });
}

function lock(overrides: Partial<RateLimitLock>): RateLimitLock {
  return {
    accountId: 'a',
    scope: 'model',
    model: 'gpt-4o',
    reason: 'RateLimitExceeded',
    source: 'retry-after',
    until: NOW + 30_000,
    detectedAt: NOW - 1000,
    message: null,
    ...overrides,
  };
}

const judge = (subject: Account, locks: RateLimitLock[] = [], lockingEnabled = true) =>
  accountAvailability({ account: subject, locks, protection: PROTECTION, lockingEnabled, now: NOW });

describe('accountAvailability', () => {
  it('protects a monitored model below the threshold until its reset, and says by how much', () => {
    const [entry] = judge(account({ 'gpt-4o': { fraction: 0.05, resetAt: NOW + 3_600_000 } }));
    expect(entry).toEqual({
      model: 'gpt-4o',
      state: 'protected',
      reason: '5% of the quota left, below the 10% quota-protection threshold',
      until: NOW + 3_600_000,
      lockSource: null,
    });
  });

  it.each<{ name: string; quota: Record<string, { fraction: number; resetAt?: number }> }>([
    { name: 'above the threshold', quota: { 'gpt-4o': { fraction: 0.5 } } },
    { name: 'a model that is not monitored', quota: { 'claude-sonnet-4': { fraction: 0.01 } } },
    { name: 'a reset time that has passed', quota: { 'gpt-4o': { fraction: 0.01, resetAt: NOW } } },
  ])('leaves a model available with $name', ({ quota }) => {
    expect(judge(account(quota)).map((entry) => entry.state)).toEqual(['available']);
  });

  it('agrees with the scheduler rule on every quota and reset it is given', () => {
    for (const fraction of [0, 0.05, 0.0999, 0.1, 0.5, 1]) {
      for (const resetAt of [null, NOW - 1, NOW, NOW + 1]) {
        const subject = account({ 'gpt-4o': { fraction, resetAt } });
        const [entry] = judge(subject);
        const expected = isQuotaProtected(subject, 'gpt-4o', { config: PROTECTION, now: NOW });
        expect(entry?.state === 'protected').toBe(expected);
      }
    }
  });

  it('tells a failure lock from a predicted limit, with the lock end and source', () => {
    const subject = account({ 'gpt-4o': { fraction: 0.5 }, 'gpt-4.1': { fraction: 0.5 } });
    const entries = judge(subject, [
      lock({ model: 'gpt-4o', message: 'slow down' }),
      lock({ model: 'gpt-4.1', source: 'rate-limit-headers', reason: 'QuotaExhausted', until: NOW + 90_000 }),
    ]);
    expect(entries).toEqual([
      {
        model: 'gpt-4.1',
        state: 'predicted_out',
        reason: 'out of quota until the reset the upstream announced',
        until: NOW + 90_000,
        lockSource: 'rate-limit-headers',
      },
      {
        model: 'gpt-4o',
        state: 'locked',
        reason: 'locked after RateLimitExceeded: slow down',
        until: NOW + 30_000,
        lockSource: 'retry-after',
      },
    ]);
  });

  it('lists a locked model without a quota observation, and a lock wins over protection', () => {
    const subject = account({ 'gpt-4o': { fraction: 0.01 } });
    const entries = judge(subject, [lock({ model: 'gpt-4o' }), lock({ model: 'o3' })]);
    expect(entries.map((entry) => [entry.model, entry.state])).toEqual([
      ['gpt-4o', 'locked'],
      ['o3', 'locked'],
    ]);
  });

  it('puts an account-wide lock first and on every model', () => {
    const subject = account({ 'gpt-4o': { fraction: 0.5 } });
    const entries = judge(subject, [lock({ scope: 'account', model: null, source: 'quota-api' })]);
    expect(entries.map((entry) => [entry.model, entry.state])).toEqual([
      [null, 'predicted_out'],
      ['gpt-4o', 'predicted_out'],
    ]);
    expect(entries[1]?.reason).toMatch(/^the whole account is out of quota/);
  });

  it('ignores ended locks, locks of other accounts, and every lock with the circuit breaker off', () => {
    const subject = account({ 'gpt-4o': { fraction: 0.5 } });
    const locks = [lock({ until: NOW }), lock({ accountId: 'b' })];
    expect(judge(subject, locks).map((entry) => entry.state)).toEqual(['available']);
    expect(judge(subject, [lock({})], false).map((entry) => entry.state)).toEqual(['available']);
  });
});

describe('modelAvailability', () => {
  it('says of one model what accountAvailability says of it, and judges a model never observed', () => {
    const subject = account({ 'gpt-4o': { fraction: 0.05 }, 'gpt-5': { fraction: 0.9 } });
    const locks = [lock({ model: 'gpt-5' }), lock({ accountId: 'b', scope: 'account', model: null })];
    for (const entry of judge(subject, locks)) {
      if (entry.model === null) continue;
      const one = modelAvailability({
        account: subject,
        model: entry.model,
        locks,
        protection: PROTECTION,
        lockingEnabled: true,
        now: NOW,
      });
      expect(one).toEqual(entry);
    }
    const wholeAccount = [lock({ scope: 'account', model: null, until: NOW + 90_000 })];
    const unseen = modelAvailability({
      account: subject,
      model: 'gpt-unseen',
      locks: wholeAccount,
      protection: PROTECTION,
      lockingEnabled: true,
      now: NOW,
    });
    expect(unseen).toMatchObject({ model: 'gpt-unseen', state: 'locked', until: NOW + 90_000 });
  });
});

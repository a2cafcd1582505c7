import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account, ProviderKind } from '../core/account.js';
import { canServe, modelMatches, TIERS } from '../core/account.js';
import { MemoryAccountPool } from '../core/account-pool.js';
import type { RateLimitLock } from '../core/limits.js';
import { AccountOrder } from './account-order.js';
import { LockTable } from './lock-table.js';
import type { PickInput, SchedulingMode } from './pick.js';
import { GRACE_WAIT_MS, pick } from './pick.js';
import { quotaOf, testAccount } from './test-account.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const MODEL = 'model-x';
const IDS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];

const accountArbitrary = (id: string) =>
  fc
    .record({
      disabled: fc.constantFrom(false, false, false, false, true),
      proxyDisabled: fc.constantFrom(false, false, false, true),
      tier: fc.constantFrom(null, ...TIERS),
      fraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      models: fc.constantFrom<string[]>([], [], ['model-*'], ['other']),
      provider: fc.constantFrom('openai', 'openai', 'anthropic'),
      createdAt: fc.nat(5),
    })
    .map(({ fraction, ...rest }) =>
      testAccount(id, { ...rest, quota: fraction === null ? {} : quotaOf(MODEL, fraction) }),
    );

const lockArbitrary = fc.record({
  accountId: fc.constantFrom(...IDS),
  model: fc.constantFrom(null, MODEL, 'other'),
  offset: fc.integer({ min: -5_000, max: 120_000 }),
});

const scenarioArbitrary = fc.record({
  accounts: fc.subarray(IDS).chain((ids) => fc.tuple(...ids.map(accountArbitrary))),
  locks: fc.array(lockArbitrary, { maxLength: 6 }),
  attempted: fc.subarray(IDS),
  sessionId: fc.option(fc.constant('session')),
  forceRotate: fc.boolean(),
  providers: fc.constantFrom<ProviderKind[] | null>(null, null, ['openai'], ['anthropic', 'gemini']),
  boundAccountId: fc.option(fc.constantFrom(...IDS, 'ghost')),
  fixedAccountId: fc.option(fc.constantFrom(...IDS, 'ghost')),
  lastUsed: fc.option(
    fc.record({ accountId: fc.constantFrom(...IDS), at: fc.integer({ min: NOW - 90_000, max: NOW }) }),
  ),
  counter: fc.nat(1_000),
  mode: fc.constantFrom<SchedulingMode>('Balance', 'CacheFirst', 'PerformanceFirst'),
  maxWaitSeconds: fc.nat(120),
  protection: fc.record({
    enabled: fc.boolean(),
    thresholdPercentage: fc.integer({ min: 0, max: 100 }),
    monitoredModels: fc.constantFrom([], ['model-*'], [MODEL], ['other']),
  }),
});

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toLocks(scenario: Scenario): RateLimitLock[] {
  return scenario.locks.map(({ accountId, model, offset }) => ({
    accountId,
    scope: model === null ? 'account' : 'model',
    model,
    reason: 'QuotaExhausted',
    source: 'backoff',
    until: NOW + offset,
    detectedAt: NOW - 1,
    message: null,
  }));
}

function toInput(scenario: Scenario): PickInput {
  return {
    accounts: new AccountOrder(new MemoryAccountPool(scenario.accounts)),
    request: {
      sessionId: scenario.sessionId,
      model: MODEL,
      attempted: new Set(scenario.attempted),
      forceRotate: scenario.forceRotate,
      providers: scenario.providers === null ? null : new Set(scenario.providers),
    },
    state: {
      boundAccountId: scenario.boundAccountId,
      fixedAccountId: scenario.fixedAccountId,
      lastUsed: scenario.lastUsed,
      roundRobinCounter: scenario.counter,
      locks: LockTable.from(toLocks(scenario)),
    },
    config: {
      mode: scenario.mode,
      maxWaitSeconds: scenario.maxWaitSeconds,
      quotaProtection: scenario.protection,
      windowMs: 60_000,
    },
    now: NOW,
  };
}

/** An independent statement of "this account may serve this request now". */
function usable(scenario: Scenario, accountId: string): boolean {
  const account: Account | undefined = scenario.accounts.find((candidate) => candidate.id === accountId);
  if (!account || !canServe(account, MODEL)) return false;
  if (scenario.attempted.includes(accountId)) return false;
  if (scenario.providers !== null && !scenario.providers.includes(account.provider)) return false;
  const { enabled, thresholdPercentage, monitoredModels } = scenario.protection;
  const fraction = account.quota[MODEL]?.remainingFraction ?? 1;
  const monitored =
    monitoredModels.length === 0 || monitoredModels.some((pattern) => modelMatches(pattern, MODEL));
  if (enabled && monitored && fraction < thresholdPercentage / 100) return false;
  return !toLocks(scenario).some(
    (lock) =>
      lock.accountId === accountId && (lock.model === null || lock.model === MODEL) && lock.until > NOW,
  );
}

describe('pick properties', () => {
  it('never picks a disabled, proxy-disabled, non-serving, other-provider, locked, protected or attempted account', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const decision = pick(toInput(scenario));
        if (decision.kind === 'account') expect(usable(scenario, decision.accountId)).toBe(true);
        const anyUsable = scenario.accounts.some((account) => usable(scenario, account.id));
        if (!anyUsable) expect(decision.kind).not.toBe('account');
        if (anyUsable && decision.kind !== 'account') {
          expect(decision).toMatchObject({ kind: 'wait', accountId: scenario.boundAccountId });
          expect(scenario.mode).toBe('CacheFirst');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('PerformanceFirst never binds, never uses the window or the binding, never moves last used', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const decision = pick(toInput({ ...scenario, mode: 'PerformanceFirst' }));
        if (decision.kind === 'account') {
          expect(decision.bind).toBe(false);
          expect(decision.setLastUsed).toBe(false);
          expect(['fixed', 'round-robin']).toContain(decision.via);
        }
        if (decision.kind === 'wait') expect(decision.waitMs).toBeLessThanOrEqual(GRACE_WAIT_MS);
      }),
      { numRuns: 1000 },
    );
  });

  it('a usable fixed account always wins', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.constantFrom(...IDS), (scenario, fixed) => {
        fc.pre(usable(scenario, fixed));
        expect(pick(toInput({ ...scenario, fixedAccountId: fixed }))).toMatchObject({
          kind: 'account',
          accountId: fixed,
          via: 'fixed',
          bind: false,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('binds only requests that have a session id, and waits only within the mode’s limit', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const decision = pick(toInput(scenario));
        if (decision.kind === 'account' && decision.bind) expect(scenario.sessionId).not.toBeNull();
        if (decision.kind === 'wait') {
          const limit =
            scenario.mode === 'CacheFirst'
              ? Math.max(GRACE_WAIT_MS, scenario.maxWaitSeconds * 1000)
              : GRACE_WAIT_MS;
          expect(decision.waitMs).toBeGreaterThan(0);
          expect(decision.waitMs).toBeLessThanOrEqual(limit);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('with no failures, k·n round-robin picks over n accounts give each account k picks (±1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(10_000),
        fc.constantFrom<SchedulingMode>('Balance', 'CacheFirst', 'PerformanceFirst'),
        (n, k, start, mode) => {
          const pool = new MemoryAccountPool(
            Array.from({ length: n }, (_, index) => testAccount(`a${index}`)),
          );
          const accounts = new AccountOrder(pool);
          const picks = new Map<string, number>();
          let counter = start;
          for (let index = 0; index < k * n; index++) {
            const decision = pick({
              accounts,
              request: { sessionId: null, model: MODEL, attempted: new Set(), forceRotate: false },
              state: {
                boundAccountId: null,
                fixedAccountId: null,
                lastUsed: null,
                roundRobinCounter: counter,
                locks: LockTable.empty,
              },
              config: {
                mode,
                maxWaitSeconds: 60,
                quotaProtection: { enabled: false, thresholdPercentage: 0, monitoredModels: [] },
                windowMs: 60_000,
              },
              now: NOW,
            });
            if (decision.kind !== 'account') throw new Error(`unexpected ${decision.kind}`);
            picks.set(decision.accountId, (picks.get(decision.accountId) ?? 0) + 1);
            counter = Math.max(counter + 1, decision.advanceCounterTo ?? 0);
          }
          expect(picks.size).toBe(n);
          for (const count of picks.values()) expect(Math.abs(count - k)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

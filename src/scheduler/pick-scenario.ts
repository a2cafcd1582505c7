import { describe, expect, it } from 'vitest';
import type { Account } from '../core/account.js';
import { MemoryAccountPool } from '../core/account-pool.js';
import type { RateLimitLock } from '../core/limits.js';
import { AccountOrder } from './account-order.js';
import { LockTable } from './lock-table.js';
import type { PickDecision, PickRequest, PickState, SchedulingConfig } from './pick.js';
import { DEFAULT_WINDOW_MS, pick } from './pick.js';
import { quotaOf, testAccount, testAccountLock } from './test-account.js';

/** Table-driven `pick` tests: one scenario per rule, run against a real AccountOrder. */

export const NOW = Date.UTC(2026, 0, 1, 12);
export const MODEL = 'model-x';

export interface Scenario {
  name: string;
  accounts?: Account[];
  request?: Partial<PickRequest>;
  state?: Partial<Omit<PickState, 'locks'>>;
  locks?: RateLimitLock[];
  config?: Partial<SchedulingConfig>;
  expected: Partial<PickDecision> & Record<string, unknown>;
}

/** Three plain accounts a, b, c, in that order. */
export const ABC = [testAccount('a'), testAccount('b'), testAccount('c')];

export function accountLock(accountId: string, untilOffsetMs = 60_000): RateLimitLock {
  return testAccountLock(accountId, { detectedAt: NOW, until: NOW + untilOffsetMs });
}

export function modelLock(accountId: string, untilOffsetMs = 60_000, model = MODEL): RateLimitLock {
  return {
    ...accountLock(accountId, untilOffsetMs),
    scope: 'model',
    model,
    reason: 'QuotaExhausted',
    source: 'backoff',
  };
}

export const PROTECTION = { enabled: true, thresholdPercentage: 10, monitoredModels: ['model-*'] };

function run(scenario: Scenario): PickDecision {
  const accounts = new AccountOrder(new MemoryAccountPool(scenario.accounts ?? ABC));
  return pick({
    accounts,
    request: { sessionId: null, model: MODEL, attempted: new Set(), forceRotate: false, ...scenario.request },
    state: {
      boundAccountId: null,
      fixedAccountId: null,
      lastUsed: null,
      roundRobinCounter: 0,
      ...scenario.state,
      locks: LockTable.from(scenario.locks ?? []),
    },
    config: {
      mode: 'Balance',
      maxWaitSeconds: 60,
      quotaProtection: { enabled: false, thresholdPercentage: 10, monitoredModels: [] },
      windowMs: DEFAULT_WINDOW_MS,
      ...scenario.config,
    },
    now: NOW,
  });
}

export function table(title: string, scenarios: Scenario[]): void {
  describe(title, () => {
    for (const scenario of scenarios) {
      it(scenario.name, () => {
        expect(run(scenario)).toMatchObject(scenario.expected);
      });
    }
  });
}

/** Below the 10 % threshold for MODEL; ULTRA so that it sorts first and skipping it is visible. */
export const protectedAccount = (id: string) =>
  testAccount(id, { tier: 'ULTRA', quota: quotaOf(MODEL, 0.05) });

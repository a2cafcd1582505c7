import { describe, expect, it } from 'vitest';
import type { Account } from '../core/account.js';
import { MemoryAccountPool } from '../core/account-pool.js';
import type { RateLimitLock } from '../core/limits.js';
import { AccountOrder } from './account-order.js';
import { LockTable } from './lock-table.js';
import type { PickDecision, PickRequest, PickState, SchedulingConfig } from './pick.js';
import { DEFAULT_WINDOW_MS, pick } from './pick.js';
import { quotaOf, testAccount } from './test-account.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const MODEL = 'model-x';

interface Scenario {
  name: string;
  accounts?: Account[];
  request?: Partial<PickRequest>;
  state?: Partial<Omit<PickState, 'locks'>>;
  locks?: RateLimitLock[];
  config?: Partial<SchedulingConfig>;
  expected: Partial<PickDecision> & Record<string, unknown>;
}

/** Three plain accounts a, b, c, in that order. */
const ABC = [testAccount('a'), testAccount('b'), testAccount('c')];

function accountLock(accountId: string, untilOffsetMs = 60_000): RateLimitLock {
  return {
    accountId,
    scope: 'account',
    model: null,
    reason: 'RateLimitExceeded',
    until: NOW + untilOffsetMs,
    detectedAt: NOW,
    message: null,
  };
}

function modelLock(accountId: string, untilOffsetMs = 60_000, model = MODEL): RateLimitLock {
  return { ...accountLock(accountId, untilOffsetMs), scope: 'model', model, reason: 'QuotaExhausted' };
}

const PROTECTION = { enabled: true, thresholdPercentage: 10, monitoredModels: ['model-*'] };

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

function table(title: string, scenarios: Scenario[]): void {
  describe(title, () => {
    for (const scenario of scenarios) {
      it(scenario.name, () => {
        expect(run(scenario)).toMatchObject(scenario.expected);
      });
    }
  });
}

/** Below the 10 % threshold for MODEL; ULTRA so that it sorts first and skipping it is visible. */
const protectedAccount = (id: string) => testAccount(id, { tier: 'ULTRA', quota: quotaOf(MODEL, 0.05) });

table('fixed account', [
  {
    name: 'a usable fixed account wins over a sticky binding, without binding or touching last used',
    request: { sessionId: 's' },
    state: { fixedAccountId: 'c', boundAccountId: 'a' },
    expected: { kind: 'account', accountId: 'c', via: 'fixed', bind: false, setLastUsed: false },
  },
  ...(
    [
      ['disabled', [testAccount('a'), testAccount('b', { disabled: true })], {}, []],
      ['proxy-disabled', [testAccount('a'), testAccount('b', { proxyDisabled: true })], {}, []],
      ['model-not-served', [testAccount('a'), testAccount('b', { models: ['other-*'] })], {}, []],
      ['locked', ABC, {}, [modelLock('b')]],
      ['locked', ABC, {}, [accountLock('b')]],
      ['attempted', ABC, { attempted: new Set(['b']) }, []],
      ['quota-protected', [testAccount('a'), protectedAccount('b')], {}, []],
    ] as const
  ).map(
    ([reason, accounts, request, locks]): Scenario => ({
      name: `a fixed account that is ${reason} is bypassed (${locks[0]?.scope ?? 'no'} lock) and the reason recorded`,
      accounts: [...accounts],
      request,
      locks: [...locks],
      state: { fixedAccountId: 'b' },
      config: { quotaProtection: PROTECTION },
      expected: { kind: 'account', accountId: 'a', via: 'round-robin', fixedBypassed: reason },
    }),
  ),
  {
    name: 'a fixed account id that is not in the pool is bypassed as not-found',
    state: { fixedAccountId: 'gone' },
    expected: { kind: 'account', via: 'round-robin', fixedBypassed: 'not-found' },
  },
  {
    name: 'a bypassed fixed account falls through to the sticky binding',
    request: { sessionId: 's' },
    state: { fixedAccountId: 'b', boundAccountId: 'c' },
    locks: [accountLock('b')],
    expected: { kind: 'account', accountId: 'c', via: 'sticky', fixedBypassed: 'locked' },
  },
]);

table('sticky session', [
  {
    name: 'reuses the bound account without re-binding',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    expected: {
      kind: 'account',
      accountId: 'b',
      via: 'sticky',
      bind: false,
      unbind: false,
      setLastUsed: false,
    },
  },
  ...(
    [
      ['locked for the model', ABC, [modelLock('b')]],
      ['locked as a whole account', ABC, [accountLock('b')]],
      ['disabled', [testAccount('a'), testAccount('b', { disabled: true })], []],
      ['proxy-disabled', [testAccount('a'), testAccount('b', { proxyDisabled: true })], []],
      ['no longer serving the model', [testAccount('a'), testAccount('b', { models: ['other'] })], []],
      ['quota-protected', [testAccount('a'), protectedAccount('b')], []],
      ['removed from the pool', [testAccount('a')], []],
    ] as const
  ).map(
    ([what, accounts, locks]): Scenario => ({
      name: `unbinds a bound account that is ${what} and binds the session to the new pick`,
      accounts: [...accounts],
      locks: [...locks],
      request: { sessionId: 's' },
      state: { boundAccountId: 'b' },
      config: { quotaProtection: PROTECTION },
      expected: { kind: 'account', accountId: 'a', via: 'round-robin', bind: true, unbind: true },
    }),
  ),
  {
    name: 'PerformanceFirst ignores the binding and never binds',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b', roundRobinCounter: 2 },
    config: { mode: 'PerformanceFirst' },
    expected: {
      kind: 'account',
      accountId: 'c',
      via: 'round-robin',
      bind: false,
      unbind: false,
      setLastUsed: false,
    },
  },
  {
    name: 'a forced rotation skips the binding and re-binds the session to the new account',
    request: { sessionId: 's', forceRotate: true, attempted: new Set(['b']) },
    state: { boundAccountId: 'b', roundRobinCounter: 1 },
    expected: { kind: 'account', accountId: 'c', via: 'round-robin', bind: true, unbind: false },
  },
  {
    name: 'a binding without a session id in the request is ignored',
    state: { boundAccountId: 'b', roundRobinCounter: 2 },
    expected: { kind: 'account', accountId: 'c', via: 'round-robin', bind: false },
  },
]);

const recently = { accountId: 'b', at: NOW - DEFAULT_WINDOW_MS + 1 };

table('60-second window', [
  {
    name: 'reuses the last-used account picked less than 60 s ago, without moving the window',
    state: { lastUsed: recently },
    expected: { kind: 'account', accountId: 'b', via: 'window', bind: false, setLastUsed: false },
  },
  {
    name: 'a session without a binding lands on the window account and is bound to it',
    request: { sessionId: 's' },
    state: { lastUsed: recently },
    expected: { kind: 'account', accountId: 'b', via: 'window', bind: true, unbind: false },
  },
  {
    name: 'a session whose bound account is limited lands on the window account, unbinding and re-binding',
    request: { sessionId: 's' },
    state: { lastUsed: recently, boundAccountId: 'c' },
    locks: [accountLock('c')],
    expected: { kind: 'account', accountId: 'b', via: 'window', bind: true, unbind: true },
  },
  {
    name: 'the window closes exactly 60 s after the pick, and round robin starts a new one',
    state: { lastUsed: { accountId: 'b', at: NOW - DEFAULT_WINDOW_MS } },
    expected: { kind: 'account', accountId: 'a', via: 'round-robin', setLastUsed: true },
  },
  {
    name: 'a limited last-used account is not reused',
    state: { lastUsed: recently },
    locks: [modelLock('b')],
    expected: { kind: 'account', accountId: 'a', via: 'round-robin' },
  },
  {
    name: 'an attempted last-used account is not reused',
    request: { attempted: new Set(['b']) },
    state: { lastUsed: recently },
    expected: { kind: 'account', accountId: 'a', via: 'round-robin' },
  },
  {
    name: 'PerformanceFirst never uses the window',
    state: { lastUsed: recently },
    config: { mode: 'PerformanceFirst' },
    expected: { kind: 'account', accountId: 'a', via: 'round-robin', setLastUsed: false },
  },
  {
    name: 'a forced rotation never uses the window',
    request: { forceRotate: true },
    state: { lastUsed: recently },
    expected: { kind: 'account', accountId: 'a', via: 'round-robin' },
  },
]);

table('round robin', [
  {
    name: 'starts at the counter modulo the number of accounts and advances the counter past the pick',
    state: { roundRobinCounter: 7 },
    expected: { kind: 'account', accountId: 'b', via: 'round-robin', advanceCounterTo: 8, setLastUsed: true },
  },
  {
    name: 'skips locked, attempted and protected accounts and advances the counter past all of them',
    accounts: [protectedAccount('a'), testAccount('b'), testAccount('c'), testAccount('d'), testAccount('e')],
    request: { attempted: new Set(['c']) },
    state: { roundRobinCounter: 10 },
    locks: [modelLock('b'), accountLock('d')],
    config: { quotaProtection: PROTECTION },
    expected: { kind: 'account', accountId: 'e', advanceCounterTo: 15 },
  },
  {
    name: 'wraps around the end of the order',
    state: { roundRobinCounter: 2 },
    locks: [accountLock('c')],
    expected: { kind: 'account', accountId: 'a', advanceCounterTo: 4 },
  },
  {
    name: 'never schedules disabled, proxy-disabled or non-serving accounts',
    accounts: [
      testAccount('a', { disabled: true }),
      testAccount('b', { proxyDisabled: true }),
      testAccount('c', { models: ['other'] }),
      testAccount('d'),
    ],
    expected: { kind: 'account', accountId: 'd' },
  },
  {
    name: 'follows the model order: tier first, then remaining quota for the model, then creation',
    accounts: [
      testAccount('free', { tier: 'FREE', createdAt: 1 }),
      testAccount('none', { createdAt: 0 }),
      testAccount('pro-low', { tier: 'PRO', quota: quotaOf(MODEL, 0.2) }),
      testAccount('pro-high', { tier: 'PRO', quota: quotaOf(MODEL, 0.9), createdAt: 5 }),
      testAccount('pro-unknown', { tier: 'PRO', createdAt: 9 }),
      testAccount('ultra', { tier: 'ULTRA', quota: quotaOf(MODEL, 0.01), createdAt: 9 }),
    ],
    state: { roundRobinCounter: 2 },
    expected: { accountId: 'pro-high' },
  },
  {
    name: 'a lock on another model does not block the account',
    locks: [modelLock('a', 60_000, 'other-model')],
    expected: { kind: 'account', accountId: 'a' },
  },
]);

const MIXED = [
  testAccount('o1'),
  testAccount('a1', { provider: 'anthropic' }),
  testAccount('a2', { provider: 'anthropic' }),
];
const ANTHROPIC_ONLY = new Set(['anthropic'] as const);

table('provider filter', [
  {
    name: 'round robin only considers accounts of the allowed provider kinds',
    accounts: MIXED,
    request: { providers: ANTHROPIC_ONLY },
    state: { roundRobinCounter: 1 },
    expected: { kind: 'account', accountId: 'a2', advanceCounterTo: 2 },
  },
  {
    name: 'a fixed account of another provider is bypassed as provider-not-allowed',
    accounts: MIXED,
    request: { providers: ANTHROPIC_ONLY },
    state: { fixedAccountId: 'o1' },
    expected: { kind: 'account', accountId: 'a1', fixedBypassed: 'provider-not-allowed' },
  },
  {
    name: 'a session bound to an account of another provider is unbound',
    accounts: MIXED,
    request: { providers: ANTHROPIC_ONLY, sessionId: 's' },
    state: { boundAccountId: 'o1' },
    expected: { kind: 'account', accountId: 'a1', unbind: true, bind: true },
  },
  {
    name: 'the window account of another provider is not reused',
    accounts: MIXED,
    request: { providers: ANTHROPIC_ONLY },
    state: { lastUsed: { accountId: 'o1', at: NOW - 1 } },
    expected: { kind: 'account', accountId: 'a1', via: 'round-robin' },
  },
  {
    name: 'no account of the allowed kinds: model-not-served, naming the kinds',
    accounts: [testAccount('o1')],
    request: { providers: ANTHROPIC_ONLY },
    expected: {
      kind: 'none-eligible',
      reason: 'model-not-served',
      message: 'No enabled anthropic account serves model "model-x".',
    },
  },
]);

table('quota protection', [
  {
    name: 'protects an account below the threshold for a model matching a wildcard',
    accounts: [protectedAccount('a'), testAccount('b')],
    config: { quotaProtection: PROTECTION },
    expected: { accountId: 'b' },
  },
  {
    name: 'does not protect a model that is not monitored',
    accounts: [protectedAccount('a'), testAccount('b')],
    config: { quotaProtection: { ...PROTECTION, monitoredModels: ['other-model'] } },
    expected: { accountId: 'a' },
  },
  {
    name: 'does not protect an account exactly at the threshold (strictly below only)',
    accounts: [testAccount('a', { tier: 'ULTRA', quota: quotaOf(MODEL, 0.1) }), testAccount('b')],
    config: { quotaProtection: PROTECTION },
    expected: { accountId: 'a' },
  },
  {
    name: 'does nothing when disabled',
    accounts: [protectedAccount('a'), testAccount('b')],
    config: { quotaProtection: { ...PROTECTION, enabled: false } },
    expected: { accountId: 'a' },
  },
  {
    name: 'an account without quota info for the model counts as full',
    accounts: [testAccount('a', { quota: quotaOf('model-y', 0) }), testAccount('b')],
    config: { quotaProtection: PROTECTION },
    expected: { accountId: 'a' },
  },
]);

table('waiting (CacheFirst and grace)', [
  {
    name: 'CacheFirst waits for a bound account that frees within max_wait_seconds',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [modelLock('b', 45_000)],
    config: { mode: 'CacheFirst', maxWaitSeconds: 60 },
    expected: { kind: 'wait', accountId: 'b', waitMs: 45_000 },
  },
  {
    name: 'CacheFirst switches (and unbinds) when the bound account frees later than max_wait_seconds',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [accountLock('b', 61_000)],
    config: { mode: 'CacheFirst', maxWaitSeconds: 60 },
    expected: { kind: 'account', accountId: 'a', unbind: true, bind: true },
  },
  {
    name: 'CacheFirst does not wait on a forced rotation',
    request: { sessionId: 's', forceRotate: true },
    state: { boundAccountId: 'b', roundRobinCounter: 1 },
    locks: [accountLock('b', 5_000)],
    config: { mode: 'CacheFirst' },
    expected: { kind: 'account', accountId: 'c' },
  },
  {
    name: 'Balance switches instead of waiting for a limited bound account',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [accountLock('b', 5_000)],
    expected: { kind: 'account', accountId: 'a', unbind: true },
  },
  {
    name: 'CacheFirst waits for the only account when it frees within max_wait_seconds',
    accounts: [testAccount('a')],
    locks: [accountLock('a', 30_000)],
    config: { mode: 'CacheFirst', maxWaitSeconds: 60 },
    expected: { kind: 'wait', accountId: 'a', waitMs: 30_000 },
  },
  {
    name: 'when all are limited, waits for the earliest one within the 2 s grace',
    locks: [accountLock('a', 9_000), modelLock('b', 1_500), accountLock('c', 3_000)],
    expected: { kind: 'wait', accountId: 'b', waitMs: 1_500 },
  },
  {
    name: 'when all are limited past the grace, answers all-limited until the earliest lock ends',
    locks: [accountLock('a', 9_000), modelLock('b', 4_500), accountLock('c', 30_000)],
    expected: {
      kind: 'all-limited',
      retryAfterMs: 4_500,
      message: 'All 3 available accounts for model "model-x" are rate-limited; the first frees in 5s.',
    },
  },
  {
    name: 'an account with both locks frees only when the later one ends',
    accounts: [testAccount('a')],
    locks: [accountLock('a', 1_000), modelLock('a', 20_000)],
    expected: { kind: 'all-limited', retryAfterMs: 20_000 },
  },
]);

table('nothing eligible', [
  { name: 'no accounts at all', accounts: [], expected: { kind: 'none-eligible', reason: 'no-accounts' } },
  {
    name: 'every account disabled or proxy-disabled',
    accounts: [testAccount('a', { disabled: true }), testAccount('b', { proxyDisabled: true })],
    expected: { kind: 'none-eligible', reason: 'all-disabled' },
  },
  {
    name: 'no enabled account serves the model (the message names it)',
    accounts: [testAccount('a', { models: ['gpt-*'] }), testAccount('b', { disabled: true })],
    expected: {
      kind: 'none-eligible',
      reason: 'model-not-served',
      message: 'No enabled account serves model "model-x".',
    },
  },
  {
    name: 'every serving account is quota-protected',
    accounts: [protectedAccount('a'), protectedAccount('b')],
    config: { quotaProtection: PROTECTION },
    expected: { kind: 'none-eligible', reason: 'all-protected' },
  },
  {
    name: 'every serving account was already attempted',
    request: { attempted: new Set(['a', 'b', 'c']) },
    expected: { kind: 'none-eligible', reason: 'all-attempted' },
  },
  {
    name: 'locked accounts count as limited even when the others are protected or attempted',
    accounts: [protectedAccount('a'), testAccount('b'), testAccount('c')],
    request: { attempted: new Set(['b']) },
    locks: [accountLock('c', 10_000)],
    config: { quotaProtection: PROTECTION },
    expected: { kind: 'all-limited', retryAfterMs: 10_000 },
  },
]);

import { DEFAULT_WINDOW_MS } from './pick.js';
import {
  ABC,
  accountLock,
  MODEL,
  modelLock,
  NOW,
  PROTECTION,
  protectedAccount,
  type Scenario,
  table,
} from './pick-scenario.js';
import { quotaOf, testAccount } from './test-account.js';

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
    name: 'a new session skips the window: round robin spreads new conversations, and binds',
    request: { sessionId: 's' },
    state: { lastUsed: recently },
    expected: { kind: 'account', accountId: 'a', via: 'round-robin', bind: true, unbind: false },
  },
  {
    name: 'a session whose bound account is limited moves by round robin, unbinding and re-binding',
    request: { sessionId: 's' },
    state: { lastUsed: recently, boundAccountId: 'c' },
    locks: [accountLock('c')],
    expected: { kind: 'account', accountId: 'a', via: 'round-robin', bind: true, unbind: true },
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

table('accounts of a client key', [
  {
    name: 'round robin skips the accounts outside the key’s set',
    request: { accounts: new Set(['c']) },
    state: { roundRobinCounter: 0 },
    expected: { kind: 'account', accountId: 'c', via: 'round-robin' },
  },
  {
    name: 'a fixed account outside the set is bypassed for this request',
    request: { accounts: new Set(['a']) },
    state: { fixedAccountId: 'b' },
    expected: { kind: 'account', accountId: 'a', fixedBypassed: 'not-allowed-for-key' },
  },
  {
    name: 'a session bound outside the set moves to an account inside it',
    request: { sessionId: 's', accounts: new Set(['b']) },
    state: { boundAccountId: 'a' },
    expected: { kind: 'account', accountId: 'b', via: 'round-robin', bind: true, unbind: true },
  },
  {
    name: 'none of the key’s accounts serves the model: says so instead of blaming the model',
    accounts: [testAccount('a'), testAccount('b', { models: ['other-*'] })],
    request: { accounts: new Set(['b']) },
    expected: { kind: 'none-eligible', reason: 'outside-key-accounts' },
  },
  {
    name: 'every account of the key is locked: all limited, like any pool',
    request: { accounts: new Set(['a']) },
    locks: [accountLock('a', 120_000)],
    expected: { kind: 'all-limited', retryAfterMs: 120_000 },
  },
]);

import { accountLock, MODEL, modelLock, PROTECTION, protectedAccount, table } from './pick-scenario.js';
import { quotaOf, testAccount } from './test-account.js';

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
    name: 'CacheFirst waits for a bound account whose rate limit ends within max_wait_seconds',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [accountLock('b', 45_000)],
    config: { mode: 'CacheFirst', maxWaitSeconds: 60 },
    expected: { kind: 'wait', accountId: 'b', waitMs: 45_000 },
  },
  {
    name: 'CacheFirst does not wait out an exhausted quota (its end is a backoff guess): it switches',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [modelLock('b', 45_000)],
    config: { mode: 'CacheFirst', maxWaitSeconds: 60 },
    expected: { kind: 'account', via: 'round-robin', unbind: true, bind: true },
  },
  {
    name: 'CacheFirst waits out an exhausted quota whose reset the upstream stated',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [{ ...modelLock('b', 45_000), source: 'retry-after' }],
    config: { mode: 'CacheFirst', maxWaitSeconds: 60 },
    expected: { kind: 'wait', accountId: 'b', waitMs: 45_000 },
  },
  {
    name: 'CacheFirst waits for a bound account that is predicted out until a reset within max_wait_seconds',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [{ ...modelLock('b', 2_000), source: 'rate-limit-headers', reason: 'RateLimitExceeded' }],
    config: { mode: 'CacheFirst', maxWaitSeconds: 60 },
    expected: { kind: 'wait', accountId: 'b', waitMs: 2_000 },
  },
  {
    name: 'Balance moves a conversation whose account is predicted out for longer than the grace',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [{ ...modelLock('b', 2_001), source: 'rate-limit-headers', reason: 'RateLimitExceeded' }],
    expected: { kind: 'account', accountId: 'a', unbind: true, bind: true },
  },
  {
    name: 'Balance waits for its bound account when the announced window ends within the grace',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [{ ...modelLock('b', 2_000), source: 'rate-limit-headers', reason: 'RateLimitExceeded' }],
    expected: { kind: 'wait', accountId: 'b', waitMs: 2_000 },
  },
  {
    name: 'Balance does not wait out a guessed end, however short',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [{ ...modelLock('b', 1_000), source: 'backoff' }],
    expected: { kind: 'account', accountId: 'a', unbind: true },
  },
  {
    name: 'PerformanceFirst never waits for an account it used before',
    request: { sessionId: 's' },
    state: { boundAccountId: 'b' },
    locks: [accountLock('b', 1_000)],
    config: { mode: 'PerformanceFirst' },
    expected: { kind: 'account', accountId: 'a', bind: false },
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

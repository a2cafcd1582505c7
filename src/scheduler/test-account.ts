import type { Account } from '../core/account.js';
import type { RateLimitLock } from '../core/limits.js';

/**
 * A complete, schedulable `Account` for tests and benchmarks: API-key OpenAI account serving every
 * model, no tier, no quota info. `createdAt` defaults to 0, so ordering falls back to the id.
 */
export function testAccount(id: string, overrides: Partial<Account> = {}): Account {
  return {
    id,
    email: `${id}@example.test`,
    provider: 'openai',
    baseUrl: null,
    credential: { type: 'api_key', apiKey: `sk-${id}` },
    tier: null,
    models: [],
    quota: {},
    disabled: false,
    disabledReason: null,
    disabledAt: null,
    proxyDisabled: false,
    proxyDisabledReason: null,
    label: null,
    extra: {},
    createdAt: 0,
    lastUsedAt: null,
    ...overrides,
  };
}

/** Quota info saying `fraction` of `model`'s quota remains, observed at `observedAt`. */
export function quotaOf(model: string, fraction: number, observedAt = 0): Account['quota'] {
  return { [model]: { remainingFraction: fraction, resetAt: null, observedAt, source: 'headers' } };
}

/** An account-level lock of a 429 with a stated delay (`retry-after`), set at `detectedAt`, ending at `until`. */
export function testAccountLock(
  accountId: string,
  times: { detectedAt: number; until: number },
): RateLimitLock {
  return {
    accountId,
    scope: 'account',
    model: null,
    reason: 'RateLimitExceeded',
    source: 'retry-after',
    until: times.until,
    detectedAt: times.detectedAt,
    message: null,
  };
}

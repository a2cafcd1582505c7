/** Shared vocabulary of the rate-limit tracker, the scheduler and the state store. */

export const FAILURE_REASONS = [
  'QuotaExhausted',
  'RateLimitExceeded',
  'ModelCapacityExhausted',
  'ServerError',
  'AuthError',
  /** The account does not serve the model asked for (a 404 naming the model): nothing is locked. */
  'ModelNotFound',
  'Unknown',
] as const;
/** Why an upstream call failed, as far as scheduling is concerned. */
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** A lock covers the whole account, or one model of it. */
export type LockScope = 'account' | 'model';

export const LOCK_SOURCES = ['retry-after', 'rate-limit-headers', 'quota-api', 'backoff'] as const;
/**
 * Where a lock's end comes from:
 * - `retry-after`: a failed call whose answer stated when to come back (`Retry-After`,
 *   `retry-after-ms`, Google `RetryInfo` / `quotaResetDelay`, the reset headers of a 429);
 * - `rate-limit-headers`: predicted — a response's rate-limit headers said nothing is left until
 *   their reset time;
 * - `quota-api`: predicted — the provider's quota API reported nothing left until a reset time;
 * - `backoff`: a failure without a stated delay; the end is the gateway's own guess (backoff steps,
 *   or the default for the failure reason).
 */
export type LockSource = (typeof LOCK_SOURCES)[number];

/** Whether a lock is a predicted limit: no call failed, the upstream said nothing is left. */
export function isPredictedLock(lock: Pick<RateLimitLock, 'source'>): boolean {
  return lock.source === 'rate-limit-headers' || lock.source === 'quota-api';
}

/** An account (or one model of it) that must not be scheduled until `until`. */
export interface RateLimitLock {
  accountId: string;
  scope: LockScope;
  /** The locked model when `scope` is `model`; null for account locks. */
  model: string | null;
  reason: FailureReason;
  /** Where the lock's end comes from: the upstream's word, or the gateway's guess (`backoff`). */
  source: LockSource;
  /** Epoch ms when the lock ends. */
  until: number;
  /** Epoch ms when the lock was set. */
  detectedAt: number;
  /** Short human-readable detail, never containing secrets. */
  message: string | null;
}

/** Consecutive-failure bookkeeping for one account. */
export interface FailureCount {
  count: number;
  /** Epoch ms of the last failure; counts fade after an hour without failures. */
  lastFailureAt: number;
}

/** Key under which a lock is stored: `accountId` or `accountId::model`. */
export function lockKey(accountId: string, model: string | null): string {
  return model === null ? accountId : `${accountId}::${model}`;
}

/**
 * Durable copy of the locks, so a restart does not hammer accounts known to be exhausted.
 * The state store calls it; the SQLite store implements it. Writes may be batched.
 */
export interface LockPersistence {
  /** Locks still active at `now`. */
  loadActive(now: number): Promise<RateLimitLock[]>;
  save(lock: RateLimitLock): Promise<void>;
  /** Deletes the locks of one account (all scopes when `model` is undefined), or all locks. */
  remove(filter: { accountId?: string; model?: string | null }): Promise<void>;
}

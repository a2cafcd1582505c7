/** Shared vocabulary of the rate-limit tracker, the scheduler and the state store. */

export const FAILURE_REASONS = [
  'QuotaExhausted',
  'RateLimitExceeded',
  'ModelCapacityExhausted',
  'ServerError',
  'AuthError',
  'Unknown',
] as const;
/** Why an upstream call failed, as far as scheduling is concerned. */
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** A lock covers the whole account, or one model of it. */
export type LockScope = 'account' | 'model';

/** An account (or one model of it) that must not be scheduled until `until`. */
export interface RateLimitLock {
  accountId: string;
  scope: LockScope;
  /** The locked model when `scope` is `model`; null for account locks. */
  model: string | null;
  reason: FailureReason;
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

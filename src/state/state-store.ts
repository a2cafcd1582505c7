import type { FailureCount, RateLimitLock } from '../core/limits.js';

/** The account a request without a usable session binding was last scheduled on, and when. */
export interface LastUsedRecord {
  accountId: string;
  /** Epoch ms of the round-robin pick that chose it (window reuse does not move it). */
  at: number;
}

/**
 * Which locks `deleteLocks` removes:
 * - `{}`: every lock;
 * - `{ accountId }`: every lock of the account (account scope and all its models);
 * - `{ accountId, model: null }`: only the account-level lock;
 * - `{ accountId, model }`: only that model's lock on the account;
 * - `{ model }`: that model's lock on every account.
 */
export interface LockFilter {
  accountId?: string;
  model?: string | null;
}

/** The active locks that concern one account for one model. */
export interface AccountLocks {
  account: RateLimitLock | null;
  model: RateLimitLock | null;
}

/**
 * Everything the scheduler shares between requests (and, in cluster mode, between gateway
 * instances). Every method is asynchronous and exchanges plain values only, so a networked
 * implementation (Redis) can honour the same contract; `state-store.contract.ts` is that contract.
 *
 * Time: implementations read time from an injected `Clock`, so expiry is testable and the same in
 * every implementation. "Active" always means `until > clock.now()`.
 */
export interface StateStore {
  // --- session bindings (session id → account id) ---------------------------------------------

  /**
   * The account bound to `sessionId`, or null when there is none or it expired. A hit counts as a
   * use: it restarts the binding's time-to-live and makes it the most recently used.
   */
  getBinding(sessionId: string): Promise<string | null>;
  /** Binds (or re-binds) a session; evicts the least recently used binding when at the cap. */
  setBinding(sessionId: string, accountId: string): Promise<void>;
  /** Removes one binding; true when it existed. */
  deleteBinding(sessionId: string): Promise<boolean>;
  /** Removes every binding to `accountId`; returns how many were removed. */
  deleteBindingsForAccount(accountId: string): Promise<number>;
  /** Removes every binding; returns how many were removed. */
  clearBindings(): Promise<number>;
  /** Number of live (unexpired) bindings. */
  countBindings(): Promise<number>;

  // --- rate-limit locks -------------------------------------------------------------------------

  /** Stores a lock, replacing the one with the same account and model (see `lockKey`). */
  setLock(lock: RateLimitLock): Promise<void>;
  /** Every active lock, in no particular order. The array must not be mutated. */
  listLocks(): Promise<readonly RateLimitLock[]>;
  /** The active account-level lock of `accountId` and its active lock for `model`. */
  getLocks(accountId: string, model: string): Promise<AccountLocks>;
  /** Removes the locks the filter selects (see `LockFilter`); returns how many active ones went. */
  deleteLocks(filter?: LockFilter): Promise<number>;

  // --- consecutive failures ---------------------------------------------------------------------

  /** The account's failure count, or null when it has none or it faded (no failure for an hour). */
  getFailureCount(accountId: string): Promise<FailureCount | null>;
  /**
   * Atomically counts one more failure at the current time and returns the new count. A faded
   * count starts again from 1.
   */
  incrementFailureCount(accountId: string): Promise<FailureCount>;
  /** Forgets the account's failure count. */
  resetFailureCount(accountId: string): Promise<void>;

  // --- round robin, last used, fixed account ---------------------------------------------------

  /** Atomically adds `by` (default 1) to the global round-robin counter and returns the new value. */
  incrementRoundRobin(by?: number): Promise<number>;
  getLastUsed(): Promise<LastUsedRecord | null>;
  setLastUsed(record: LastUsedRecord | null): Promise<void>;
  /** The account pinned by the user (runtime state, never persisted across restarts). */
  getFixedAccountId(): Promise<string | null>;
  setFixedAccountId(accountId: string | null): Promise<void>;

  /** Stops background work (expiry sweeps). The store must not be used afterwards. */
  close(): Promise<void>;
}

/** Default time-to-live of a session binding since its last use: one hour. */
export const DEFAULT_BINDING_TTL_MS = 60 * 60 * 1000;
/** Default maximum number of session bindings kept; the least recently used go first. */
export const DEFAULT_MAX_BINDINGS = 100_000;
/** Failure counts fade after this long without a failure (the rate-limit policy's value). */
export { FAILURE_COUNT_FADE_MS } from '../ratelimit/index.js';

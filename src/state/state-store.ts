import type { SchedulingMode } from '../config/schema.js';
import type { FailureCount, LockSource, RateLimitLock } from '../core/limits.js';

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
 * `source` narrows any of these to the locks of that source (`backoff`: only guessed ends).
 */
export interface LockFilter {
  accountId?: string;
  model?: string | null;
  source?: LockSource;
}

/** The active locks that concern one account for one model. */
export interface AccountLocks {
  account: RateLimitLock | null;
  model: RateLimitLock | null;
}

/** What one scheduling decision reads (`StateStore.readForPick`). */
export interface PickQuery {
  /** The session whose binding is read (a hit counts as a use, as `getBinding`); null: none read. */
  sessionId: string | null;
  /** Whether the last-used record is wanted (a request without a session, in a cache-aware mode). */
  lastUsed: boolean;
  /** Read the shared state itself, never a lease (see `PickSnapshot.leased`). */
  fresh?: boolean;
}

/** Everything one pick needs, read at once. */
export interface PickSnapshot {
  /** The account the query's session is bound to; null without a session, binding, or when it expired. */
  boundAccountId: string | null;
  fixedAccountId: string | null;
  /** The last-used record when the query asked for it, else null. */
  lastUsed: LastUsedRecord | null;
  /**
   * Every active lock. Frozen, and the same array until a lock changes or ends, so a caller may
   * cache what it derives from it by identity.
   */
  locks: readonly RateLimitLock[];
  /**
   * This pick's round-robin position: the global counter after one atomic increment, so
   * concurrent picks (on any instance) start at different positions.
   */
  counter: number;
  /**
   * Set when a shared store answered from this instance's lease on the session's binding instead
   * of the shared state (no round trip): the binding, the fixed account and the locks are this
   * instance's mirror of them, which lags another instance's change by the time its notification
   * takes, and `counter` is not a reserved position. A pick that does not follow the binding (it
   * cannot serve, or another account is fixed) must read again with `fresh`. Never set by the
   * in-process store, whose every read is fresh.
   */
  leased?: true;
}

/** How a pick binds its session (`PickEffects.bind`, `bindIfAbsent`). */
export interface SessionBind {
  accountId: string;
  /**
   * The account the session was bound to that could not serve: it is replaced. Null: a first
   * binding — an existing binding (another request's, maybe on another instance) is kept.
   */
  replacing: string | null;
  /** A forced rotation: bind whatever the session is bound to now. */
  force?: boolean;
}

/** The writes of one scheduling decision (`StateStore.applyPick`). */
export interface PickEffects {
  /** The request's session; null: `bind` and `unbindFrom` are ignored. */
  sessionId: string | null;
  bind: SessionBind | null;
  /** Drop the session's binding if it is still to this account (it could not serve). */
  unbindFrom: string | null;
  /** Record this as the last-used account (a new last-used window starts). */
  lastUsed: LastUsedRecord | null;
  /** Move the round-robin counter this many positions further (accounts the pick skipped). */
  skip: number;
}

/** What `applyPick` did. */
export interface PickOutcome {
  /**
   * With `bind`: the account the session is bound to afterwards — `bind.accountId`, or the account
   * of a binding that was kept because another request bound the session first. Otherwise null.
   */
  boundAccountId: string | null;
}

/**
 * A change another instance made that local state outside the store must follow:
 * - `locks-cleared`: an operator lifted every lock (`accountId` null) or one account's locks;
 * - `settings`: the scheduling settings were changed through another instance's admin API.
 * Delivered only by shared stores, never for this instance's own changes.
 */
export type RemoteChange =
  | { type: 'locks-cleared'; accountId: string | null }
  | { type: 'settings'; scheduling: SharedSchedulingSettings };

/** The scheduling settings instances share (`proxy.scheduling` of gui_config.json). */
export interface SharedSchedulingSettings {
  mode: SchedulingMode;
  max_wait_seconds: number;
}

/** Whether the shared state is in use, for status pages and metrics. */
export interface StateHealth {
  backend: 'memory' | 'redis';
  /** Where the state lives: `in process`, or the Redis URL with its password masked. */
  location: string;
  /**
   * True while a shared backend cannot be reached: the instance serves on its local state and
   * writes back what it learned once the backend answers again. Always false for memory.
   */
  degraded: boolean;
  /** Why it is degraded (the last error), else null. */
  reason: string | null;
  /** Epoch ms since when it is degraded, else null. */
  since: number | null;
}

/**
 * `knownOnly` on a removal: every success would otherwise cost a round trip to a shared backend to
 * remove what is almost never there. A shared store keeps a mirror of the locks and failure counts,
 * updated by every instance's changes within milliseconds; with `knownOnly` it asks the backend
 * only when its mirror holds something to remove. What another instance stored a few milliseconds
 * earlier and has not reached the mirror yet survives: the same outcome as if this success had
 * come just before that failure (a back-off lock then runs its short course; a failure count fades).
 */
export type KnownOnly = { knownOnly?: boolean };

/** What `runExclusive` reports. */
export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false };

/**
 * Everything the scheduler shares between requests (and, in cluster mode, between gateway
 * instances). Methods exchange plain values only, so a networked implementation (Redis) honours the
 * same contract; `state-store.contract.ts` is that contract. The two methods of the request path,
 * `readForPick` and `applyPick`, may answer synchronously (in-process state) or with a promise
 * (one round trip to a shared backend); every other method is asynchronous.
 *
 * Time: implementations read time from an injected `Clock`, so expiry is testable and the same in
 * every implementation. "Active" always means `until > clock.now()`.
 *
 * Atomicity: every single operation is atomic with respect to every other caller, on this and on
 * other instances — in particular `bindIfAbsent`, `extendLock`, `replaceLock`, `deleteLocks` with a
 * `source`, and the counters. A shared store never throws because its backend is unreachable: it
 * answers from local state and reports it in `health()`.
 */
export interface StateStore {
  // --- one scheduling decision ----------------------------------------------------------------

  /** Reads what one pick needs and reserves its round-robin position (see `PickSnapshot`). */
  readForPick(query: PickQuery): PickSnapshot | Promise<PickSnapshot>;
  /** Applies one pick's writes together (see `PickEffects`); a bind is `bindIfAbsent`'s. */
  applyPick(effects: PickEffects): PickOutcome | Promise<PickOutcome>;

  // --- session bindings (session id → account id) ---------------------------------------------

  /**
   * The account bound to `sessionId`, or null when there is none or it expired. A hit counts as a
   * use: it restarts the binding's time-to-live and makes it the most recently used.
   */
  getBinding(sessionId: string): Promise<string | null>;
  /** Binds (or re-binds) a session; evicts the least recently used binding when at the cap. */
  setBinding(sessionId: string, accountId: string): Promise<void>;
  /**
   * Atomic first binding: binds the session to `accountId` when it has no live binding (or, with
   * `replacing`, when it is bound to that account; with `force`, always) and returns `accountId`;
   * otherwise keeps the existing binding, counts it as a use, and returns its account. Concurrent
   * first requests of one session, on any instance, thereby all end up on one account.
   */
  bindIfAbsent(
    sessionId: string,
    accountId: string,
    options?: Pick<SessionBind, 'replacing' | 'force'>,
  ): Promise<string>;
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
  /**
   * Stores `lock` unless the active lock with the same account and model ends as late or later:
   * a new lock never shortens a window an earlier one announced. Returns the lock in force
   * afterwards (`lock`, or the one kept).
   */
  extendLock(lock: RateLimitLock): Promise<RateLimitLock>;
  /**
   * Compare-and-replace: when the lock stored under `expected`'s account and model has the same
   * `source` and `until`, replaces it with `next` (same account and model) or, when `next` is
   * null, deletes it. Returns whether it did; another lock stored meanwhile is left alone.
   */
  replaceLock(
    expected: Pick<RateLimitLock, 'accountId' | 'model' | 'source' | 'until'>,
    next: RateLimitLock | null,
  ): Promise<boolean>;
  /** Every active lock, in no particular order. The array must not be mutated. */
  listLocks(): Promise<readonly RateLimitLock[]>;
  /** The active account-level lock of `accountId` and its active lock for `model`. */
  getLocks(accountId: string, model: string): Promise<AccountLocks>;
  /**
   * Removes the locks the filter selects (see `LockFilter`); returns how many active ones went.
   * `cleared` marks an operator's action (clear rate-limit records): other instances are told.
   * `knownOnly` (the request path's bookkeeping) lets a shared store skip its backend when this
   * instance knows of no lock the filter selects (see `KnownOnly`).
   */
  deleteLocks(filter?: LockFilter, options?: { cleared?: boolean } & KnownOnly): Promise<number>;

  // --- consecutive failures ---------------------------------------------------------------------

  /** The account's failure count, or null when it has none or it faded (no failure for an hour). */
  getFailureCount(accountId: string): Promise<FailureCount | null>;
  /**
   * Atomically counts one more failure at the current time and returns the new count. A faded
   * count starts again from 1.
   */
  incrementFailureCount(accountId: string): Promise<FailureCount>;
  /**
   * Forgets the account's failure count. `knownOnly` (the request path's bookkeeping) lets a
   * shared store skip its backend when this instance knows of no count (see `KnownOnly`).
   */
  resetFailureCount(accountId: string, options?: KnownOnly): Promise<void>;

  // --- round robin, last used, fixed account ---------------------------------------------------

  /** Atomically adds `by` (default 1) to the global round-robin counter and returns the new value. */
  incrementRoundRobin(by?: number): Promise<number>;
  getLastUsed(): Promise<LastUsedRecord | null>;
  setLastUsed(record: LastUsedRecord | null): Promise<void>;
  /** The account pinned by the user (runtime state, never persisted across restarts). */
  getFixedAccountId(): Promise<string | null>;
  setFixedAccountId(accountId: string | null): Promise<void>;

  // --- between instances -------------------------------------------------------------------------

  /**
   * Runs `task` while holding the lock `name` (held at most `ttlMs`, then released even if the
   * holder died). When another holder has it, waits until it is released or expires and returns
   * `{ ran: false }` without running `task`: the caller then reads what the holder produced.
   */
  runExclusive<T>(
    name: string,
    task: () => Promise<T>,
    options: { ttlMs: number },
  ): Promise<ExclusiveOutcome<T>>;
  /**
   * Claims `name` for `holder` for `ttlMs` unless another holder's claim on it is still live;
   * returns whether `holder` holds it afterwards (a holder's repeated claim keeps its first end). A
   * claim is never released early: it is how instances agree which of them does a job once per
   * period (a scheduled warmup of one account's window). Kept apart from the session bindings.
   */
  claim(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Tells the other instances that the scheduling settings changed here (see `RemoteChange`). */
  publishSettings(scheduling: SharedSchedulingSettings): Promise<void>;
  /** Calls `listener` for every change another instance makes (see `RemoteChange`); returns unsubscribe. */
  onRemoteChange(listener: (change: RemoteChange) => void): () => void;
  /** Whether the shared backend is in use (see `StateHealth`). */
  health(): StateHealth;

  /** Stops background work (expiry sweeps, connections). The store must not be used afterwards. */
  close(): Promise<void>;
}

/** Default time-to-live of a session binding since its last use: one hour. */
export const DEFAULT_BINDING_TTL_MS = 60 * 60 * 1000;
/** Default time a shared store trusts a binding it read without reading it again (`BindingLeases`). */
export const DEFAULT_BINDING_LEASE_MS = 1000;
/** Default maximum number of session bindings kept; the least recently used go first. */
export const DEFAULT_MAX_BINDINGS = 100_000;
/** Failure counts fade after this long without a failure (the rate-limit policy's value). */
export { FAILURE_COUNT_FADE_MS } from '../ratelimit/index.js';

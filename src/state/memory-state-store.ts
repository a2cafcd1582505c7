import type { Clock } from '../core/clock.js';
import type { FailureCount, LockPersistence, RateLimitLock } from '../core/limits.js';
import { lockKey } from '../core/limits.js';
import type { AccountLocks, LastUsedRecord, LockFilter, StateStore } from './state-store.js';
import { DEFAULT_BINDING_TTL_MS, DEFAULT_MAX_BINDINGS, FAILURE_COUNT_FADE_MS } from './state-store.js';

export interface MemoryStateStoreOptions {
  clock: Clock;
  /** Time-to-live of a session binding since its last use, ms. Default one hour. */
  bindingTtlMs?: number;
  /** Maximum number of bindings; the least recently used is evicted first. Default 100 000. */
  maxBindings?: number;
  /** Durable copy of the locks: loaded by `create`, written on every set and delete. */
  lockPersistence?: LockPersistence;
  /** How often expired bindings, locks and failure counts are swept, ms. Default one minute. */
  sweepIntervalMs?: number;
}

/** One session binding. Mutable so a touch does not allocate. */
interface Binding {
  accountId: string;
  touchedAt: number;
}

/**
 * Optional capability of an in-process store: the reads and writes of one scheduling decision, done
 * synchronously with exactly the effects of their asynchronous `StateStore` counterparts. A caller
 * on the hot path (the scheduler) uses it when a store offers it, to skip a dozen promises per
 * request; networked stores (Redis) do not offer it and stay fully asynchronous.
 */
export interface SynchronousSchedulingState {
  /** Always true; marks the capability (see `isSynchronousSchedulingState`). */
  readonly synchronousScheduling: true;
  /** As `getBinding`. */
  getBindingNow(sessionId: string): string | null;
  /** As `setBinding`. */
  setBindingNow(sessionId: string, accountId: string): void;
  /** As `deleteBinding`. */
  deleteBindingNow(sessionId: string): boolean;
  /** As `listLocks`. */
  listLocksNow(): readonly RateLimitLock[];
  /** As `incrementRoundRobin`. */
  incrementRoundRobinNow(by?: number): number;
  /** As `getLastUsed`. */
  getLastUsedNow(): LastUsedRecord | null;
  /** As `setLastUsed`. */
  setLastUsedNow(record: LastUsedRecord | null): void;
  /** As `getFixedAccountId`. */
  getFixedAccountIdNow(): string | null;
  /** As `resetFailureCount`. */
  resetFailureCountNow(accountId: string): void;
  /** Whether a lock (active or expired, not yet swept) is stored under this account and model. */
  hasStoredLock(accountId: string, model: string | null): boolean;
}

/** Whether `store` offers the synchronous scheduling capability. */
export function isSynchronousSchedulingState(
  store: StateStore,
): store is StateStore & SynchronousSchedulingState {
  return (store as Partial<SynchronousSchedulingState>).synchronousScheduling === true;
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
const NO_LOCKS: readonly RateLimitLock[] = Object.freeze([]);

/**
 * The in-process `StateStore`. Bindings live in a Map whose insertion order is their use order
 * (a touch re-inserts), so the least recently used binding and the oldest expired ones are always
 * at the front: eviction and sweeping never scan live entries.
 */
export class MemoryStateStore implements StateStore, SynchronousSchedulingState {
  readonly synchronousScheduling = true;
  private readonly clock: Clock;
  private readonly bindingTtlMs: number;
  private readonly maxBindings: number;
  private readonly persistence: LockPersistence | null;
  private readonly bindings = new Map<string, Binding>();
  private readonly locks = new Map<string, RateLimitLock>();
  private readonly failures = new Map<string, FailureCount>();
  /** Frozen list of the active locks, reused until a lock changes or the earliest one ends. */
  private activeLocks: readonly RateLimitLock[] | null = null;
  private activeLocksValidUntil = 0;
  private roundRobin = 0;
  private lastUsed: LastUsedRecord | null = null;
  private fixedAccountId: string | null = null;
  private readonly stopSweep: () => void;

  private constructor(options: MemoryStateStoreOptions) {
    this.clock = options.clock;
    this.bindingTtlMs = options.bindingTtlMs ?? DEFAULT_BINDING_TTL_MS;
    this.maxBindings = Math.max(1, options.maxBindings ?? DEFAULT_MAX_BINDINGS);
    this.persistence = options.lockPersistence ?? null;
    this.stopSweep = this.clock.every(options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, () =>
      this.sweep(),
    );
  }

  /** Creates a store and loads the persisted locks that are still active. */
  static async create(options: MemoryStateStoreOptions): Promise<MemoryStateStore> {
    const store = new MemoryStateStore(options);
    if (store.persistence) {
      for (const lock of await store.persistence.loadActive(options.clock.now())) {
        store.locks.set(lockKey(lock.accountId, lock.model), lock);
      }
    }
    return store;
  }

  async getBinding(sessionId: string): Promise<string | null> {
    return this.getBindingNow(sessionId);
  }

  getBindingNow(sessionId: string): string | null {
    const binding = this.bindings.get(sessionId);
    if (!binding) return null;
    const now = this.clock.now();
    this.bindings.delete(sessionId);
    if (this.isExpired(binding, now)) return null;
    binding.touchedAt = now;
    this.bindings.set(sessionId, binding);
    return binding.accountId;
  }

  async setBinding(sessionId: string, accountId: string): Promise<void> {
    this.setBindingNow(sessionId, accountId);
  }

  setBindingNow(sessionId: string, accountId: string): void {
    const existing = this.bindings.get(sessionId);
    if (existing) this.bindings.delete(sessionId);
    else if (this.bindings.size >= this.maxBindings) this.evictOldestBinding();
    this.bindings.set(sessionId, { accountId, touchedAt: this.clock.now() });
  }

  async deleteBinding(sessionId: string): Promise<boolean> {
    return this.deleteBindingNow(sessionId);
  }

  deleteBindingNow(sessionId: string): boolean {
    const binding = this.bindings.get(sessionId);
    if (!binding) return false;
    this.bindings.delete(sessionId);
    return !this.isExpired(binding, this.clock.now());
  }

  async deleteBindingsForAccount(accountId: string): Promise<number> {
    // A full scan: it runs only when an account is disabled or removed, and a reverse index would
    // cost memory on every one of up to millions of bindings.
    const now = this.clock.now();
    let removed = 0;
    for (const [sessionId, binding] of this.bindings) {
      if (binding.accountId !== accountId) continue;
      this.bindings.delete(sessionId);
      if (!this.isExpired(binding, now)) removed++;
    }
    return removed;
  }

  async clearBindings(): Promise<number> {
    this.sweepBindings(this.clock.now());
    const removed = this.bindings.size;
    this.bindings.clear();
    return removed;
  }

  async countBindings(): Promise<number> {
    this.sweepBindings(this.clock.now());
    return this.bindings.size;
  }

  async setLock(lock: RateLimitLock): Promise<void> {
    this.locks.set(lockKey(lock.accountId, lock.model), lock);
    this.activeLocks = null;
    await this.persistence?.save(lock);
  }

  async listLocks(): Promise<readonly RateLimitLock[]> {
    return this.listLocksNow();
  }

  listLocksNow(): readonly RateLimitLock[] {
    const now = this.clock.now();
    if (this.activeLocks !== null && now < this.activeLocksValidUntil) return this.activeLocks;
    this.sweepLocks(now);
    if (this.locks.size === 0) {
      this.activeLocks = NO_LOCKS;
      this.activeLocksValidUntil = Number.POSITIVE_INFINITY;
      return NO_LOCKS;
    }
    let earliestEnd = Number.POSITIVE_INFINITY;
    for (const lock of this.locks.values()) earliestEnd = Math.min(earliestEnd, lock.until);
    this.activeLocks = Object.freeze([...this.locks.values()]);
    this.activeLocksValidUntil = earliestEnd;
    return this.activeLocks;
  }

  async getLocks(accountId: string, model: string): Promise<AccountLocks> {
    const now = this.clock.now();
    return {
      account: activeOrNull(this.locks.get(lockKey(accountId, null)), now),
      model: activeOrNull(this.locks.get(lockKey(accountId, model)), now),
    };
  }

  async deleteLocks(filter: LockFilter = {}): Promise<number> {
    const now = this.clock.now();
    const matched = this.takeLocks(filter);
    if (matched.length === 0) return 0;
    this.activeLocks = null;
    await this.removePersisted(filter, matched);
    return matched.filter((lock) => lock.until > now).length;
  }

  async getFailureCount(accountId: string): Promise<FailureCount | null> {
    const failure = this.failures.get(accountId);
    if (!failure) return null;
    if (this.isFaded(failure, this.clock.now())) {
      this.failures.delete(accountId);
      return null;
    }
    return { ...failure };
  }

  async incrementFailureCount(accountId: string): Promise<FailureCount> {
    const now = this.clock.now();
    const previous = this.failures.get(accountId);
    const count = previous && !this.isFaded(previous, now) ? previous.count + 1 : 1;
    const failure = { count, lastFailureAt: now };
    this.failures.set(accountId, failure);
    return { ...failure };
  }

  async resetFailureCount(accountId: string): Promise<void> {
    this.resetFailureCountNow(accountId);
  }

  resetFailureCountNow(accountId: string): void {
    this.failures.delete(accountId);
  }

  hasStoredLock(accountId: string, model: string | null): boolean {
    return this.locks.has(lockKey(accountId, model));
  }

  async incrementRoundRobin(by = 1): Promise<number> {
    return this.incrementRoundRobinNow(by);
  }

  incrementRoundRobinNow(by = 1): number {
    this.roundRobin += by;
    return this.roundRobin;
  }

  async getLastUsed(): Promise<LastUsedRecord | null> {
    return this.getLastUsedNow();
  }

  getLastUsedNow(): LastUsedRecord | null {
    return this.lastUsed === null ? null : { ...this.lastUsed };
  }

  async setLastUsed(record: LastUsedRecord | null): Promise<void> {
    this.setLastUsedNow(record);
  }

  setLastUsedNow(record: LastUsedRecord | null): void {
    this.lastUsed = record === null ? null : { accountId: record.accountId, at: record.at };
  }

  async getFixedAccountId(): Promise<string | null> {
    return this.getFixedAccountIdNow();
  }

  getFixedAccountIdNow(): string | null {
    return this.fixedAccountId;
  }

  async setFixedAccountId(accountId: string | null): Promise<void> {
    this.fixedAccountId = accountId;
  }

  async close(): Promise<void> {
    this.stopSweep();
  }

  /** Drops every expired binding, lock and faded failure count. Runs on the sweep timer. */
  sweep(): void {
    const now = this.clock.now();
    this.sweepBindings(now);
    this.sweepLocks(now);
    for (const [accountId, failure] of this.failures) {
      if (this.isFaded(failure, now)) this.failures.delete(accountId);
    }
  }

  private sweepBindings(now: number): void {
    // Insertion order is use order, so the expired bindings are a prefix of the map.
    for (const [sessionId, binding] of this.bindings) {
      if (!this.isExpired(binding, now)) break;
      this.bindings.delete(sessionId);
    }
  }

  private sweepLocks(now: number): void {
    for (const [key, lock] of this.locks) {
      if (lock.until <= now) {
        this.locks.delete(key);
        this.activeLocks = null;
      }
    }
  }

  /** Removes and returns the locks the filter selects. */
  private takeLocks(filter: LockFilter): RateLimitLock[] {
    if (filter.accountId !== undefined && filter.model !== undefined) {
      // One exact key: the common case (every success clears the account-level lock), no scan.
      const key = lockKey(filter.accountId, filter.model);
      const lock = this.locks.get(key);
      if (lock === undefined) return [];
      this.locks.delete(key);
      return [lock];
    }
    const matched: RateLimitLock[] = [];
    for (const [key, lock] of this.locks) {
      if (!matchesFilter(lock, filter)) continue;
      this.locks.delete(key);
      matched.push(lock);
    }
    return matched;
  }

  private evictOldestBinding(): void {
    const oldest = this.bindings.keys().next();
    if (!oldest.done) this.bindings.delete(oldest.value);
  }

  private isExpired(binding: Binding, now: number): boolean {
    return now - binding.touchedAt >= this.bindingTtlMs;
  }

  private isFaded(failure: FailureCount, now: number): boolean {
    return now - failure.lastFailureAt >= FAILURE_COUNT_FADE_MS;
  }

  private async removePersisted(filter: LockFilter, matched: readonly RateLimitLock[]): Promise<void> {
    if (!this.persistence) return;
    // LockPersistence filters by account (optionally narrowed to a model); a model-only filter is
    // translated into one removal per affected lock.
    if (filter.accountId !== undefined || filter.model === undefined) {
      await this.persistence.remove(filter);
      return;
    }
    for (const lock of matched)
      await this.persistence.remove({ accountId: lock.accountId, model: lock.model });
  }
}

function activeOrNull(lock: RateLimitLock | undefined, now: number): RateLimitLock | null {
  return lock !== undefined && lock.until > now ? lock : null;
}

function matchesFilter(lock: RateLimitLock, filter: LockFilter): boolean {
  if (filter.accountId !== undefined && lock.accountId !== filter.accountId) return false;
  if (filter.model !== undefined && lock.model !== filter.model) return false;
  return true;
}

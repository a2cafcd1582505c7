import { lockKey, type RateLimitLock } from '../core/limits.js';
import type { AccountLocks, LockFilter, StateStore } from './state-store.js';

const NO_LOCKS: readonly RateLimitLock[] = Object.freeze([]);

/**
 * Rate-limit locks in process memory, synchronous, keyed by `lockKey`. The list of active locks is
 * built once and reused (frozen) until a lock changes or the earliest one ends, so the scheduler's
 * per-pick view of it is cached by identity. Time is passed in (`now`).
 */
export class LocalLocks {
  private readonly locks = new Map<string, RateLimitLock>();
  private active: readonly RateLimitLock[] | null = null;
  private activeValidUntil = 0;
  private changes = 0;

  /** Grows on every change, so a copy fetched from elsewhere can tell whether it is already stale. */
  get version(): number {
    return this.changes;
  }

  /** Stores `lock` under its key, replacing what was there. */
  set(lock: RateLimitLock): void {
    this.locks.set(lockKey(lock.accountId, lock.model), lock);
    this.invalidate();
  }

  /** `StateStore.extendLock`: stores `lock` unless the active one on its key ends as late; returns the lock in force. */
  extend(lock: RateLimitLock, now: number): RateLimitLock {
    const stored = this.locks.get(lockKey(lock.accountId, lock.model));
    if (stored !== undefined && stored.until > now && stored.until >= lock.until) return stored;
    this.set(lock);
    return lock;
  }

  /** `StateStore.replaceLock`. */
  replace(expected: Parameters<StateStore['replaceLock']>[0], next: RateLimitLock | null): boolean {
    const key = lockKey(expected.accountId, expected.model);
    const stored = this.locks.get(key);
    if (stored === undefined || stored.source !== expected.source || stored.until !== expected.until)
      return false;
    if (next === null) this.locks.delete(key);
    else this.locks.set(key, next);
    this.invalidate();
    return true;
  }

  /** The stored lock (active or not yet swept) under this account and model. */
  stored(accountId: string, model: string | null): RateLimitLock | undefined {
    return this.locks.get(lockKey(accountId, model));
  }

  get(accountId: string, model: string, now: number): AccountLocks {
    return {
      account: activeOrNull(this.locks.get(lockKey(accountId, null)), now),
      model: activeOrNull(this.locks.get(lockKey(accountId, model)), now),
    };
  }

  /** The active locks: frozen, the same array until a lock changes or the earliest ends. */
  list(now: number): readonly RateLimitLock[] {
    if (this.active !== null && now < this.activeValidUntil) return this.active;
    this.sweep(now);
    if (this.locks.size === 0) {
      this.active = NO_LOCKS;
      this.activeValidUntil = Number.POSITIVE_INFINITY;
      return NO_LOCKS;
    }
    let earliestEnd = Number.POSITIVE_INFINITY;
    for (const lock of this.locks.values()) earliestEnd = Math.min(earliestEnd, lock.until);
    this.active = Object.freeze([...this.locks.values()]);
    this.activeValidUntil = earliestEnd;
    return this.active;
  }

  /** Removes and returns the locks the filter selects (expired ones not yet swept included). */
  take(filter: LockFilter): RateLimitLock[] {
    if (filter.accountId !== undefined && filter.model !== undefined) {
      // One exact key: the common case (every success clears the account-level lock), no scan.
      const key = lockKey(filter.accountId, filter.model);
      const lock = this.locks.get(key);
      if (lock === undefined || !matchesFilter(lock, filter)) return [];
      this.locks.delete(key);
      this.invalidate();
      return [lock];
    }
    const matched: RateLimitLock[] = [];
    for (const [key, lock] of this.locks) {
      if (!matchesFilter(lock, filter)) continue;
      this.locks.delete(key);
      matched.push(lock);
    }
    if (matched.length > 0) this.invalidate();
    return matched;
  }

  /** Replaces every lock with `locks` (a fresh copy of the shared state). */
  replaceAll(locks: Iterable<RateLimitLock>): void {
    this.locks.clear();
    for (const lock of locks) this.locks.set(lockKey(lock.accountId, lock.model), lock);
    this.invalidate();
  }

  private invalidate(): void {
    this.active = null;
    this.changes++;
  }

  /** Drops the ended locks. */
  sweep(now: number): void {
    for (const [key, lock] of this.locks) {
      if (lock.until <= now) {
        this.locks.delete(key);
        this.invalidate();
      }
    }
  }

  /** Locks held, ended ones not yet swept included. */
  get size(): number {
    return this.locks.size;
  }
}

export function matchesFilter(lock: RateLimitLock, filter: LockFilter): boolean {
  if (filter.accountId !== undefined && lock.accountId !== filter.accountId) return false;
  if (filter.model !== undefined && lock.model !== filter.model) return false;
  if (filter.source !== undefined && lock.source !== filter.source) return false;
  return true;
}

/** `lock` when it is still active at `now`, else null. */
export function activeOrNull(lock: RateLimitLock | undefined, now: number): RateLimitLock | null {
  return lock !== undefined && lock.until > now ? lock : null;
}

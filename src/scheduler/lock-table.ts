import type { RateLimitLock } from '../core/limits.js';

interface AccountEntry {
  account: RateLimitLock | null;
  models: Map<string, RateLimitLock> | null;
}

/**
 * An immutable lookup over a list of locks, built once per lock list so that checking whether an
 * account is locked for a model costs one or two map reads and no string building.
 */
export class LockTable {
  static readonly empty = new LockTable([]);

  private readonly byAccount = new Map<string, AccountEntry>();
  /** Number of locks in the table (expired ones included). */
  readonly size: number;

  private constructor(locks: readonly RateLimitLock[]) {
    for (const lock of locks) {
      let entry = this.byAccount.get(lock.accountId);
      if (entry === undefined) {
        entry = { account: null, models: null };
        this.byAccount.set(lock.accountId, entry);
      }
      if (lock.model === null) {
        entry.account = later(entry.account, lock);
      } else {
        entry.models ??= new Map();
        entry.models.set(lock.model, later(entry.models.get(lock.model) ?? null, lock));
      }
    }
    this.size = locks.length;
  }

  static from(locks: readonly RateLimitLock[]): LockTable {
    return locks.length === 0 ? LockTable.empty : new LockTable(locks);
  }

  /**
   * The lock that keeps `accountId` from serving `model` at `now`: its account-level lock or its
   * lock for that model, whichever ends later when both are active; null when it is free.
   */
  blocking(accountId: string, model: string, now: number): RateLimitLock | null {
    if (this.size === 0) return null;
    const entry = this.byAccount.get(accountId);
    if (entry === undefined) return null;
    const accountLock = entry.account !== null && entry.account.until > now ? entry.account : null;
    const modelLock = entry.models?.get(model);
    if (modelLock === undefined || modelLock.until <= now) return accountLock;
    return later(accountLock, modelLock);
  }
}

function later(current: RateLimitLock | null, candidate: RateLimitLock): RateLimitLock {
  return current !== null && current.until >= candidate.until ? current : candidate;
}

import type { Clock } from '../core/clock.js';
import type { FailureCount, LockPersistence, RateLimitLock } from '../core/limits.js';
import { lockKey } from '../core/limits.js';
import { LocalExclusion } from './local-exclusion.js';
import { DEFAULT_SWEEP_INTERVAL_MS, LocalState } from './local-state.js';
import type {
  AccountLocks,
  ExclusiveOutcome,
  LastUsedRecord,
  LockFilter,
  PickEffects,
  PickOutcome,
  PickQuery,
  PickSnapshot,
  SessionBind,
  StateHealth,
  StateStore,
} from './state-store.js';
import { DEFAULT_BINDING_TTL_MS, DEFAULT_MAX_BINDINGS } from './state-store.js';

export interface MemoryStateStoreOptions {
  clock: Clock;
  /** Time-to-live of a session binding since its last use, ms. Default one hour. */
  bindingTtlMs?: number;
  /** Maximum number of bindings; the least recently used is evicted first. Default 100 000. */
  maxBindings?: number;
  /** Durable copy of the locks: loaded by `create`, written on every set and delete. */
  lockPersistence?: LockPersistence;
  /** How often expired bindings, locks, claims and faded failure counts are swept, ms. Default one minute. */
  sweepIntervalMs?: number;
}

const HEALTH: StateHealth = Object.freeze({
  backend: 'memory',
  location: 'in process',
  degraded: false,
  reason: null,
  since: null,
});

/**
 * The in-process `StateStore` (one gateway): `LocalState` behind the contract, with the locks
 * optionally persisted (so a restart does not hammer accounts known to be exhausted). The two
 * methods of the request path answer synchronously.
 */
export class MemoryStateStore implements StateStore {
  private readonly clock: Clock;
  private readonly state: LocalState;
  private readonly persistence: LockPersistence | null;
  private readonly exclusion: LocalExclusion;
  private readonly stopSweep: () => void;

  private constructor(options: MemoryStateStoreOptions) {
    this.clock = options.clock;
    this.state = new LocalState({
      bindingTtlMs: options.bindingTtlMs ?? DEFAULT_BINDING_TTL_MS,
      maxBindings: options.maxBindings ?? DEFAULT_MAX_BINDINGS,
    });
    this.persistence = options.lockPersistence ?? null;
    this.exclusion = new LocalExclusion(options.clock);
    this.stopSweep = this.state.sweepEvery(this.clock, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  }

  /** Creates a store and loads the persisted locks that are still active. */
  static async create(options: MemoryStateStoreOptions): Promise<MemoryStateStore> {
    const store = new MemoryStateStore(options);
    if (store.persistence) {
      for (const lock of await store.persistence.loadActive(options.clock.now())) store.state.locks.set(lock);
    }
    return store;
  }

  readForPick(query: PickQuery): PickSnapshot {
    return this.state.readForPick(query, this.clock.now());
  }

  applyPick(effects: PickEffects): PickOutcome {
    return this.state.applyPick(effects, this.clock.now());
  }

  async getBinding(sessionId: string): Promise<string | null> {
    return this.state.bindings.get(sessionId, this.clock.now());
  }

  async setBinding(sessionId: string, accountId: string): Promise<void> {
    this.state.bindings.set(sessionId, accountId, this.clock.now());
  }

  async bindIfAbsent(
    sessionId: string,
    accountId: string,
    options: Pick<SessionBind, 'replacing' | 'force'> = { replacing: null },
  ): Promise<string> {
    return this.state.bindings.bindIfAbsent(sessionId, { accountId, ...options }, this.clock.now());
  }

  async deleteBinding(sessionId: string): Promise<boolean> {
    return this.state.bindings.delete(sessionId, this.clock.now());
  }

  async deleteBindingsForAccount(accountId: string): Promise<number> {
    return this.state.bindings.deleteForAccount(accountId, this.clock.now());
  }

  async clearBindings(): Promise<number> {
    return this.state.bindings.clear(this.clock.now());
  }

  async countBindings(): Promise<number> {
    return this.state.bindings.count(this.clock.now());
  }

  async claim(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.state.claim(name, holder, ttlMs, this.clock.now());
  }

  async setLock(lock: RateLimitLock): Promise<void> {
    this.state.locks.set(lock);
    await this.persistence?.save(lock);
  }

  async extendLock(lock: RateLimitLock): Promise<RateLimitLock> {
    const inForce = this.state.locks.extend(lock, this.clock.now());
    if (inForce === lock) await this.persistence?.save(lock);
    return inForce;
  }

  async replaceLock(
    expected: Pick<RateLimitLock, 'accountId' | 'model' | 'source' | 'until'>,
    next: RateLimitLock | null,
  ): Promise<boolean> {
    if (!this.state.locks.replace(expected, next)) return false;
    if (next !== null) await this.persistence?.save(next);
    else await this.persistence?.remove({ accountId: expected.accountId, model: expected.model });
    return true;
  }

  async listLocks(): Promise<readonly RateLimitLock[]> {
    return this.state.locks.list(this.clock.now());
  }

  async getLocks(accountId: string, model: string): Promise<AccountLocks> {
    return this.state.locks.get(accountId, model, this.clock.now());
  }

  async deleteLocks(filter: LockFilter = {}): Promise<number> {
    const now = this.clock.now();
    const matched = this.state.locks.take(filter);
    if (matched.length === 0) return 0;
    await this.removePersisted(filter, matched);
    return matched.filter((lock) => lock.until > now).length;
  }

  async getFailureCount(accountId: string): Promise<FailureCount | null> {
    return this.state.getFailureCount(accountId, this.clock.now());
  }

  async incrementFailureCount(accountId: string): Promise<FailureCount> {
    return this.state.incrementFailureCount(accountId, this.clock.now());
  }

  async resetFailureCount(accountId: string): Promise<void> {
    this.state.resetFailureCount(accountId);
  }

  async incrementRoundRobin(by = 1): Promise<number> {
    return this.state.incrementCounter(by);
  }

  async getLastUsed(): Promise<LastUsedRecord | null> {
    return this.state.getLastUsed();
  }

  async setLastUsed(record: LastUsedRecord | null): Promise<void> {
    this.state.setLastUsed(record);
  }

  async getFixedAccountId(): Promise<string | null> {
    return this.state.getFixedAccountId();
  }

  async setFixedAccountId(accountId: string | null): Promise<void> {
    this.state.setFixedAccountId(accountId);
  }

  runExclusive<T>(
    name: string,
    task: () => Promise<T>,
    options: { ttlMs: number },
  ): Promise<ExclusiveOutcome<T>> {
    return this.exclusion.run(name, task, options);
  }

  async publishSettings(): Promise<void> {
    // One process: nobody else to tell.
  }

  onRemoteChange(): () => void {
    return () => undefined;
  }

  health(): StateHealth {
    return HEALTH;
  }

  async close(): Promise<void> {
    this.stopSweep();
  }

  /** Drops every expired binding, lock and claim and faded failure count (what the sweep timer does). */
  sweep(): void {
    this.state.sweep(this.clock.now());
  }

  private async removePersisted(filter: LockFilter, matched: readonly RateLimitLock[]): Promise<void> {
    if (!this.persistence) return;
    // LockPersistence filters by account (optionally narrowed to a model); a model-only or
    // source-narrowed filter is translated into one removal per affected lock.
    if (filter.source === undefined && (filter.accountId !== undefined || filter.model === undefined)) {
      await this.persistence.remove({
        ...(filter.accountId !== undefined ? { accountId: filter.accountId } : {}),
        ...(filter.model !== undefined ? { model: filter.model } : {}),
      });
      return;
    }
    const keys = new Set<string>();
    for (const lock of matched) {
      if (keys.has(lockKey(lock.accountId, lock.model))) continue;
      keys.add(lockKey(lock.accountId, lock.model));
      await this.persistence.remove({ accountId: lock.accountId, model: lock.model });
    }
  }
}

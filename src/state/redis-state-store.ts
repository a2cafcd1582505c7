import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { FailureCount, RateLimitLock } from '../core/limits.js';
import { LocalExclusion } from './local-exclusion.js';
import { DEFAULT_SWEEP_INTERVAL_MS, LocalState } from './local-state.js';
import { RedisBindings } from './redis-bindings.js';
import { RedisEvents, type StateEvent } from './redis-events.js';
import { RedisFailureCounts } from './redis-failure-counts.js';
import { RedisLink } from './redis-link.js';
import { RedisLocks } from './redis-locks.js';
import { RedisPickValues } from './redis-pick-values.js';
import { RedisPicks } from './redis-picks.js';
import * as lua from './redis-scripts.js';
import { maskRedisUrl } from './redis-url.js';
import { runScript } from './run-script.js';
import type {
  AccountLocks,
  ExclusiveOutcome,
  KnownOnly,
  LastUsedRecord,
  LockFilter,
  PickEffects,
  PickOutcome,
  PickQuery,
  PickSnapshot,
  RemoteChange,
  SessionBind,
  SharedSchedulingSettings,
  StateHealth,
  StateStore,
} from './state-store.js';
import { DEFAULT_BINDING_LEASE_MS, DEFAULT_BINDING_TTL_MS, DEFAULT_MAX_BINDINGS } from './state-store.js';

export interface RedisStateStoreOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  /** Prefix of every key and of the pub/sub channel, so several clusters can share one Redis. */
  keyPrefix: string;
  clock: Clock;
  ids: IdSource;
  bindingTtlMs?: number;
  maxBindings?: number;
  /**
   * How long a binding read from Redis is trusted by this instance without reading it again, ms
   * (see `BindingLeases`); 0 reads Redis on every pick. At most a tenth of the binding's
   * time-to-live. Default 1000 (`state.binding_lease_ms`).
   */
  bindingLeaseMs?: number;
  /** How long one Redis command may take before the store serves from local state, ms. Default 250 (`state.command_timeout_ms`). */
  commandTimeoutMs?: number;
  /** How often, while degraded, Redis is tried again; also how often the lock mirror is refreshed in full. Default 1000. */
  retryIntervalMs?: number;
  /** Start even when Redis cannot be reached (degraded, on local state) instead of failing. */
  allowDegradedStart?: boolean;
  /**
   * How often the local state (the mirror, and what was learned while degraded) drops expired
   * bindings, locks, claims and faded failure counts, ms. Default one minute.
   */
  sweepIntervalMs?: number;
  onDegraded?: (reason: string) => void;
  onRecovered?: () => void;
}

/**
 * The `StateStore` of a cluster: scheduling state in Redis, shared by every gateway instance.
 * Every read-then-write is one Lua script (atomic across instances, one round trip); a pick reads
 * in one script and writes in one — or, for a session whose binding this instance leases
 * (`RedisBindings`), reads nothing. Locks, failure counts and the fixed account are mirrored in
 * process (`LocalState`), updated by this instance's writes and by the others' through pub/sub (and
 * reloaded once a second), so the scheduler's per-account lock checks never wait for Redis. While
 * Redis is unreachable or slow the store serves from its local state (see `RedisLink`) and writes
 * back the bindings and locks it learned once Redis answers.
 *
 * Each kind of state has its own part: `RedisBindings`, `RedisLocks`, `RedisFailureCounts` and
 * `RedisPickValues` (round-robin counter, last used, fixed account); this class makes the picks,
 * routes the other instances' announcements, and runs the resync and the write-back over them.
 */
export class RedisStateStore implements StateStore {
  private readonly link: RedisLink;
  private readonly events: RedisEvents;
  private readonly clock: Clock;
  /** Prefix of the claims' keys (`claim`). */
  private readonly claimPrefix: string;
  private readonly local: LocalState;
  private readonly bindings: RedisBindings;
  private readonly locks: RedisLocks;
  private readonly failures: RedisFailureCounts;
  private readonly values: RedisPickValues;
  private readonly picks: RedisPicks;
  private readonly exclusion: LocalExclusion;
  private readonly listeners = new Set<(change: RemoteChange) => void>();
  private stopResync: () => void = () => {};
  private stopSweep: () => void = () => {};

  private constructor(options: RedisStateStoreOptions) {
    this.clock = options.clock;
    const ttlMs = options.bindingTtlMs ?? DEFAULT_BINDING_TTL_MS;
    const max = Math.max(1, options.maxBindings ?? DEFAULT_MAX_BINDINGS);
    this.local = new LocalState({ bindingTtlMs: ttlMs, maxBindings: max });
    this.exclusion = new LocalExclusion(options.clock);
    this.claimPrefix = `${options.keyPrefix}claim:`;
    this.link = new RedisLink({
      url: options.url,
      clock: options.clock,
      commandTimeoutMs: options.commandTimeoutMs ?? 250,
      retryIntervalMs: options.retryIntervalMs ?? 1000,
      onDegraded: (reason) => {
        this.bindings.keepLeased();
        options.onDegraded?.(reason);
      },
      ...(options.onRecovered ? { onRecovered: options.onRecovered } : {}),
    });
    this.link.recover = () => this.writeBack();
    this.events = new RedisEvents({
      link: this.link,
      channel: `${options.keyPrefix}events`,
      origin: options.ids.uuid(),
      onEvent: (event) => this.onEvent(event),
      onReconnect: () => {
        // Notifications may have been missed meanwhile.
        this.bindings.leases.clear();
        void this.resyncMirror();
      },
    });
    this.bindings = new RedisBindings({
      link: this.link,
      events: this.events,
      local: this.local,
      clock: options.clock,
      keyPrefix: options.keyPrefix,
      ttlMs,
      max,
      leaseMs: options.bindingLeaseMs ?? DEFAULT_BINDING_LEASE_MS,
    });
    const parts = { link: this.link, events: this.events, local: this.local, clock: options.clock };
    const prefix = options.keyPrefix;
    this.locks = new RedisLocks({ ...parts, hash: `${prefix}locks` });
    this.failures = new RedisFailureCounts({ ...parts, hash: `${prefix}failures` });
    this.values = new RedisPickValues(
      { counter: `${prefix}counter`, lastUsed: `${prefix}last-used`, fixed: `${prefix}fixed` },
      parts,
    );
    this.picks = new RedisPicks({
      ...parts,
      bindings: this.bindings,
      values: this.values,
      ttlMs,
      max,
    });
  }

  /**
   * Connects to Redis and loads the active locks into the mirror. Rejects with a message naming the
   * URL (password masked) when Redis cannot be reached, unless `allowDegradedStart`.
   */
  static async connect(options: RedisStateStoreOptions): Promise<RedisStateStore> {
    const store = new RedisStateStore(options);
    try {
      await store.link.connect();
      await store.events.start();
      await store.resyncMirror();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!options.allowDegradedStart) {
        await store.link.close();
        throw new Error(
          `Redis at ${maskRedisUrl(options.url)} cannot be reached (${reason}); start it, fix state.redis_url / SWITCHYARD_REDIS_URL, or pass --allow-degraded-start`,
        );
      }
      store.link.degrade(error);
      void store.events.start().catch(() => {});
    }
    store.stopResync = options.clock.every(options.retryIntervalMs ?? 1000, () => void store.resyncMirror());
    store.stopSweep = store.local.sweepEvery(
      options.clock,
      options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    );
    return store;
  }

  // --- one scheduling decision ------------------------------------------------------------------

  readForPick(query: PickQuery): PickSnapshot | Promise<PickSnapshot> {
    return this.picks.read(query);
  }

  applyPick(effects: PickEffects): PickOutcome | Promise<PickOutcome> {
    return this.picks.apply(effects);
  }

  // --- session bindings -------------------------------------------------------------------------

  getBinding(sessionId: string): Promise<string | null> {
    return this.bindings.get(sessionId);
  }

  async setBinding(sessionId: string, accountId: string): Promise<void> {
    await this.bindings.bindIfAbsent(sessionId, accountId, { replacing: null, force: true });
  }

  bindIfAbsent(
    sessionId: string,
    accountId: string,
    options: Pick<SessionBind, 'replacing' | 'force'> = { replacing: null },
  ): Promise<string> {
    return this.bindings.bindIfAbsent(sessionId, accountId, options);
  }

  deleteBinding(sessionId: string): Promise<boolean> {
    return this.bindings.delete(sessionId);
  }

  deleteBindingsForAccount(accountId: string): Promise<number> {
    return this.bindings.deleteAll(accountId);
  }

  clearBindings(): Promise<number> {
    return this.bindings.deleteAll(null);
  }

  countBindings(): Promise<number> {
    return this.bindings.count();
  }

  async claim(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    return this.link.run(
      async () =>
        (await runScript(
          this.link.client,
          lua.CLAIM,
          1,
          `${this.claimPrefix}${name}`,
          holder,
          now,
          ttlMs,
        )) === 1,
      () => this.local.claim(name, holder, ttlMs, now),
    );
  }

  // --- rate-limit locks, failure counts, round robin, last used, fixed account ------------------

  setLock(lock: RateLimitLock): Promise<void> {
    return this.locks.set(lock);
  }

  extendLock(lock: RateLimitLock): Promise<RateLimitLock> {
    return this.locks.extend(lock);
  }

  replaceLock(
    expected: Pick<RateLimitLock, 'accountId' | 'model' | 'source' | 'until'>,
    next: RateLimitLock | null,
  ): Promise<boolean> {
    return this.locks.replace(expected, next);
  }

  async listLocks(): Promise<readonly RateLimitLock[]> {
    await this.resyncMirror();
    return this.local.locks.list(this.clock.now());
  }

  getLocks(accountId: string, model: string): Promise<AccountLocks> {
    return this.locks.get(accountId, model);
  }

  deleteLocks(filter: LockFilter = {}, options: { cleared?: boolean } & KnownOnly = {}): Promise<number> {
    return this.locks.delete(filter, options);
  }

  getFailureCount(accountId: string): Promise<FailureCount | null> {
    return this.failures.get(accountId);
  }

  incrementFailureCount(accountId: string): Promise<FailureCount> {
    return this.failures.increment(accountId);
  }

  resetFailureCount(accountId: string, options: KnownOnly = {}): Promise<void> {
    return this.failures.reset(accountId, options);
  }

  incrementRoundRobin(by = 1): Promise<number> {
    return this.values.incrementRoundRobin(by);
  }

  getLastUsed(): Promise<LastUsedRecord | null> {
    return this.values.getLastUsed();
  }

  setLastUsed(record: LastUsedRecord | null): Promise<void> {
    return this.values.setLastUsed(record);
  }

  getFixedAccountId(): Promise<string | null> {
    return this.values.getFixedAccountId();
  }

  setFixedAccountId(accountId: string | null): Promise<void> {
    return this.values.setFixedAccountId(accountId);
  }

  // --- between instances ------------------------------------------------------------------------

  async runExclusive<T>(
    name: string,
    task: () => Promise<T>,
    options: { ttlMs: number },
  ): Promise<ExclusiveOutcome<T>> {
    const outcome = await this.exclusion.run(
      name,
      () => this.events.runExclusive(name, task, options),
      options,
    );
    return outcome.ran ? outcome.value : outcome;
  }

  async publishSettings(scheduling: SharedSchedulingSettings): Promise<void> {
    await this.link.run(() => this.events.publish({ type: 'settings', scheduling }), noop);
  }

  onRemoteChange(listener: (change: RemoteChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): StateHealth {
    return this.link.health();
  }

  async close(): Promise<void> {
    this.stopResync();
    this.stopSweep();
    this.events.stop();
    await this.link.close();
  }

  // --- internals --------------------------------------------------------------------------------

  /** Applies another instance's change to the mirror and tells the listeners what they must follow. */
  private onEvent(event: StateEvent): void {
    if (event.type === 'lock-set') this.locks.onEvent(event);
    if (event.type === 'locks-deleted') {
      this.locks.onEvent(event);
      if (event.cleared) this.emit({ type: 'locks-cleared', accountId: event.cleared.accountId });
    }
    if (event.type === 'settings') this.emit({ type: 'settings', scheduling: event.scheduling });
    if (event.type === 'failure-count') this.failures.put(event.accountId, event.failure);
    if (event.type === 'fixed') this.values.putFixedAccountId(event.accountId);
    if (event.type === 'bindings-changed') this.bindings.onChanged(event);
    if (event.type === 'resync') void this.resyncMirror();
  }

  private emit(change: RemoteChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /**
   * Replaces the mirror with Redis's active locks, failure counts and fixed account (start,
   * reconnection, once a second, admin reads of locks): what a missed notification left out.
   */
  private async resyncMirror(): Promise<void> {
    if (this.link.degraded) return;
    const now = this.clock.now();
    try {
      // Each part reads, then applies only if its mirror did not change meanwhile (the next resync will do).
      const apply = await Promise.all([
        this.values.readForResync(),
        this.failures.readForResync(),
        this.locks.readForResync(now),
      ]);
      if (this.link.degraded) return;
      for (const part of apply) part();
    } catch (error) {
      this.link.degrade(error);
    }
  }

  /**
   * After an outage: writes the bindings and locks learned meanwhile back to Redis (a binding
   * another instance made meanwhile wins; a lock keeps the later end), then reloads the mirror.
   */
  private async writeBack(): Promise<void> {
    const now = this.clock.now();
    await this.bindings.writeBack(now);
    await this.locks.writeBack(now);
    await this.events.publishRaw({ type: 'resync' });
  }
}

function noop(): void {}

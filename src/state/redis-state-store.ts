import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { FailureCount, RateLimitLock } from '../core/limits.js';
import { lockKey } from '../core/limits.js';
import { LocalExclusion } from './local-exclusion.js';
import { activeOrNull } from './local-locks.js';
import { DEFAULT_SWEEP_INTERVAL_MS, LocalState } from './local-state.js';
import { RedisBindings } from './redis-bindings.js';
import { RedisEvents, type StateEvent } from './redis-events.js';
import { RedisLink } from './redis-link.js';
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
import {
  DEFAULT_BINDING_LEASE_MS,
  DEFAULT_BINDING_TTL_MS,
  DEFAULT_MAX_BINDINGS,
  FAILURE_COUNT_FADE_MS,
} from './state-store.js';

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

const KEY_NAMES = [
  'bindings',
  'binding-order',
  'binding-seq',
  'counter',
  'last-used',
  'fixed',
  'locks',
  'failures',
];

/**
 * The `StateStore` of a cluster: scheduling state in Redis, shared by every gateway instance.
 * Every read-then-write is one Lua script (atomic across instances, one round trip); a pick reads
 * in one script and writes in one — or, for a session whose binding this instance leases
 * (`RedisBindings`), reads nothing. Locks, failure counts and the fixed account are mirrored in
 * process (`LocalState`), updated by this instance's writes and by the others' through pub/sub (and
 * reloaded once a second), so the scheduler's per-account lock checks never wait for Redis. While
 * Redis is unreachable or slow the store serves from its local state (see `RedisLink`) and writes
 * back the bindings and locks it learned once Redis answers.
 */
export class RedisStateStore implements StateStore {
  private readonly link: RedisLink;
  private readonly events: RedisEvents;
  private readonly clock: Clock;
  private readonly keys: Record<string, string>;
  /** Prefix of the claims' keys (`claim`). */
  private readonly claimPrefix: string;
  private readonly ttl: number;
  private readonly max: number;
  private readonly local: LocalState;
  private readonly bindings: RedisBindings;
  private readonly exclusion: LocalExclusion;
  private readonly listeners = new Set<(change: RemoteChange) => void>();
  private stopResync: () => void = () => {};
  private stopSweep: () => void = () => {};
  /** Counts changes to the failure-count mirror, so a resync that raced one is discarded. */
  private failureVersion = 0;
  /** The same for the fixed account's mirror. */
  private fixedVersion = 0;

  private constructor(options: RedisStateStoreOptions) {
    this.clock = options.clock;
    this.ttl = options.bindingTtlMs ?? DEFAULT_BINDING_TTL_MS;
    this.max = Math.max(1, options.maxBindings ?? DEFAULT_MAX_BINDINGS);
    this.local = new LocalState({ bindingTtlMs: this.ttl, maxBindings: this.max });
    this.exclusion = new LocalExclusion(options.clock);
    this.keys = Object.fromEntries(KEY_NAMES.map((name) => [name, `${options.keyPrefix}${name}`]));
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
      ttlMs: this.ttl,
      max: this.max,
      leaseMs: options.bindingLeaseMs ?? DEFAULT_BINDING_LEASE_MS,
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
    const now = this.clock.now();
    if (query.sessionId !== null && query.fresh !== true && !this.link.degraded) {
      const leased = this.bindings.leases.get(query.sessionId, now);
      if (leased !== null) {
        return {
          boundAccountId: leased,
          fixedAccountId: this.local.getFixedAccountId(),
          lastUsed: null,
          locks: this.local.locks.list(now),
          // Not a reserved position (a pick that rotates reads again, fresh): the last one known.
          counter: this.local.incrementCounter(0),
          leased: true,
        };
      }
    }
    return this.readShared(query, now);
  }

  private async readShared(query: PickQuery, now: number): Promise<PickSnapshot> {
    const { bindings, order, seq, counter, fixed } = this.bindingKeys();
    const fixedVersion = this.fixedVersion;
    return this.link.run(
      async () => {
        const [bound, fixedId, last, position] = (await runScript(
          this.link.client,
          lua.READ_FOR_PICK,
          6,
          bindings,
          order,
          seq,
          counter,
          this.keys['last-used'] as string,
          fixed,
          query.sessionId ?? '',
          now,
          this.ttl,
          query.lastUsed ? '1' : '0',
        )) as [string, string, string, number];
        this.local.setCounter(position);
        if (this.fixedVersion === fixedVersion) this.local.setFixedAccountId(fixedId === '' ? null : fixedId);
        if (query.sessionId !== null) this.bindings.read(query.sessionId, bound, now);
        return {
          boundAccountId: bound === '' ? null : bound,
          fixedAccountId: fixedId === '' ? null : fixedId,
          lastUsed: last === '' ? null : (JSON.parse(last) as LastUsedRecord),
          locks: this.local.locks.list(now),
          counter: position,
        };
      },
      () => this.local.readForPick(query, now),
    );
  }

  applyPick(effects: PickEffects): PickOutcome | Promise<PickOutcome> {
    // A sticky hit (its binding touched by the read) or a pick that moved nothing writes nothing:
    // the request then costs one round trip, the read's (none on a lease).
    if (isEmpty(effects)) return NOTHING_APPLIED;
    return this.applyPickEffects(effects);
  }

  private async applyPickEffects(effects: PickEffects): Promise<PickOutcome> {
    const now = this.clock.now();
    const { bind } = effects;
    const { bindings, order, seq, counter } = this.bindingKeys();
    return this.link.run(
      async () => {
        const bound = (await runScript(
          this.link.client,
          lua.APPLY_PICK,
          5,
          bindings,
          order,
          seq,
          counter,
          this.keys['last-used'] as string,
          effects.sessionId ?? '',
          bind?.accountId ?? '',
          bind?.replacing ?? '',
          bind?.force ? '1' : '0',
          effects.unbindFrom ?? '',
          effects.lastUsed === null ? '' : JSON.stringify(effects.lastUsed),
          effects.skip,
          now,
          this.ttl,
          this.max,
        )) as string;
        if (effects.sessionId === null) return NOTHING_APPLIED;
        await this.bindings.applied({ ...effects, sessionId: effects.sessionId }, bound, now);
        return bind === null ? NOTHING_APPLIED : { boundAccountId: bound };
      },
      () => this.local.applyPick(effects, now),
    );
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

  // --- rate-limit locks -------------------------------------------------------------------------

  async setLock(lock: RateLimitLock): Promise<void> {
    this.local.locks.set(lock);
    await this.link.run(async () => {
      await this.link.client.hset(this.lockHash(), lockKey(lock.accountId, lock.model), JSON.stringify(lock));
      await this.events.publish({ type: 'lock-set', lock });
    }, noop);
  }

  async extendLock(lock: RateLimitLock): Promise<RateLimitLock> {
    const now = this.clock.now();
    const key = lockKey(lock.accountId, lock.model);
    return this.link.run(
      async () => {
        const json = JSON.stringify(lock);
        const inForce = (await runScript(
          this.link.client,
          lua.EXTEND_LOCK,
          1,
          this.lockHash(),
          key,
          json,
          lock.until,
          now,
        )) as string;
        if (inForce !== json) {
          const kept = JSON.parse(inForce) as RateLimitLock;
          this.local.locks.set(kept);
          return kept;
        }
        this.local.locks.set(lock);
        await this.events.publish({ type: 'lock-set', lock });
        return lock;
      },
      () => this.local.locks.extend(lock, now),
    );
  }

  async replaceLock(
    expected: Pick<RateLimitLock, 'accountId' | 'model' | 'source' | 'until'>,
    next: RateLimitLock | null,
  ): Promise<boolean> {
    const key = lockKey(expected.accountId, expected.model);
    return this.link.run(
      async () => {
        const { source, until } = expected;
        const next_ = next === null ? '' : JSON.stringify(next);
        const done =
          (await runScript(
            this.link.client,
            lua.REPLACE_LOCK,
            1,
            this.lockHash(),
            key,
            source,
            until,
            next_,
          )) === 1;
        if (!done) return false;
        if (next === null) this.local.locks.take({ accountId: expected.accountId, model: expected.model });
        else this.local.locks.set(next);
        await this.events.publish(
          next === null
            ? { type: 'locks-deleted', locks: [{ ...expected }], cleared: null }
            : { type: 'lock-set', lock: next },
        );
        return true;
      },
      () => this.local.locks.replace(expected, next),
    );
  }

  async listLocks(): Promise<readonly RateLimitLock[]> {
    await this.resyncMirror();
    return this.local.locks.list(this.clock.now());
  }

  async getLocks(accountId: string, model: string): Promise<AccountLocks> {
    const now = this.clock.now();
    return this.link.run(
      async () => {
        // The two entries themselves, not the whole lock hash: a burst of failures reads little.
        const [account, forModel] = await this.link.client.hmget(
          this.lockHash(),
          lockKey(accountId, null),
          lockKey(accountId, model),
        );
        const parse = (json: string | null | undefined) =>
          activeOrNull(json == null ? undefined : (JSON.parse(json) as RateLimitLock), now);
        return { account: parse(account), model: parse(forModel) };
      },
      () => this.local.locks.get(accountId, model, now),
    );
  }

  async deleteLocks(
    filter: LockFilter = {},
    options: { cleared?: boolean } & KnownOnly = {},
  ): Promise<number> {
    const now = this.clock.now();
    const localMatched = this.local.locks.take(filter);
    if (options.knownOnly && localMatched.length === 0) return 0;
    const matched = await this.link.run(
      async () => {
        const removed = (await runScript(
          this.link.client,
          lua.DELETE_LOCKS,
          1,
          this.lockHash(),
          filterJson(filter),
        )) as string[];
        const locks = removed.map((json) => JSON.parse(json) as RateLimitLock);
        const cleared = options.cleared ? { accountId: filter.accountId ?? null } : null;
        if (locks.length > 0 || cleared) await this.events.publish({ type: 'locks-deleted', locks, cleared });
        return locks;
      },
      () => localMatched,
    );
    return matched.filter((lock) => lock.until > now).length;
  }

  // --- consecutive failures ---------------------------------------------------------------------

  async getFailureCount(accountId: string): Promise<FailureCount | null> {
    const now = this.clock.now();
    return this.link.run(
      async () => parseOrNull<FailureCount>(await this.failureScript(accountId, now, 'get')),
      () => this.local.getFailureCount(accountId, now),
    );
  }

  async incrementFailureCount(accountId: string): Promise<FailureCount> {
    const now = this.clock.now();
    return this.link.run(
      async () => {
        const failure = JSON.parse(
          (await this.failureScript(accountId, now, 'incr')) as string,
        ) as FailureCount;
        this.putFailureCount(accountId, failure);
        await this.events.publish({ type: 'failure-count', accountId, failure });
        return failure;
      },
      () => this.local.incrementFailureCount(accountId, now),
    );
  }

  async resetFailureCount(accountId: string, options: KnownOnly = {}): Promise<void> {
    const known = this.local.resetFailureCount(accountId);
    // Only a change to the mirror makes a resync in flight stale: most successes change nothing.
    if (known) this.failureVersion++;
    else if (options.knownOnly) return;
    await this.link.run(async () => {
      await this.link.client.hdel(this.keys['failures'] as string, accountId);
      await this.events.publish({ type: 'failure-count', accountId, failure: null });
    }, noop);
  }

  /** Mirrors a failure count (this instance's or another's); a resync in flight then discards its copy. */
  private putFailureCount(accountId: string, failure: FailureCount | null): void {
    this.local.putFailureCount(accountId, failure);
    this.failureVersion++;
  }

  // --- round robin, last used, fixed account ----------------------------------------------------

  async incrementRoundRobin(by = 1): Promise<number> {
    return this.link.run(
      async () => {
        const value = await this.link.client.incrby(this.keys['counter'] as string, by);
        this.local.setCounter(value);
        return value;
      },
      () => this.local.incrementCounter(by),
    );
  }

  async getLastUsed(): Promise<LastUsedRecord | null> {
    return this.link.run(
      async () => parseOrNull<LastUsedRecord>(await this.link.client.get(this.keys['last-used'] as string)),
      () => this.local.getLastUsed(),
    );
  }

  async setLastUsed(record: LastUsedRecord | null): Promise<void> {
    this.local.setLastUsed(record);
    const key = this.keys['last-used'] as string;
    await this.link.run(async () => {
      if (record === null) await this.link.client.del(key);
      else await this.link.client.set(key, JSON.stringify({ accountId: record.accountId, at: record.at }));
    }, noop);
  }

  async getFixedAccountId(): Promise<string | null> {
    return this.link.run(
      async () => await this.link.client.get(this.keys['fixed'] as string),
      () => this.local.getFixedAccountId(),
    );
  }

  async setFixedAccountId(accountId: string | null): Promise<void> {
    this.putFixedAccountId(accountId);
    const key = this.keys['fixed'] as string;
    await this.link.run(async () => {
      if (accountId === null) await this.link.client.del(key);
      else await this.link.client.set(key, accountId);
      await this.events.publish({ type: 'fixed', accountId });
    }, noop);
  }

  /** Mirrors the fixed account (this instance's or another's); a read in flight then keeps its copy to itself. */
  private putFixedAccountId(accountId: string | null): void {
    this.local.setFixedAccountId(accountId);
    this.fixedVersion++;
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
    if (event.type === 'lock-set') this.local.locks.set(event.lock);
    if (event.type === 'locks-deleted') {
      for (const lock of event.locks) this.local.locks.replace(lock, null);
      if (event.cleared) this.emit({ type: 'locks-cleared', accountId: event.cleared.accountId });
    }
    if (event.type === 'settings') this.emit({ type: 'settings', scheduling: event.scheduling });
    if (event.type === 'failure-count') this.putFailureCount(event.accountId, event.failure);
    if (event.type === 'fixed') this.putFixedAccountId(event.accountId);
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
    const version = this.local.locks.version;
    try {
      const { failureVersion, fixedVersion } = this;
      const [active, failures, fixed] = await Promise.all([
        runScript(this.link.client, lua.ACTIVE_LOCKS, 1, this.lockHash(), now) as Promise<string[]>,
        this.link.client.hgetall(this.keys['failures'] as string),
        this.link.client.get(this.keys['fixed'] as string),
      ]);
      if (this.link.degraded) return;
      // The fixed account's notification may have been missed: the leased picks read the mirror.
      if (this.fixedVersion === fixedVersion) this.local.setFixedAccountId(fixed);
      // A change here meanwhile makes this copy stale: the next one will do.
      if (this.failureVersion === failureVersion) {
        this.local.replaceFailureCounts(
          Object.entries(failures).map(([accountId, json]) => [accountId, JSON.parse(json) as FailureCount]),
        );
      }
      if (this.local.locks.version !== version) return;
      this.local.locks.replaceAll(active.map((json) => JSON.parse(json) as RateLimitLock));
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
    const client = this.link.client;
    await this.bindings.writeBack(now);
    for (const lock of this.local.locks.list(now)) {
      const json = JSON.stringify(lock);
      await runScript(
        client,
        lua.EXTEND_LOCK,
        1,
        this.lockHash(),
        lockKey(lock.accountId, lock.model),
        json,
        lock.until,
        now,
      );
    }
    const version = this.local.locks.version;
    const active = (await runScript(client, lua.ACTIVE_LOCKS, 1, this.lockHash(), now)) as string[];
    // A lock learned during the write-back is not in Redis yet: the next attempt writes it too.
    if (this.local.locks.version !== version) throw new Error('locks changed during the write-back');
    this.local.locks.replaceAll(active.map((json) => JSON.parse(json) as RateLimitLock));
    await this.events.publishRaw({ type: 'resync' });
  }

  private failureScript(accountId: string, now: number, op: 'get' | 'incr'): Promise<unknown> {
    return runScript(
      this.link.client,
      lua.FAILURE_COUNT,
      1,
      this.keys['failures'] as string,
      accountId,
      now,
      FAILURE_COUNT_FADE_MS,
      op,
    );
  }

  private bindingKeys() {
    return {
      ...this.bindings.keys,
      counter: this.keys['counter'] as string,
      fixed: this.keys['fixed'] as string,
    };
  }

  private lockHash(): string {
    return this.keys['locks'] as string;
  }
}

function noop(): void {}

const NOTHING_APPLIED: PickOutcome = Object.freeze({ boundAccountId: null });

/** Whether a pick's effects change nothing (no binding, unbinding, last used or counter skip). */
function isEmpty(effects: PickEffects): boolean {
  return (
    effects.bind === null && effects.unbindFrom === null && effects.lastUsed === null && effects.skip === 0
  );
}

function parseOrNull<T>(value: unknown): T | null {
  return typeof value === 'string' ? (JSON.parse(value) as T) : null;
}

/** A `LockFilter` as the DELETE_LOCKS script reads it (`model: false` = the account-level lock). */
function filterJson(filter: LockFilter): string {
  return JSON.stringify({
    ...(filter.accountId !== undefined ? { accountId: filter.accountId } : {}),
    ...(filter.model !== undefined ? { model: filter.model ?? false } : {}),
    ...(filter.source !== undefined ? { source: filter.source } : {}),
  });
}

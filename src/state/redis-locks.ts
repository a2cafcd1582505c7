import type { Clock } from '../core/clock.js';
import type { RateLimitLock } from '../core/limits.js';
import { lockKey } from '../core/limits.js';
import { activeOrNull } from './local-locks.js';
import type { LocalState } from './local-state.js';
import type { RedisEvents, StateEvent } from './redis-events.js';
import type { RedisLink } from './redis-link.js';
import * as lua from './redis-scripts.js';
import { runScript } from './run-script.js';
import type { AccountLocks, KnownOnly, LockFilter } from './state-store.js';

export interface RedisLocksOptions {
  link: RedisLink;
  events: RedisEvents;
  /** The instance's local state: its lock mirror, read by every pick, and what serves while Redis is unreachable. */
  local: LocalState;
  clock: Clock;
  /** The Redis hash holding every lock, keyed by `lockKey`. */
  hash: string;
}

/**
 * The rate-limit-lock half of `RedisStateStore`: the lock operations of the `StateStore` contract
 * on one Redis hash (each read-then-write one Lua script), kept in the local mirror as they are
 * made here or announced by the other instances, and the locks' part of a resync and of the
 * write-back after an outage.
 */
export class RedisLocks {
  private readonly options: RedisLocksOptions;

  constructor(options: RedisLocksOptions) {
    this.options = options;
  }

  private get local(): LocalState {
    return this.options.local;
  }

  async set(lock: RateLimitLock): Promise<void> {
    const { link, events, hash } = this.options;
    this.local.locks.set(lock);
    await link.run(async () => {
      await link.client.hset(hash, lockKey(lock.accountId, lock.model), JSON.stringify(lock));
      await events.publish({ type: 'lock-set', lock });
    }, noop);
  }

  async extend(lock: RateLimitLock): Promise<RateLimitLock> {
    const { link, events, hash } = this.options;
    const now = this.options.clock.now();
    const key = lockKey(lock.accountId, lock.model);
    return link.run(
      async () => {
        const json = JSON.stringify(lock);
        const inForce = (await runScript(
          link.client,
          lua.EXTEND_LOCK,
          1,
          hash,
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
        await events.publish({ type: 'lock-set', lock });
        return lock;
      },
      () => this.local.locks.extend(lock, now),
    );
  }

  async replace(
    expected: Pick<RateLimitLock, 'accountId' | 'model' | 'source' | 'until'>,
    next: RateLimitLock | null,
  ): Promise<boolean> {
    const { link, events, hash } = this.options;
    const key = lockKey(expected.accountId, expected.model);
    return link.run(
      async () => {
        const { source, until } = expected;
        const nextJson = next === null ? '' : JSON.stringify(next);
        const done =
          (await runScript(link.client, lua.REPLACE_LOCK, 1, hash, key, source, until, nextJson)) === 1;
        if (!done) return false;
        if (next === null) this.local.locks.take({ accountId: expected.accountId, model: expected.model });
        else this.local.locks.set(next);
        await events.publish(
          next === null
            ? { type: 'locks-deleted', locks: [{ ...expected }], cleared: null }
            : { type: 'lock-set', lock: next },
        );
        return true;
      },
      () => this.local.locks.replace(expected, next),
    );
  }

  async get(accountId: string, model: string): Promise<AccountLocks> {
    const { link, hash } = this.options;
    const now = this.options.clock.now();
    return link.run(
      async () => {
        // The two entries themselves, not the whole lock hash: a burst of failures reads little.
        const [account, forModel] = await link.client.hmget(
          hash,
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

  async delete(filter: LockFilter, options: { cleared?: boolean } & KnownOnly): Promise<number> {
    const { link, events, hash } = this.options;
    const now = this.options.clock.now();
    const localMatched = this.local.locks.take(filter);
    if (options.knownOnly && localMatched.length === 0) return 0;
    const matched = await link.run(
      async () => {
        const removed = (await runScript(
          link.client,
          lua.DELETE_LOCKS,
          1,
          hash,
          filterJson(filter),
        )) as string[];
        const locks = removed.map((json) => JSON.parse(json) as RateLimitLock);
        const cleared = options.cleared ? { accountId: filter.accountId ?? null } : null;
        if (locks.length > 0 || cleared) await events.publish({ type: 'locks-deleted', locks, cleared });
        return locks;
      },
      () => localMatched,
    );
    return matched.filter((lock) => lock.until > now).length;
  }

  /** Another instance's lock change, into the mirror. */
  onEvent(event: Extract<StateEvent, { type: 'lock-set' | 'locks-deleted' }>): void {
    if (event.type === 'lock-set') this.local.locks.set(event.lock);
    else for (const lock of event.locks) this.local.locks.replace(lock, null);
  }

  /**
   * Reads Redis's active locks; resolves with what replaces the mirror with them, which does
   * nothing when the mirror changed meanwhile (the next resync will do).
   */
  async readForResync(now: number): Promise<() => void> {
    const version = this.local.locks.version;
    const active = await this.active(now);
    return () => {
      if (this.local.locks.version === version) this.local.locks.replaceAll(active);
    };
  }

  /**
   * After an outage: writes the locks learned meanwhile back (a lock keeps the later end), then
   * reloads the mirror. Throws when a lock was learned during the write-back (not in Redis yet:
   * the next attempt writes it too).
   */
  async writeBack(now: number): Promise<void> {
    const { link, hash } = this.options;
    for (const lock of this.local.locks.list(now)) {
      const json = JSON.stringify(lock);
      await runScript(
        link.client,
        lua.EXTEND_LOCK,
        1,
        hash,
        lockKey(lock.accountId, lock.model),
        json,
        lock.until,
        now,
      );
    }
    const version = this.local.locks.version;
    const active = await this.active(now);
    if (this.local.locks.version !== version) throw new Error('locks changed during the write-back');
    this.local.locks.replaceAll(active);
  }

  private async active(now: number): Promise<RateLimitLock[]> {
    const { link, hash } = this.options;
    const active = (await runScript(link.client, lua.ACTIVE_LOCKS, 1, hash, now)) as string[];
    return active.map((json) => JSON.parse(json) as RateLimitLock);
  }
}

function noop(): void {}

/** A `LockFilter` as the DELETE_LOCKS script reads it (`model: false` = the account-level lock). */
function filterJson(filter: LockFilter): string {
  return JSON.stringify({
    ...(filter.accountId !== undefined ? { accountId: filter.accountId } : {}),
    ...(filter.model !== undefined ? { model: filter.model ?? false } : {}),
    ...(filter.source !== undefined ? { source: filter.source } : {}),
  });
}

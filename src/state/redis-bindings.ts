import type { Clock } from '../core/clock.js';
import { BindingLeases } from './binding-leases.js';
import type { LocalState } from './local-state.js';
import type { RedisEvents, StateEvent } from './redis-events.js';
import type { RedisLink } from './redis-link.js';
import * as lua from './redis-scripts.js';
import { runScript } from './run-script.js';
import type { PickEffects, SessionBind } from './state-store.js';

export interface RedisBindingsOptions {
  link: RedisLink;
  events: RedisEvents;
  /** The instance's local state: its bindings serve while Redis is unreachable. */
  local: LocalState;
  clock: Clock;
  keyPrefix: string;
  ttlMs: number;
  max: number;
  /** See `BindingLeases`; at most a tenth of `ttlMs` is used. */
  leaseMs: number;
}

/** Bindings in Redis: the `bindings` hash, its use order and sequence (see redis-scripts.ts). */
export type BindingKeys = { bindings: string; order: string; seq: string };

/**
 * The session-binding half of `RedisStateStore`: the binding operations of the `StateStore`
 * contract on Redis (each one Lua script), this instance's leases on the bindings it read
 * (`BindingLeases`) and what keeps them honest — every change other than a first binding is
 * announced (`bindings-changed`) and drops the others' leases — and the bindings' part of an
 * outage: the leased conversations kept on their accounts, and the write-back afterwards.
 */
export class RedisBindings {
  readonly keys: BindingKeys;
  readonly leases: BindingLeases;
  private readonly options: RedisBindingsOptions;

  constructor(options: RedisBindingsOptions) {
    this.options = options;
    const { keyPrefix } = options;
    this.keys = {
      bindings: `${keyPrefix}bindings`,
      order: `${keyPrefix}binding-order`,
      seq: `${keyPrefix}binding-seq`,
    };
    this.leases = new BindingLeases(Math.min(options.leaseMs, Math.floor(options.ttlMs / 10)), options.max);
  }

  /** After a pick's read: the session's binding as Redis holds it ('' none) is leased, or its lease dropped. */
  read(sessionId: string, bound: string, now: number): void {
    if (bound === '') this.leases.drop(sessionId);
    else this.leases.grant(sessionId, bound, now);
  }

  /**
   * After a pick's write (`bound`: what the script returned): leases the binding made, drops the
   * lease of a binding removed, and announces every change but a first binding.
   */
  async applied(effects: PickEffects & { sessionId: string }, bound: string, now: number): Promise<void> {
    const { bind, sessionId } = effects;
    if ((bind !== null && isRebinding(bind)) || effects.unbindFrom !== null) {
      await this.announce(sessionId, null);
    }
    if (bind !== null) this.leases.grant(sessionId, bound, now);
    else if (effects.unbindFrom !== null) this.leases.drop(sessionId);
  }

  async get(sessionId: string): Promise<string | null> {
    const { clock, link, local, ttlMs } = this.options;
    const now = clock.now();
    return link.run(
      async () => ((await this.script(lua.GET_BINDING, sessionId, now, ttlMs)) as string | null) ?? null,
      () => local.bindings.get(sessionId, now),
    );
  }

  async bindIfAbsent(
    sessionId: string,
    accountId: string,
    options: Pick<SessionBind, 'replacing' | 'force'>,
  ): Promise<string> {
    const { clock, link, local, ttlMs, max } = this.options;
    const now = clock.now();
    const { replacing, force } = options;
    const rebinding = isRebinding(options);
    if (rebinding) this.leases.drop(sessionId);
    return link.run(
      async () => {
        const args = [sessionId, accountId, replacing ?? '', force ? '1' : '0', now, ttlMs, max];
        const bound = (await this.script(lua.BIND_IF_ABSENT, ...args)) as string;
        if (rebinding) await this.announce(sessionId, null);
        return bound;
      },
      () => local.bindings.bindIfAbsent(sessionId, { accountId, ...options }, now),
    );
  }

  async delete(sessionId: string): Promise<boolean> {
    const { clock, link, local, ttlMs } = this.options;
    const now = clock.now();
    const deletedLocally = local.bindings.delete(sessionId, now);
    this.leases.drop(sessionId);
    return link.run(
      async () => {
        const deleted = (await this.script(lua.DELETE_BINDING, sessionId, now, ttlMs, '')) === 1;
        await this.announce(sessionId, null);
        return deleted;
      },
      () => deletedLocally,
    );
  }

  /** Removes every binding to `accountId`, or every binding when it is null; returns the live ones removed. */
  async deleteAll(accountId: string | null): Promise<number> {
    const { clock, link, local, ttlMs } = this.options;
    const now = clock.now();
    const removedLocally =
      accountId === null ? local.bindings.clear(now) : local.bindings.deleteForAccount(accountId, now);
    if (accountId === null) this.leases.clear();
    else this.leases.dropAccount(accountId);
    return link.run(
      async () => {
        const removed = (await this.script(lua.DELETE_BINDINGS, now, ttlMs, accountId ?? '')) as number;
        await this.announce(null, accountId);
        return removed;
      },
      () => removedLocally,
    );
  }

  async count(): Promise<number> {
    const { clock, link, local, ttlMs } = this.options;
    const now = clock.now();
    return link.run(
      async () => (await this.script(lua.SWEEP_BINDINGS, now, ttlMs)) as number,
      () => local.bindings.count(now),
    );
  }

  /** Another instance changed bindings: drops the leases on them. */
  onChanged(event: Extract<StateEvent, { type: 'bindings-changed' }>): void {
    if (event.sessionId !== null) this.leases.drop(event.sessionId);
    else if (event.accountId !== null) this.leases.dropAccount(event.accountId);
    else this.leases.clear();
  }

  /**
   * At the start of an outage: the conversations this instance was serving stay on their accounts
   * (the local state it now serves from knows their bindings; they are written back on recovery,
   * where a binding another instance made meanwhile wins).
   */
  keepLeased(): void {
    const { clock, local } = this.options;
    const now = clock.now();
    for (const [sessionId, accountId] of [...this.leases.entries(now)]) {
      local.bindings.bindIfAbsent(sessionId, { accountId, replacing: null }, now);
    }
    this.leases.clear();
  }

  /** After an outage: writes the bindings made meanwhile back (a binding another instance made wins). */
  async writeBack(now: number): Promise<void> {
    const { local, ttlMs, max } = this.options;
    for (const [sessionId, accountId] of [...local.bindings.entries(now)]) {
      await this.script(lua.BIND_IF_ABSENT, sessionId, accountId, '', '0', now, ttlMs, max);
    }
    local.bindings.clear(now);
    this.leases.clear();
  }

  /** Tells the other instances to drop their leases on these bindings (see `StateEvent`). */
  private announce(sessionId: string | null, accountId: string | null): Promise<void> {
    return this.options.events.publish({ type: 'bindings-changed', sessionId, accountId });
  }

  private script(script: string, ...args: Array<string | number>): Promise<unknown> {
    const { bindings, order, seq } = this.keys;
    return runScript(this.options.link.client, script, 3, bindings, order, seq, ...args);
  }
}

/** Whether a bind may replace an existing binding (a first binding never does: nothing to announce). */
function isRebinding(bind: Pick<SessionBind, 'replacing' | 'force'>): boolean {
  return (bind.replacing ?? null) !== null || bind.force === true;
}

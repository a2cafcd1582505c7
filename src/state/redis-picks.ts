import type { Clock } from '../core/clock.js';
import type { LocalState } from './local-state.js';
import type { RedisBindings } from './redis-bindings.js';
import type { RedisLink } from './redis-link.js';
import type { RedisPickValues } from './redis-pick-values.js';
import * as lua from './redis-scripts.js';
import { runScript } from './run-script.js';
import type { LastUsedRecord, PickEffects, PickOutcome, PickQuery, PickSnapshot } from './state-store.js';

export interface RedisPicksOptions {
  link: RedisLink;
  local: LocalState;
  bindings: RedisBindings;
  values: RedisPickValues;
  clock: Clock;
  /** A binding's time to live, ms. */
  ttlMs: number;
  /** Most bindings kept; the least recently used go beyond it. */
  max: number;
}

/**
 * One scheduling decision of `RedisStateStore` on Redis: everything a pick reads in one Lua
 * script (the session's binding, the fixed account, the last used, the counter), or nothing for a
 * session whose binding this instance leases; then its effects in one script, none when it moved
 * nothing. While Redis is unreachable the local state answers both.
 */
export class RedisPicks {
  constructor(private readonly options: RedisPicksOptions) {}

  /** `StateStore.readForPick`. */
  read(query: PickQuery): PickSnapshot | Promise<PickSnapshot> {
    const now = this.options.clock.now();
    if (query.sessionId !== null && query.fresh !== true && !this.options.link.degraded) {
      const leased = this.options.bindings.leases.get(query.sessionId, now);
      if (leased !== null) {
        return {
          boundAccountId: leased,
          fixedAccountId: this.options.local.getFixedAccountId(),
          lastUsed: null,
          locks: this.options.local.locks.list(now),
          // Not a reserved position (a pick that rotates reads again, fresh): the last one known.
          counter: this.options.local.incrementCounter(0),
          leased: true,
        };
      }
    }
    return this.readShared(query, now);
  }

  private async readShared(query: PickQuery, now: number): Promise<PickSnapshot> {
    const { bindings, order, seq } = this.options.bindings.keys;
    const { counter, lastUsed, fixed } = this.options.values.keys;
    const fixedVersion = this.options.values.fixedMirrorVersion();
    return this.options.link.run(
      async () => {
        const [bound, fixedId, last, position] = (await runScript(
          this.options.link.client,
          lua.READ_FOR_PICK,
          6,
          bindings,
          order,
          seq,
          counter,
          lastUsed,
          fixed,
          query.sessionId ?? '',
          now,
          this.options.ttlMs,
          query.lastUsed ? '1' : '0',
        )) as [string, string, string, number];
        this.options.local.setCounter(position);
        this.options.values.mirrorFixedAccountId(fixedId, fixedVersion);
        if (query.sessionId !== null) this.options.bindings.read(query.sessionId, bound, now);
        return {
          boundAccountId: bound === '' ? null : bound,
          fixedAccountId: fixedId === '' ? null : fixedId,
          lastUsed: last === '' ? null : (JSON.parse(last) as LastUsedRecord),
          locks: this.options.local.locks.list(now),
          counter: position,
        };
      },
      () => this.options.local.readForPick(query, now),
    );
  }

  /** `StateStore.applyPick`. */
  apply(effects: PickEffects): PickOutcome | Promise<PickOutcome> {
    // A sticky hit (its binding touched by the read) or a pick that moved nothing writes nothing:
    // the request then costs one round trip, the read's (none on a lease).
    if (isEmpty(effects)) return NOTHING_APPLIED;
    return this.applyPickEffects(effects);
  }

  private async applyPickEffects(effects: PickEffects): Promise<PickOutcome> {
    const now = this.options.clock.now();
    const { bind } = effects;
    const { bindings, order, seq } = this.options.bindings.keys;
    const { counter, lastUsed } = this.options.values.keys;
    return this.options.link.run(
      async () => {
        const bound = (await runScript(
          this.options.link.client,
          lua.APPLY_PICK,
          5,
          bindings,
          order,
          seq,
          counter,
          lastUsed,
          effects.sessionId ?? '',
          bind?.accountId ?? '',
          bind?.replacing ?? '',
          bind?.force ? '1' : '0',
          effects.unbindFrom ?? '',
          effects.lastUsed === null ? '' : JSON.stringify(effects.lastUsed),
          effects.skip,
          now,
          this.options.ttlMs,
          this.options.max,
        )) as string;
        if (effects.sessionId === null) return NOTHING_APPLIED;
        await this.options.bindings.applied({ ...effects, sessionId: effects.sessionId }, bound, now);
        return bind === null ? NOTHING_APPLIED : { boundAccountId: bound };
      },
      () => this.options.local.applyPick(effects, now),
    );
  }
}

const NOTHING_APPLIED: PickOutcome = Object.freeze({ boundAccountId: null });

/** Whether a pick's effects change nothing (no binding, unbinding, last used or counter skip). */
function isEmpty(effects: PickEffects): boolean {
  return (
    effects.bind === null && effects.unbindFrom === null && effects.lastUsed === null && effects.skip === 0
  );
}

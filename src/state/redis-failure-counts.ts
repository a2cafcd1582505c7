import type { Clock } from '../core/clock.js';
import type { FailureCount } from '../core/limits.js';
import type { LocalState } from './local-state.js';
import type { RedisEvents } from './redis-events.js';
import type { RedisLink } from './redis-link.js';
import * as lua from './redis-scripts.js';
import { runScript } from './run-script.js';
import { FAILURE_COUNT_FADE_MS, type KnownOnly } from './state-store.js';

export interface RedisFailureCountsOptions {
  link: RedisLink;
  events: RedisEvents;
  /** The instance's local state: its failure-count mirror, and what serves while Redis is unreachable. */
  local: LocalState;
  clock: Clock;
  /** The Redis hash of the counts, by account id. */
  hash: string;
}

/**
 * The consecutive-failure counts of `RedisStateStore`: kept in one Redis hash (read and counted
 * by one Lua script, which also lets a count fade), mirrored in process as they change here or
 * are announced by the other instances, and reloaded with each resync.
 */
export class RedisFailureCounts {
  private readonly options: RedisFailureCountsOptions;
  /** Counts changes to the mirror, so a resync that raced one is discarded. */
  private version = 0;

  constructor(options: RedisFailureCountsOptions) {
    this.options = options;
  }

  async get(accountId: string): Promise<FailureCount | null> {
    const now = this.options.clock.now();
    return this.options.link.run(
      async () => {
        const value = await this.script(accountId, now, 'get');
        return typeof value === 'string' ? (JSON.parse(value) as FailureCount) : null;
      },
      () => this.options.local.getFailureCount(accountId, now),
    );
  }

  async increment(accountId: string): Promise<FailureCount> {
    const now = this.options.clock.now();
    return this.options.link.run(
      async () => {
        const failure = JSON.parse((await this.script(accountId, now, 'incr')) as string) as FailureCount;
        this.put(accountId, failure);
        await this.options.events.publish({ type: 'failure-count', accountId, failure });
        return failure;
      },
      () => this.options.local.incrementFailureCount(accountId, now),
    );
  }

  async reset(accountId: string, options: KnownOnly): Promise<void> {
    const { link, events, hash } = this.options;
    const known = this.options.local.resetFailureCount(accountId);
    // Only a change to the mirror makes a resync in flight stale: most successes change nothing.
    if (known) this.version++;
    else if (options.knownOnly) return;
    await link.run(async () => {
      await link.client.hdel(hash, accountId);
      await events.publish({ type: 'failure-count', accountId, failure: null });
    }, noop);
  }

  /** Mirrors a failure count (this instance's or another's); a resync in flight then discards its copy. */
  put(accountId: string, failure: FailureCount | null): void {
    this.options.local.putFailureCount(accountId, failure);
    this.version++;
  }

  /** Reads every count in Redis; resolves with what replaces the mirror with them, unless it changed meanwhile. */
  async readForResync(): Promise<() => void> {
    const version = this.version;
    const failures = await this.options.link.client.hgetall(this.options.hash);
    return () => {
      if (this.version !== version) return;
      this.options.local.replaceFailureCounts(
        Object.entries(failures).map(([accountId, json]) => [accountId, JSON.parse(json) as FailureCount]),
      );
    };
  }

  private script(accountId: string, now: number, op: 'get' | 'incr'): Promise<unknown> {
    const { link, hash } = this.options;
    return runScript(link.client, lua.FAILURE_COUNT, 1, hash, accountId, now, FAILURE_COUNT_FADE_MS, op);
  }
}

function noop(): void {}

import type { LocalState } from './local-state.js';
import type { RedisEvents } from './redis-events.js';
import type { RedisLink } from './redis-link.js';
import type { LastUsedRecord } from './state-store.js';

/** The keys of the values a pick reads besides the bindings. */
export interface PickValueKeys {
  /** The round-robin counter. */
  counter: string;
  /** The last account used (JSON `LastUsedRecord`). */
  lastUsed: string;
  /** The fixed account's id. */
  fixed: string;
}

/**
 * The scheduling values of `RedisStateStore` besides bindings and locks: the round-robin
 * counter, the last account used and the fixed account, each one Redis key. The fixed account is
 * mirrored in process (the picks served from a binding lease read it there), updated by this
 * instance's writes, the others' announcements, each pick's read and each resync.
 */
export class RedisPickValues {
  /** Counts changes to the fixed account's mirror, so a read that raced one keeps its copy to itself. */
  private fixedVersion = 0;

  constructor(
    readonly keys: PickValueKeys,
    private readonly options: { link: RedisLink; events: RedisEvents; local: LocalState },
  ) {}

  async incrementRoundRobin(by: number): Promise<number> {
    const { link, local } = this.options;
    return link.run(
      async () => {
        const value = await link.client.incrby(this.keys.counter, by);
        local.setCounter(value);
        return value;
      },
      () => local.incrementCounter(by),
    );
  }

  async getLastUsed(): Promise<LastUsedRecord | null> {
    const { link, local } = this.options;
    return link.run(
      async () => {
        const value = await link.client.get(this.keys.lastUsed);
        return typeof value === 'string' ? (JSON.parse(value) as LastUsedRecord) : null;
      },
      () => local.getLastUsed(),
    );
  }

  async setLastUsed(record: LastUsedRecord | null): Promise<void> {
    const { link, local } = this.options;
    local.setLastUsed(record);
    await link.run(async () => {
      if (record === null) await link.client.del(this.keys.lastUsed);
      else
        await link.client.set(
          this.keys.lastUsed,
          JSON.stringify({ accountId: record.accountId, at: record.at }),
        );
    }, noop);
  }

  async getFixedAccountId(): Promise<string | null> {
    const { link, local } = this.options;
    return link.run(
      async () => await link.client.get(this.keys.fixed),
      () => local.getFixedAccountId(),
    );
  }

  async setFixedAccountId(accountId: string | null): Promise<void> {
    const { link, events } = this.options;
    this.putFixedAccountId(accountId);
    await link.run(async () => {
      if (accountId === null) await link.client.del(this.keys.fixed);
      else await link.client.set(this.keys.fixed, accountId);
      await events.publish({ type: 'fixed', accountId });
    }, noop);
  }

  /** Mirrors the fixed account (this instance's or another's); a read in flight then keeps its copy to itself. */
  putFixedAccountId(accountId: string | null): void {
    this.options.local.setFixedAccountId(accountId);
    this.fixedVersion++;
  }

  /**
   * The mirror's version now, for `mirrorFixedAccountId`: a value read from Redis after it is
   * mirrored only while no change was mirrored since.
   */
  fixedMirrorVersion(): number {
    return this.fixedVersion;
  }

  /** Mirrors a fixed account read from Redis (`''` or null: none), unless the mirror changed since `version`. */
  mirrorFixedAccountId(accountId: string | null, version: number): void {
    if (this.fixedVersion !== version) return;
    this.options.local.setFixedAccountId(accountId === '' ? null : accountId);
  }

  /** Reads the fixed account; resolves with what mirrors it, unless the mirror changed meanwhile. */
  async readForResync(): Promise<() => void> {
    const version = this.fixedVersion;
    const fixed = await this.options.link.client.get(this.keys.fixed);
    // The fixed account's notification may have been missed: the leased picks read the mirror.
    return () => this.mirrorFixedAccountId(fixed, version);
  }
}

function noop(): void {}

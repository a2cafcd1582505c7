import type { FailureCount, RateLimitLock } from '../core/limits.js';
import type { RedisLink } from './redis-link.js';
import { RELEASE_EXCLUSIVE } from './redis-scripts.js';
import { runScript } from './run-script.js';
import type { ExclusiveOutcome, SharedSchedulingSettings } from './state-store.js';

/** A change one instance tells the others about, on the store's pub/sub channel. */
export type StateEvent =
  | { type: 'lock-set'; lock: RateLimitLock }
  | {
      type: 'locks-deleted';
      locks: Array<Pick<RateLimitLock, 'accountId' | 'model' | 'source' | 'until'>>;
      /** Set when an operator cleared rate-limit records (`accountId` null: every account). */
      cleared: { accountId: string | null } | null;
    }
  | { type: 'settings'; scheduling: SharedSchedulingSettings }
  /** A failure count changed (`failure` null: forgotten after a success). */
  | { type: 'failure-count'; accountId: string; failure: FailureCount | null }
  /**
   * Session bindings changed other than by a first binding: one session's (`sessionId`), every one
   * to an account (`accountId`), or all (both null). Other instances drop their leases on them.
   */
  | { type: 'bindings-changed'; sessionId: string | null; accountId: string | null }
  /** The fixed account was set or cleared. */
  | { type: 'fixed'; accountId: string | null }
  | { type: 'resync' }
  | { type: 'released'; name: string };

interface Envelope {
  origin: string;
  event: StateEvent;
}

export interface RedisEventsOptions {
  link: RedisLink;
  channel: string;
  /** This instance's id: its own events are not delivered back to it. */
  origin: string;
  onEvent: (event: StateEvent) => void;
  /** Called when the subscription is re-established after a lost connection (events may be missed). */
  onReconnect: () => void;
}

/**
 * The pub/sub side of `RedisStateStore`: publishes this instance's changes, delivers the other
 * instances' ones, and runs exclusive tasks under a Redis lock (`SET NX PX`) whose release is
 * announced on the channel, so waiters on other instances wake at once.
 */
export class RedisEvents {
  private readonly options: RedisEventsOptions;
  private readonly waiters = new Map<string, Set<() => void>>();
  private sequence = 0;
  private started = false;
  private readonly onMessage = (channel: string, message: string) => this.receive(channel, message);
  private readonly onReady = () => {
    if (this.started) this.options.onReconnect();
  };

  constructor(options: RedisEventsOptions) {
    this.options = options;
  }

  /** Subscribes to the channel. */
  async start(): Promise<void> {
    const { subscriber } = this.options.link;
    subscriber.on('message', this.onMessage);
    subscriber.on('ready', this.onReady);
    await subscriber.subscribe(this.options.channel);
    this.started = true;
  }

  stop(): void {
    const { subscriber } = this.options.link;
    subscriber.off('message', this.onMessage);
    subscriber.off('ready', this.onReady);
    for (const wakers of this.waiters.values()) for (const wake of wakers) wake();
  }

  /** Publishes one of this instance's changes (throws when Redis fails; callers run it in `link.run`). */
  async publish(event: StateEvent): Promise<void> {
    await this.publishRaw(event);
  }

  async publishRaw(event: StateEvent): Promise<void> {
    const envelope: Envelope = { origin: this.options.origin, event };
    await this.options.link.client.publish(this.options.channel, JSON.stringify(envelope));
  }

  /**
   * Runs `task` under the cluster-wide lock `name`: when another instance holds it, waits until it
   * is released (or its `ttlMs` lapses) and returns `{ ran: false }`. While Redis is unreachable the
   * task runs without the cluster lock: serving beats strict single-flight during an outage.
   */
  async runExclusive<T>(
    name: string,
    task: () => Promise<T>,
    options: { ttlMs: number },
  ): Promise<ExclusiveOutcome<T>> {
    const { link } = this.options;
    const key = `${this.options.channel}:exclusive:${name}`;
    const token = `${this.options.origin}:${++this.sequence}`;
    const acquired = await link.run(
      async () => (await link.client.set(key, token, 'PX', options.ttlMs, 'NX')) === 'OK',
      () => true,
    );
    if (!acquired) {
      await this.waitForRelease(name, key, options.ttlMs);
      return { ran: false };
    }
    try {
      return { ran: true, value: await task() };
    } finally {
      await link.run(
        async () => {
          await runScript(link.client, RELEASE_EXCLUSIVE, 1, key, token);
          await this.publish({ type: 'released', name });
        },
        () => undefined,
      );
    }
  }

  private async waitForRelease(name: string, key: string, ttlMs: number): Promise<void> {
    const { link } = this.options;
    await new Promise<void>((resolve) => {
      const wakers = this.waiters.get(name) ?? new Set<() => void>();
      this.waiters.set(name, wakers);
      let stopPoll: () => void = () => {};
      const done = () => {
        wakers.delete(done);
        stopPoll();
        clearTimer();
        resolve();
      };
      wakers.add(done);
      const clearTimer = link.clock.after(ttlMs, done);
      // A release whose announcement was missed (a lost connection) is noticed by polling.
      stopPoll = link.clock.every(Math.min(250, ttlMs), () => {
        void link
          .run(
            async () => (await link.client.exists(key)) === 0,
            () => true,
          )
          .then((released) => released && done());
      });
    });
  }

  private receive(channel: string, message: string): void {
    if (channel !== this.options.channel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.event.type === 'released') {
      for (const wake of [...(this.waiters.get(envelope.event.name) ?? [])]) wake();
      return;
    }
    if (envelope.origin === this.options.origin) return;
    this.options.onEvent(envelope.event);
  }
}

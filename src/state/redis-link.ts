import { Redis } from 'ioredis';
import type { Clock } from '../core/clock.js';
import { maskRedisUrl } from './redis-url.js';
import type { StateHealth } from './state-store.js';

export interface RedisLinkOptions {
  url: string;
  clock: Clock;
  /** How long one command may take before the link counts as degraded, ms. */
  commandTimeoutMs: number;
  /** How often a degraded link tries Redis again, ms (real time: reconnection is real I/O). */
  retryIntervalMs: number;
  /** Called once when the link becomes degraded, with the reason. */
  onDegraded?: (reason: string) => void;
  /** Called once when Redis answers again, after `recover` ran. */
  onRecovered?: () => void;
}

/**
 * The connections of a Redis-backed store and whether they work. Commands fail fast (no offline
 * queue, `commandTimeoutMs`); the first failure marks the link degraded, and from then on `run`
 * answers from the caller's local fallback without trying Redis, until a periodic PING succeeds and
 * the owner's `recover` (write-back, resync) has run. So an outage costs at most one timeout.
 */
export class RedisLink {
  /** Commands and scripts. */
  readonly client: Redis;
  /** Pub/sub: a subscribed connection cannot send other commands. */
  readonly subscriber: Redis;
  private readonly options: RedisLinkOptions;
  private degradedSince: number | null = null;
  private reason: string | null = null;
  private recovering = false;
  /** Set once the first connection answered, and on `close`: a lost connection is an outage only in between. */
  private connected = false;
  private closing = false;
  private stopRetry: (() => void) | null = null;
  recover: () => Promise<void> = async () => {};

  constructor(options: RedisLinkOptions) {
    this.options = options;
    const common = {
      lazyConnect: true,
      connectTimeout: Math.max(1000, options.commandTimeoutMs),
      retryStrategy: () => options.retryIntervalMs,
    };
    this.client = new Redis(options.url, {
      ...common,
      enableOfflineQueue: false,
      // Commands issued in one turn of the event loop (concurrent requests' picks) leave in one
      // socket write: under load that saves a system call per request.
      enableAutoPipelining: true,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
    });
    this.subscriber = new Redis(options.url, { ...common, maxRetriesPerRequest: null });
    // Errors surface through the commands that fail; the connection events would only repeat them.
    this.client.on('error', () => {});
    this.subscriber.on('error', () => {});
    // A lost connection degrades at once, not at the next command: requests served without one
    // (leased bindings) would otherwise leave the outage unreported until the next resync.
    this.client.on('close', () => {
      if (this.connected && !this.closing) this.degrade(new Error('the connection to Redis was lost'));
    });
  }

  /** Connects both connections; rejects with Redis's reason when it cannot be reached. */
  async connect(): Promise<void> {
    await Promise.all([this.client.connect(), this.subscriber.connect()]);
    await this.client.ping();
    this.connected = true;
  }

  /** Runs `command` on Redis, or `fallback` while degraded or when the command fails. */
  async run<T>(command: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (this.degradedSince !== null) return fallback();
    try {
      return await command();
    } catch (error) {
      this.degrade(error);
      return fallback();
    }
  }

  /** Marks the link degraded (idempotent) and starts trying Redis again. */
  degrade(error: unknown): void {
    if (this.degradedSince !== null) return;
    this.degradedSince = this.options.clock.now();
    this.reason = error instanceof Error ? error.message : String(error);
    this.options.onDegraded?.(this.reason);
    this.stopRetry = this.options.clock.every(this.options.retryIntervalMs, () => void this.retry());
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get degraded(): boolean {
    return this.degradedSince !== null;
  }

  health(): StateHealth {
    return {
      backend: 'redis',
      location: maskRedisUrl(this.options.url),
      degraded: this.degradedSince !== null,
      reason: this.reason,
      since: this.degradedSince,
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    this.stopRetry?.();
    this.client.disconnect();
    this.subscriber.disconnect();
  }

  private async retry(): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    try {
      if (this.client.status === 'end' || this.client.status === 'wait') await this.client.connect();
      await this.client.ping();
      this.connected = true;
      await this.recover();
      this.stopRetry?.();
      this.stopRetry = null;
      this.degradedSince = null;
      this.reason = null;
      this.options.onRecovered?.();
    } catch (error) {
      this.reason = error instanceof Error ? error.message : String(error);
    } finally {
      this.recovering = false;
    }
  }
}

/** What `switchyard status` learns from Redis: whether it answers, and how much state it holds. */
export type RedisProbe = { ok: true; bindings: number; locks: number } | { ok: false; reason: string };

/** Connects once (no retries, a 2 s timeout), counts the state under `keyPrefix`, disconnects. */
export async function probeRedis(url: string, keyPrefix: string): Promise<RedisProbe> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const [bindings, locks] = await Promise.all([
      client.hlen(`${keyPrefix}bindings`),
      client.hlen(`${keyPrefix}locks`),
    ]);
    return { ok: true, bindings, locks };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    client.disconnect();
  }
}

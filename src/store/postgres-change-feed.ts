import { sql } from 'kysely';
import type pg from 'pg';
import type { Clock } from '../core/clock.js';
import type { StoreChangeFeed } from './store-change-feed.js';

/** The NOTIFY channel of account changes; the payload is the id of the instance that wrote. */
export const ACCOUNTS_CHANNEL = 'switchyard_accounts';
/** Payload prefix of the notifications a feed sends itself to know it has heard everything. */
const PING_PREFIX = 'ping:';

export interface PostgresChangeFeedOptions {
  /** A new, unconnected client for the dedicated listening connection (called again to reconnect). */
  createClient: () => pg.Client;
  /** Drives the reconnection timer. */
  clock: Clock;
  /** This instance's id: the payload of its own notifications, which it ignores. */
  sourceId: string;
  /** Pause between two reconnection attempts after the connection was lost. Default 500 ms. */
  reconnectDelayMs?: number;
  /** Told once per outage that the listening connection was lost. */
  onError?: (error: unknown) => void;
}

interface Ping {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The PostgreSQL change feed: one dedicated connection LISTENs on `switchyard_accounts`; every
 * transaction that changes accounts NOTIFYs it with the writer's id (`announce`), delivered on
 * commit. A lost connection is re-established every `reconnectDelayMs`; once back, the feed
 * reports a change, because what was committed meanwhile sent notifications nobody heard.
 */
export class PostgresChangeFeed implements StoreChangeFeed {
  private client: pg.Client | null = null;
  private dirty = false;
  private closed = false;
  private pingCount = 0;
  private readonly pings = new Map<string, Ping>();
  private readonly listeners = new Set<() => void>();
  private cancelReconnect: () => void = () => undefined;

  private constructor(private readonly options: PostgresChangeFeedOptions) {}

  /** Connects and LISTENs; rejects when PostgreSQL cannot be reached. */
  static async start(options: PostgresChangeFeedOptions): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(options);
    await feed.connect();
    return feed;
  }

  /** Whether the listening connection is up (false during an outage, until it reconnects). */
  get listening(): boolean {
    return this.client !== null;
  }

  async mark(): Promise<void> {
    this.dirty = false;
  }

  async changedSinceMark(): Promise<boolean> {
    await this.heardEverything();
    return this.dirty;
  }

  watch(options: Parameters<StoreChangeFeed['watch']>[0]): () => void {
    const listener = options.onChange;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async announce(executor: Parameters<StoreChangeFeed['announce']>[0]): Promise<void> {
    await sql`select pg_notify(${ACCOUNTS_CHANNEL}, ${this.options.sourceId})`.execute(executor);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelReconnect();
    this.listeners.clear();
    const client = this.client;
    this.client = null;
    this.rejectPings(new Error('the change feed was closed'));
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = this.options.createClient();
    client.on('notification', (message) => this.onNotification(message.payload ?? ''));
    client.on('error', (error) => this.onLost(client, error));
    client.on('end', () => this.onLost(client, new Error('the PostgreSQL connection ended')));
    try {
      await client.connect();
      await client.query(`listen ${ACCOUNTS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  /**
   * Resolves once every notification committed before the call has arrived: notifications reach a
   * listener in commit order, so when the one it sends itself arrives, the earlier ones have too.
   */
  private async heardEverything(): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('not listening for PostgreSQL change notifications (reconnecting)');
    this.pingCount += 1;
    const token = `${PING_PREFIX}${this.options.sourceId}:${this.pingCount}`;
    const arrived = new Promise<void>((resolve, reject) => this.pings.set(token, { resolve, reject }));
    try {
      await client.query('select pg_notify($1, $2)', [ACCOUNTS_CHANNEL, token]);
    } catch (error) {
      this.pings.delete(token);
      throw error;
    }
    await arrived;
  }

  private onNotification(payload: string): void {
    if (payload.startsWith(PING_PREFIX)) {
      const ping = this.pings.get(payload);
      this.pings.delete(payload);
      ping?.resolve();
      return;
    }
    if (payload === this.options.sourceId) return;
    this.dirty = true;
    for (const listener of this.listeners) listener();
  }

  private onLost(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.rejectPings(error);
    if (this.closed) return;
    this.options.onError?.(error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.cancelReconnect = this.options.clock.after(this.options.reconnectDelayMs ?? 500, () => {
      this.connect().then(
        () => {
          if (this.closed) return;
          this.dirty = true;
          for (const listener of this.listeners) listener();
        },
        () => {
          if (!this.closed) this.scheduleReconnect();
        },
      );
    });
  }

  private rejectPings(error: Error): void {
    for (const ping of this.pings.values()) ping.reject(error);
    this.pings.clear();
  }
}

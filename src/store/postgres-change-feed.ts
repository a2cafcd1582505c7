import type pg from 'pg';
import type { Clock } from '../core/clock.js';
import { sql } from './kysely-runtime.js';
import type { ChangeTopic, StoreChangeFeed } from './store-change-feed.js';

/** The NOTIFY channel of each topic; the payload is the id of the instance that wrote. */
export const CHANGE_CHANNELS: Readonly<Record<ChangeTopic, string>> = {
  accounts: 'switchyard_accounts',
  client_keys: 'switchyard_client_keys',
};
/** Payload prefix of the notifications a hub sends itself to know it has heard everything. */
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
 * The PostgreSQL change notifications of one database: one dedicated connection LISTENs on the
 * channel of every topic; every transaction that changes a topic NOTIFYs its channel with the
 * writer's id (`announce`), delivered on commit. `feed(topic)` gives each topic its own
 * `StoreChangeFeed` (its own observation window and watchers). A lost connection is re-established
 * every `reconnectDelayMs`; once back, every topic reports a change, because what was committed
 * meanwhile sent notifications nobody heard.
 */
export class PostgresChangeHub {
  private client: pg.Client | null = null;
  private closed = false;
  private pingCount = 0;
  private readonly pings = new Map<string, Ping>();
  private readonly feeds = new Map<ChangeTopic, PostgresChangeFeed>();
  private cancelReconnect: () => void = () => undefined;

  private constructor(private readonly options: PostgresChangeFeedOptions) {}

  /** Connects and LISTENs; rejects when PostgreSQL cannot be reached. */
  static async start(options: PostgresChangeFeedOptions): Promise<PostgresChangeHub> {
    const hub = PostgresChangeHub.create(options);
    await hub.open();
    return hub;
  }

  /**
   * A hub that does not listen yet (`open` connects it): what a gateway started while PostgreSQL
   * did not answer hands its stores, to be opened once the database answers.
   */
  static create(options: PostgresChangeFeedOptions): PostgresChangeHub {
    return new PostgresChangeHub(options);
  }

  /**
   * Connects and LISTENs; rejects when PostgreSQL cannot be reached (call it again later). Once
   * open, a lost connection is re-established by the hub itself.
   */
  async open(): Promise<void> {
    if (this.client || this.closed) return;
    await this.connect();
  }

  /** Whether the listening connection is up (false during an outage, until it reconnects). */
  get listening(): boolean {
    return this.client !== null;
  }

  get sourceId(): string {
    return this.options.sourceId;
  }

  /** The feed of one topic (the same object on every call). */
  feed(topic: ChangeTopic): PostgresChangeFeed {
    let feed = this.feeds.get(topic);
    if (!feed) {
      feed = new PostgresChangeFeed(this, topic);
      this.feeds.set(topic, feed);
    }
    return feed;
  }

  /** Stops listening and fails the pending waits. The database owner calls it before closing. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelReconnect();
    for (const feed of this.feeds.values()) feed.detach();
    const client = this.client;
    this.client = null;
    this.rejectPings(new Error('the change feed was closed'));
    await client?.end().catch(() => undefined);
  }

  /**
   * Resolves once every notification committed before the call has arrived: notifications reach a
   * listener in commit order, so when the one it sends itself arrives, the earlier ones have too.
   */
  async heardEverything(): Promise<void> {
    const client = this.client;
    // SQLSTATE 08006 (connection failure): the store's health counts it as an outage, not a bug.
    if (!client)
      throw Object.assign(new Error('not listening for PostgreSQL change notifications (reconnecting)'), {
        code: '08006',
      });
    this.pingCount += 1;
    const token = `${PING_PREFIX}${this.options.sourceId}:${this.pingCount}`;
    const arrived = new Promise<void>((resolve, reject) => this.pings.set(token, { resolve, reject }));
    try {
      await client.query('select pg_notify($1, $2)', [CHANGE_CHANNELS.accounts, token]);
    } catch (error) {
      this.pings.delete(token);
      throw error;
    }
    await arrived;
  }

  private async connect(): Promise<void> {
    const client = this.options.createClient();
    client.on('notification', (message) => this.onNotification(message.channel, message.payload ?? ''));
    client.on('error', (error) => this.onLost(client, error));
    client.on('end', () => this.onLost(client, new Error('the PostgreSQL connection ended')));
    try {
      await client.connect();
      for (const channel of Object.values(CHANGE_CHANNELS)) await client.query(`listen ${channel}`);
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

  private onNotification(channel: string, payload: string): void {
    if (payload.startsWith(PING_PREFIX)) {
      const ping = this.pings.get(payload);
      this.pings.delete(payload);
      ping?.resolve();
      return;
    }
    if (payload === this.options.sourceId) return;
    for (const [topic, feed] of this.feeds) if (CHANGE_CHANNELS[topic] === channel) feed.changed();
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
          for (const feed of this.feeds.values()) feed.changed();
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

/** One topic's view of a `PostgresChangeHub`: see `StoreChangeFeed`. */
export class PostgresChangeFeed implements StoreChangeFeed {
  private dirty = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly hub: PostgresChangeHub,
    private readonly topic: ChangeTopic,
  ) {}

  /** Whether the hub's listening connection is up (false during an outage, until it reconnects). */
  get listening(): boolean {
    return this.hub.listening;
  }

  async mark(): Promise<void> {
    this.dirty = false;
  }

  async changedSinceMark(): Promise<boolean> {
    await this.hub.heardEverything();
    return this.dirty;
  }

  watch(options: Parameters<StoreChangeFeed['watch']>[0]): () => void {
    const listener = options.onChange;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async announce(executor: Parameters<StoreChangeFeed['announce']>[0]): Promise<void> {
    await sql`select pg_notify(${CHANGE_CHANNELS[this.topic]}, ${this.hub.sourceId})`.execute(executor);
  }

  /** Stops calling this topic's watchers; the hub (owned by the database) stays open. */
  async close(): Promise<void> {
    this.detach();
  }

  /** Called by the hub: another instance changed this topic (or notifications may have been lost). */
  changed(): void {
    this.dirty = true;
    for (const listener of this.listeners) listener();
  }

  detach(): void {
    this.listeners.clear();
  }
}

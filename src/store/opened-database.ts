import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import type { StoreChangeFeed } from './store-change-feed.js';
import type { StoreHealth } from './store-health.js';

/** Where accounts, locks and the request log are kept: one SQLite file, or a shared PostgreSQL. */
export const STORE_BACKENDS = ['sqlite', 'postgres'] as const;
export type StoreBackend = (typeof STORE_BACKENDS)[number];

/**
 * An open, migrated store database. The stores (`AccountStore`, `DatabaseLockPersistence`,
 * `RequestLogStore`) only issue portable Kysely queries on `db`, so they run unchanged on both
 * backends; what differs (connections, pragmas or type parsers, migrations' locking, change
 * notification) stays in `openSqliteDatabase` / `openPostgresDatabase`.
 */
export interface OpenedDatabase {
  /**
   * SQLite: one connection, queries serialised — open the file once per process and share `db`
   * among all stores. PostgreSQL: a connection pool.
   */
  db: Kysely<DatabaseSchema>;
  backend: StoreBackend;
  /** For messages: the SQLite file path, or the PostgreSQL URL without its password. */
  location: string;
  /** Tells the account store about changes made by other processes or instances. */
  changes: StoreChangeFeed;
  /** The same for client keys (`ClientKeyStore`): its own topic and observation window. */
  keyChanges: StoreChangeFeed;
  /**
   * Whether the database answers, for the writers that must wait for it and the admin operations
   * that must refuse quickly when it does not. PostgreSQL: down while unreachable or frozen (and,
   * opened with `openLater`, until it first answered); SQLite: down only after a failure that says
   * the file cannot be reached. Its probes run once `health.start()` is called.
   */
  health: StoreHealth;
  /** Stops the change feed and closes the connections. Stores using `db` must be closed first. */
  close(): Promise<void>;
}

/**
 * The PostgreSQL side of the store: a `pg` connection pool behind Kysely's PostgresDialect, type
 * parsers that give the stores the same values as SQLite, migrations under an advisory lock, and
 * the LISTEN/NOTIFY change feed. The stores' queries are the same on both backends.
 */

import pg from 'pg';
import type { Clock } from '../core/clock.js';
import type { DatabaseSchema } from './database-schema.js';
import { Kysely, type Kysely as KyselyType, PostgresDialect, sql } from './kysely-runtime.js';
import { runMigrations } from './migrations/run-migrations.js';
import type { OpenedDatabase } from './opened-database.js';
import { PostgresChangeHub } from './postgres-change-feed.js';
import { describePostgresUrl } from './postgres-url.js';
import { queryLog } from './sqlite-database.js';
import { StoreHealth } from './store-health.js';
import { describeStoreFailure, isStoreUnreachableError } from './store-unreachable.js';

/** Arbitrary, fixed: the session advisory lock every instance takes around its migrations. */
const MIGRATION_LOCK_KEY = 73_911_204_417;
const INT8_OID = 20;
const CONNECT_TIMEOUT_MS = 5000;
/** No query may wait longer on a frozen server: background writes give up and count a failure. */
const QUERY_TIMEOUT_MS = 15_000;
/** While PostgreSQL answers, a probe this often notices a frozen server before a write times out. */
const HEALTH_WATCH_INTERVAL_MS = 5000;

export interface OpenPostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database` (`postgresql://` too; libpq query options such as `sslmode`). */
  url: string;
  /** Drives the change feed's reconnection timer and the health probes. */
  clock: Clock;
  /** This process's id in change notifications (its own are ignored): a fresh UUID per process. */
  instanceId: string;
  /** Apply pending migrations before returning. Default true (`switchyard status` passes false). */
  migrate?: boolean;
  /** Background failures with no caller: an idle pooled connection dropped, the change feed disconnected. */
  onError?: (error: unknown) => void;
  /** Most connections in the pool. Default 10. */
  maxConnections?: number;
  /** Called with the SQL of every statement run (diagnostics: `--log-level trace`). */
  onQuery?: (sql: string) => void;
  /**
   * When PostgreSQL does not answer at all: false (default) throws; true returns a database whose
   * `health` is down, connecting, migrating and listening on its own once PostgreSQL answers
   * (`switchyard start --allow-degraded-start`). Other failures (a failed migration) always throw.
   */
  openLater?: boolean;
}

/**
 * Connects to PostgreSQL, brings the schema up to date (under `pg_advisory_lock`, so instances
 * starting together migrate one after the other) and starts the change feed. Throws an Error
 * naming the server (never the password) and the reason when it cannot connect or migrate (unless
 * `openLater`). Later outages never throw here: pooled connections are re-opened on demand, the
 * feed reconnects, and `health` tells who needs to know (probing every 5 s while up).
 */
export async function openPostgresDatabase(options: OpenPostgresDatabaseOptions): Promise<OpenedDatabase> {
  const location = describePostgresUrl(options.url);
  const settings = connectionSettings(options.url);
  const pool = new pg.Pool({ ...settings, max: options.maxConnections ?? 10, idleTimeoutMillis: 30_000 });
  const db = new Kysely<DatabaseSchema>({
    dialect: new PostgresDialect({ pool }),
    log: queryLog(options.onQuery),
  });
  const health = new StoreHealth({
    backend: 'postgres',
    location,
    clock: options.clock,
    probe: async () => {
      await sql`select 1`.execute(db);
    },
    watchIntervalMs: HEALTH_WATCH_INTERVAL_MS,
  });
  const report = (error: unknown) => {
    health.reportFailure(error);
    options.onError?.(error);
  };
  // Without listeners, a connection the server drops would crash the process: the pool handles
  // idle ones ('error' on the pool), and a checked-out one emits 'error' on itself (pg emits it
  // even when the query in flight is rejected with the same error).
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  const hub = PostgresChangeHub.create({
    createClient: () => new pg.Client(settings),
    clock: options.clock,
    sourceId: options.instanceId,
    onError: report,
  });
  const connect = async () => {
    await sql`select 1`.execute(db).catch((error: unknown) => {
      throw new Error(`Cannot connect to PostgreSQL at ${location}: ${describeStoreFailure(error)}`, {
        cause: error,
      });
    });
    if (options.migrate !== false) await migratePostgres(db, location);
    await hub.open();
  };
  try {
    await connect();
  } catch (error) {
    if (!options.openLater || !isStoreUnreachableError(error)) {
      await hub.close();
      await db.destroy();
      throw error;
    }
    health.openLater(error, connect);
  }
  return {
    db,
    backend: 'postgres',
    location,
    changes: hub.feed('accounts'),
    keyChanges: hub.feed('client_keys'),
    health,
    async close() {
      health.close();
      await hub.close();
      await db.destroy();
    },
  };
}

/**
 * Applies pending migrations while holding a session-level advisory lock on one connection: a
 * second instance waits for the first to finish, then finds nothing left to do. Returns the names
 * of the migrations applied.
 */
export async function migratePostgres(db: KyselyType<DatabaseSchema>, location: string): Promise<string[]> {
  try {
    return await db.connection().execute(async (connection) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
      try {
        return await runMigrations(connection);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
      }
    });
  } catch (error) {
    throw new Error(`Cannot migrate the PostgreSQL database ${location}: ${describeStoreFailure(error)}`, {
      cause: error,
    });
  }
}

function connectionSettings(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    types: { getTypeParser: typeParser as pg.CustomTypesConfig['getTypeParser'] },
  };
}

/**
 * bigint columns (epoch milliseconds) come back as numbers, as they do from SQLite, instead of
 * pg's default strings; every value we store is far below 2^53.
 */
function typeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (oid === INT8_OID && format !== 'binary') return (text: string) => Number(text);
  return pg.types.getTypeParser(oid, format as 'text');
}

/**
 * The SQLite side of the store: opening the file, pragmas, transaction mode and migrations.
 * Everything SQLite-specific lives here and in `sqlite-change-feed.ts`; the stores only issue
 * portable Kysely queries (`postgres-database.ts` is the PostgreSQL side).
 */
import { constants as fsConstants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseConnection, DialectAdapter, Driver, KyselyConfig, SqliteDialectConfig } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import type { DatabaseSchema } from './database-schema.js';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, sql } from './kysely-runtime.js';
import { runMigrations } from './migrations/run-migrations.js';
import type { OpenedDatabase } from './opened-database.js';
import { SqliteChangeFeed } from './sqlite-change-feed.js';
import { errorCode, openSqliteFile, osReason } from './sqlite-file.js';
import { StoreHealth } from './store-health.js';

const IN_MEMORY = ':memory:';

export interface OpenSqliteDatabaseOptions {
  /**
   * Path of the SQLite file. The file and its directory are created when missing.
   * `:memory:` opens a private in-memory database (tests).
   */
  file: string;
  /** Apply pending migrations before returning. Default true (`switchyard status` and `migrate` pass false). */
  migrate?: boolean;
  /** Called with the SQL of every statement run (diagnostics: `--log-level trace`). */
  onQuery?: (sql: string) => void;
  /** Drives the health probes after a failure (`OpenedDatabase.health`). Default: the system clock. */
  clock?: Clock;
}

/**
 * Opens (creating when missing) the SQLite database at `options.file` in WAL mode with foreign
 * keys on and a 5 s busy timeout, and brings its schema up to date. Safe to call from several
 * processes on the same file (gateway and CLI): migrations run under the database write lock.
 * An unusable directory or file throws an Error naming the path and the OS reason.
 */
export async function openSqliteDatabase(options: OpenSqliteDatabaseOptions): Promise<OpenedDatabase> {
  const file = options.file === IN_MEMORY ? IN_MEMORY : path.resolve(options.file);
  if (file !== IN_MEMORY) await ensureUsablePath(file);
  const database = openSqliteFile(file);
  const db = new Kysely<DatabaseSchema>({
    dialect: new WriteLockingSqliteDialect({ database }),
    log: queryLog(options.onQuery),
  });
  try {
    if (options.migrate !== false) await migrateSqlite(db, file);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // SQLite cannot tell topics apart (data_version moves on any commit by another connection): each
  // feed keeps its own mark, so each store reloads after any outside change.
  const changes = new SqliteChangeFeed(db);
  const keyChanges = new SqliteChangeFeed(db);
  const health = new StoreHealth({
    backend: 'sqlite',
    location: file,
    clock: options.clock ?? systemClock,
    probe: async () => {
      await sql`select 1`.execute(db);
    },
  });
  const close = async () => {
    health.close();
    await db.destroy();
  };
  return { db, backend: 'sqlite', location: file, changes, keyChanges, health, close };
}

/** Kysely's `log` option for an `onQuery` observer (none without one). */
export function queryLog(onQuery: ((sql: string) => void) | undefined): KyselyConfig['log'] {
  if (!onQuery) return undefined;
  return (event) => {
    if (event.level === 'query') onQuery(event.query.sql);
  };
}

async function ensureUsablePath(file: string): Promise<void> {
  const directory = path.dirname(file);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new Error(`Cannot create the data directory ${directory}: ${osReason(error)}`, { cause: error });
  }
  try {
    // SQLite creates the -wal and -shm files next to the database, so the directory must be writable.
    await access(directory, fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK);
  } catch (error) {
    throw new Error(`Cannot use the data directory ${directory}: ${osReason(error)}`, { cause: error });
  }
  try {
    await access(file, fsConstants.R_OK | fsConstants.W_OK);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw new Error(`Cannot read and write the database file ${file}: ${osReason(error)}`, { cause: error });
  }
}

/** Applies pending migrations under the database write lock; returns the names of those applied. */
export async function migrateSqlite(db: Kysely<DatabaseSchema>, file: string): Promise<string[]> {
  try {
    return await runMigrations(db);
  } catch (error) {
    throw new Error(`Cannot migrate the database ${file}: ${osReason(error)}`, { cause: error });
  }
}

/** "EACCES: permission denied" from Node's "EACCES: permission denied, access '/x'". */

/**
 * Transactions start with `BEGIN IMMEDIATE`: the write lock is taken up front (waiting up to the
 * busy timeout), instead of a deferred transaction failing with SQLITE_BUSY when it upgrades from
 * read to write after another process committed — the gateway and the CLI write the same file.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** SQLite does roll back DDL; saying so makes Kysely's Migrator run each batch in one transaction. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class WriteLockingSqliteDialect extends SqliteDialect {
  private readonly dialectConfig: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.dialectConfig = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.dialectConfig);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { OpenedDatabase } from '../store/opened-database.js';
import { describePostgresUrl } from '../store/postgres-url.js';
import { migrateSqlite, openSqliteDatabase } from '../store/sqlite-database.js';
import type { StoreLocation } from '../store/store-location.js';
import type { DataPaths } from './data-dir.js';

export type { StoreLocation } from '../store/store-location.js';

/**
 * The store the config asks for: `store.backend`; for `postgres`, SWITCHYARD_DATABASE_URL
 * (`databaseUrl`) when set, else `store.postgres_url`. Throws a clear error when PostgreSQL has no URL.
 */
export function resolveStoreLocation(options: {
  store: SwitchyardConfig['store'];
  paths: DataPaths;
  databaseUrl: string | undefined;
}): StoreLocation {
  if (options.store.backend === 'sqlite') return { backend: 'sqlite', file: options.paths.databasePath };
  const url = options.databaseUrl?.trim() || options.store.postgres_url;
  if (!url) {
    throw new Error(
      `store.backend is "postgres" in ${options.paths.configPath} but no database URL is set: ` +
        'set SWITCHYARD_DATABASE_URL (or store.postgres_url), e.g. postgres://switchyard:PASSWORD@db.internal:5432/switchyard',
    );
  }
  if (!/^postgres(ql)?:\/\/[^/]/.test(url)) {
    throw new Error(
      `SWITCHYARD_DATABASE_URL must be a postgres:// or postgresql:// URL, got ${describePostgresUrl(url)}`,
    );
  }
  return { backend: 'postgres', url };
}

/** For messages: the file, or the URL without its password. */
export function describeStoreLocation(location: StoreLocation): string {
  return location.backend === 'sqlite' ? location.file : describePostgresUrl(location.url);
}

/**
 * Opens (and migrates, unless `migrate` is false) the database at `location`. `instanceId` tags
 * this process's change notifications; `onError` receives background connection failures.
 */
export async function openStoreDatabase(options: {
  location: StoreLocation;
  clock: Clock;
  instanceId: string;
  migrate?: boolean;
  onError?: (error: unknown) => void;
  /** Called with the SQL of every statement run. */
  onQuery?: (sql: string) => void;
  /** PostgreSQL: open even when it does not answer (`OpenPostgresDatabaseOptions.openLater`). */
  openLater?: boolean;
}): Promise<OpenedDatabase> {
  const { location } = options;
  if (location.backend === 'sqlite')
    return openSqliteDatabase({
      file: location.file,
      migrate: options.migrate,
      onQuery: options.onQuery,
      clock: options.clock,
    });
  // Loaded only here: an instance on SQLite never loads the PostgreSQL client.
  const { openPostgresDatabase } = await import('../store/postgres-database.js');
  return openPostgresDatabase({
    url: location.url,
    clock: options.clock,
    instanceId: options.instanceId,
    migrate: options.migrate,
    onError: options.onError,
    onQuery: options.onQuery,
    openLater: options.openLater,
  });
}

/** Applies the pending migrations of an opened database (PostgreSQL: under the advisory lock); returns their names. */
export async function migrateStoreDatabase(database: OpenedDatabase): Promise<string[]> {
  if (database.backend === 'sqlite') return migrateSqlite(database.db, database.location);
  const { migratePostgres } = await import('../store/postgres-database.js');
  return migratePostgres(database.db, database.location);
}

import type { DatabaseSchema } from './database-schema.js';
import { type Kysely, sql } from './kysely-runtime.js';
import type { StoreChangeFeed } from './store-change-feed.js';

/**
 * SQLite's `PRAGMA data_version`: a number that changes whenever another connection (another
 * process) commits to the database. Commits made through `db` itself do not change it.
 */
export async function readDataVersion(db: Kysely<DatabaseSchema>): Promise<number> {
  const result = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db);
  const version = result.rows[0]?.data_version;
  if (version === undefined) throw new Error('PRAGMA data_version returned no row');
  return version;
}

/**
 * The SQLite change feed: compares `PRAGMA data_version` with the value read at the last mark, and
 * polls it on a timer. Only one connection per process writes the file, so a changed version
 * always means another process (the CLI) committed.
 */
export class SqliteChangeFeed implements StoreChangeFeed {
  private markedVersion: number | null = null;

  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async mark(): Promise<void> {
    this.markedVersion = await readDataVersion(this.db);
  }

  async changedSinceMark(): Promise<boolean> {
    return (await readDataVersion(this.db)) !== this.markedVersion;
  }

  watch(options: Parameters<StoreChangeFeed['watch']>[0]): () => void {
    return options.clock.every(options.intervalMs, options.onChange);
  }

  async announce(): Promise<void> {
    // The commit itself moves data_version for every other connection.
  }

  async close(): Promise<void> {}
}

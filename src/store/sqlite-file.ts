/**
 * Opening a SQLite file with the gateway's pragmas, without Kysely: shared by the store
 * (`sqlite-database.ts`) and the request log worker thread, which writes through this connection
 * alone and so loads neither Kysely nor the migrations.
 */
import Database from 'better-sqlite3';

/** How long a connection waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/** Opens `file` (WAL, normal sync, foreign keys, busy timeout); the error names the file and the OS reason. */
export function openSqliteFile(file: string): Database.Database {
  let database: Database.Database | undefined;
  try {
    database = new Database(file);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return database;
  } catch (error) {
    database?.close();
    throw new Error(`Cannot open the database file ${file}: ${osReason(error)}`, { cause: error });
  }
}

/** The OS reason in an error, for messages that name the file or directory themselves. */
export function osReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errorCode(error);
  if (code?.startsWith('E') && error.message.startsWith(code)) return error.message.split(', ')[0] ?? code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

import { REQUEST_LOG_COLUMNS, type RequestLogValues } from '../store/request-log-columns.js';
import type { RequestLogWriteStore } from './request-log-writer.js';

/** A stored row of the fake, by column name. */
export type StoredRequestLogRow = Record<(typeof REQUEST_LOG_COLUMNS)[number], string | number | null>;

/**
 * A request log store in memory for the writer's and the worker service's tests: keeps each batch
 * it was given, the prunes asked and the clears; inserts (with a `code`, as SQLite's errors have)
 * and prunes fail while told to.
 */
export class FakeRequestLogStore implements RequestLogWriteStore {
  batches: StoredRequestLogRow[][] = [];
  prunes: { olderThan: number; maxRows: number }[] = [];
  clears = 0;
  failInserts = false;
  failPrunes = false;
  /** Set when the service closing over the store has closed it. */
  closed = false;

  async insertValues(rows: readonly RequestLogValues[]): Promise<void> {
    // As better-sqlite3 fails: a `SqliteError` (its name on the prototype) with SQLite's result
    // code as an own `code`.
    if (this.failInserts)
      throw Object.assign(new SqliteLikeError('disk I/O error'), { code: 'SQLITE_IOERR' });
    this.batches.push(rows.map(named));
  }

  async prune(options: { olderThan: number; maxRows: number }): Promise<number> {
    if (this.failPrunes) throw new Error('database is locked');
    this.prunes.push(options);
    return 0;
  }

  async clear(): Promise<void> {
    this.clears += 1;
    this.batches = [];
  }

  rows(): StoredRequestLogRow[] {
    return this.batches.flat();
  }

  storedIds(): string[] {
    return this.rows().map((row) => String(row.id));
  }
}

function named(values: RequestLogValues): StoredRequestLogRow {
  const row: Partial<StoredRequestLogRow> = {};
  REQUEST_LOG_COLUMNS.forEach((column, index) => {
    row[column] = values[index] ?? null;
  });
  return row as StoredRequestLogRow;
}

/** Named as better-sqlite3's own error class is: `name` on the prototype, not on the error. */
class SqliteLikeError extends Error {}
Object.defineProperty(SqliteLikeError.prototype, 'name', {
  value: 'SqliteError',
  writable: true,
  configurable: true,
});

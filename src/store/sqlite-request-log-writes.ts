import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import { type RequestLogValues, requestLogInsertSql } from './request-log-columns.js';

/**
 * The request log's writes on one SQLite connection of their own, as prepared statements: how the
 * request log worker thread writes SQLite, without Kysely (which would cost the thread some 6 MB of
 * resident memory). `RequestLogStore` does the same through Kysely (PostgreSQL, and the in-process
 * service when no worker thread can start); its test suite runs against both, so the two keep
 * storing and removing the same rows.
 *
 * Statements are prepared on first use: the table exists by then (the gateway migrates before it
 * starts the worker), but not necessarily when this object is made.
 */
export class SqliteRequestLogWrites {
  private statements: PreparedWrites | null = null;

  constructor(private readonly connection: SqliteConnection) {}

  /** Inserts rows (`REQUEST_LOG_COLUMNS` order) in one transaction; an id already stored is skipped. */
  async insertValues(rows: readonly RequestLogValues[]): Promise<void> {
    if (rows.length > 0) this.prepared().insertRows(rows);
  }

  /** Deletes rows older than `olderThan` (epoch ms), then all but the newest `maxRows`. Returns how many. */
  async prune(options: { olderThan: number; maxRows: number }): Promise<number> {
    return this.prepared().pruneRows(options.olderThan, Math.max(0, Math.trunc(options.maxRows)));
  }

  /** Deletes every row. */
  async clear(): Promise<void> {
    this.prepared().deleteAll.run();
  }

  private prepared(): PreparedWrites {
    this.statements ??= prepareWrites(this.connection);
    return this.statements;
  }
}

interface PreparedWrites {
  insertRows: (rows: readonly RequestLogValues[]) => void;
  pruneRows: (olderThan: number, maxRows: number) => number;
  deleteAll: Statement;
}

function prepareWrites(connection: SqliteConnection): PreparedWrites {
  const insert = connection.prepare(requestLogInsertSql(1, 'question'));
  const expired = connection.prepare('DELETE FROM request_logs WHERE time < ?');
  // The newest row past the ones kept; it and every older row go.
  const boundary = connection.prepare<[number], { time: number; id: string }>(
    'SELECT time, id FROM request_logs ORDER BY time DESC, id DESC LIMIT 1 OFFSET ?',
  );
  const excess = connection.prepare('DELETE FROM request_logs WHERE time < ? OR (time = ? AND id <= ?)');
  const insertRows = connection.transaction((rows: readonly RequestLogValues[]) => {
    for (const row of rows) insert.run(row);
  });
  const pruneRows = connection.transaction((olderThan: number, maxRows: number): number => {
    const removed = expired.run(olderThan).changes;
    const last = boundary.get(maxRows);
    if (!last) return removed;
    return removed + excess.run(last.time, last.time, last.id).changes;
  });
  return {
    insertRows: (rows) => insertRows(rows),
    // BEGIN IMMEDIATE, as the store's own transactions: the write lock up front, not on upgrade.
    pruneRows: (olderThan, maxRows) => pruneRows.immediate(olderThan, maxRows),
    deleteAll: connection.prepare('DELETE FROM request_logs'),
  };
}

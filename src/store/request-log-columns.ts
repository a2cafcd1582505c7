import type { RequestLogsTable } from './database-schema.js';
import type { RequestLogRow } from './request-log-store.js';

/**
 * The `request_logs` columns in the fixed order of a row's values (`RequestLogValues`): the order
 * the gateway thread builds rows in, posts them to the request log worker in and binds them to the
 * prepared insert. `RequestLogsTable` (the Kysely schema) stays the source of truth: the type below
 * fails to compile when a column is missing here, and a test compares the list with the table.
 */
export const REQUEST_LOG_COLUMNS = [
  'id',
  'time',
  'protocol',
  'method',
  'path',
  'client_model',
  'mapped_model',
  'account_id',
  'account_email',
  'session_id',
  'status',
  'attempts',
  'accounts_tried',
  'models_tried',
  'local_reply',
  'latency_ms',
  'ttfb_ms',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'client_key_id',
  'error',
  'request_body',
  'response_body',
] as const satisfies readonly (keyof RequestLogsTable)[];

type MissingColumn = Exclude<keyof RequestLogsTable, (typeof REQUEST_LOG_COLUMNS)[number]>;
/** Compiles only while every column of `RequestLogsTable` is listed above. */
const everyColumnListed: [MissingColumn] extends [never] ? true : MissingColumn = true;
void everyColumnListed;

/** Values per row. */
export const REQUEST_LOG_WIDTH = REQUEST_LOG_COLUMNS.length;

/** Where a column's value is in `RequestLogValues`. */
export const REQUEST_LOG_ID = 0;

/**
 * One stored row as the column values in `REQUEST_LOG_COLUMNS` order (JSON text for the two list
 * columns): a flat array of strings, numbers and nulls, cheap to post between threads and bound
 * as is to the insert statement.
 */
export type RequestLogValues = (string | number | null)[];

/** Where the two list columns are in `RequestLogValues`. */
const LIST_COLUMNS = [
  REQUEST_LOG_COLUMNS.indexOf('accounts_tried'),
  REQUEST_LOG_COLUMNS.indexOf('models_tried'),
] as const;

/**
 * A row as the gateway thread builds and posts it: `RequestLogValues` with the two list columns
 * still string arrays (turning them into JSON text costs more than the rest of the row, so the
 * request log worker does it: `storedListColumns`).
 */
export type PostedRequestLogValues = (string | number | null | readonly string[])[];

/** Turns the list columns of a posted row into their stored JSON text, in place. */
export function storedListColumns(row: PostedRequestLogValues): RequestLogValues {
  for (const index of LIST_COLUMNS) {
    const value = row[index];
    if (Array.isArray(value)) row[index] = JSON.stringify(value);
  }
  return row as RequestLogValues;
}

/**
 * The rows' values one after the other, as the gateway thread posts them to the request log worker
 * (a loop: `Array.prototype.flat` costs several times more).
 */
export function flattenRows(rows: readonly PostedRequestLogValues[]): PostedRequestLogValues {
  const values: PostedRequestLogValues = [];
  for (const row of rows) for (const value of row) values.push(value);
  return values;
}

/** Each row of a posted flat array (`flattenRows`), as stored column values (`storedListColumns`). */
export function eachPostedRow(values: PostedRequestLogValues, visit: (row: RequestLogValues) => void): void {
  for (let start = 0; start < values.length; start += REQUEST_LOG_WIDTH)
    visit(storedListColumns(values.slice(start, start + REQUEST_LOG_WIDTH)));
}

/** `row` as column values. */
export function requestLogValues(row: RequestLogRow): RequestLogValues {
  return [
    row.id,
    row.time,
    row.protocol,
    row.method,
    row.path,
    row.clientModel,
    row.mappedModel,
    row.accountId,
    row.accountEmail,
    row.sessionId,
    row.status,
    row.attempts,
    JSON.stringify(row.accountsTried),
    JSON.stringify(row.modelsTried),
    row.localReply,
    row.latencyMs,
    row.ttfbMs,
    row.inputTokens,
    row.outputTokens,
    row.cacheReadTokens,
    row.cacheWriteTokens,
    row.reasoningTokens,
    row.clientKeyId,
    row.error,
    row.requestBody,
    row.responseBody,
  ];
}

/**
 * The insert of `rows` rows (a row whose id is stored already is skipped), with `?` placeholders
 * (SQLite) or `$n` (PostgreSQL).
 */
export function requestLogInsertSql(rows: number, placeholders: 'question' | 'numbered'): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) {
    const marks: string[] = [];
    for (let column = 0; column < REQUEST_LOG_WIDTH; column++)
      marks.push(placeholders === 'question' ? '?' : `$${row * REQUEST_LOG_WIDTH + column + 1}`);
    tuples.push(`(${marks.join(', ')})`);
  }
  return `insert into request_logs (${REQUEST_LOG_COLUMNS.join(', ')}) values ${tuples.join(', ')} on conflict (id) do nothing`;
}

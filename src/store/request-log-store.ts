import type { SelectQueryBuilder } from 'kysely';
import type { ClientProtocol } from '../core/client-protocol.js';
import { SwitchyardError } from '../core/errors.js';
import type { DatabaseSchema, RequestLogsTable } from './database-schema.js';
import { CompiledQuery, type Kysely, PostgresAdapter, sql } from './kysely-runtime.js';
import { REQUEST_LOG_COLUMNS, type RequestLogValues, requestLogInsertSql } from './request-log-columns.js';

/**
 * One proxied request as the request log stores it and the Monitor shows it. Times are epoch ms,
 * durations ms. The gateway hands over the same record as a `RequestLogEntry`
 * (observability/request-log-entry.ts): usage as one object, bodies as captured.
 */
/** What the gateway answers itself, without an upstream call. */
export type LocalReply = 'warmup' | 'token-estimate';

export interface RequestLogRow {
  /** The request id (`req_…`, also sent as `X-Request-Id`). */
  id: string;
  time: number;
  /** The client protocol the request spoke. */
  protocol: ClientProtocol;
  method: string;
  path: string;
  /** Model the client asked for. */
  clientModel: string | null;
  /** Model sent upstream after mapping. */
  mappedModel: string | null;
  /** The account that produced the response (the last one tried). */
  accountId: string | null;
  accountEmail: string | null;
  sessionId: string | null;
  /** HTTP status returned to the client. */
  status: number;
  attempts: number;
  /** Emails of the accounts tried, in order (an account retried at once counted once). */
  accountsTried: string[];
  /** The models of the fallback chain tried, in order. */
  modelsTried: string[];
  /** `warmup` / `token-estimate` when the gateway answered itself; null when an upstream did (or failed). */
  localReply: LocalReply | null;
  latencyMs: number;
  /** Time to first byte written to the client. */
  ttfbMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  /** The part of `outputTokens` spent reasoning. */
  reasoningTokens: number | null;
  /** The client key the request was made with; null for the owner's key (`proxy.api_key`) or no key. */
  clientKeyId: string | null;
  /** Error summary; set for failed requests and for streams that failed after the status was sent. */
  error: string | null;
  requestBody: string | null;
  responseBody: string | null;
}

export interface RequestLogQuery {
  /** `error`: status ≥ 400 or an error recorded; `success`: neither; a number: that exact status. */
  status?: 'error' | 'success' | number;
  accountId?: string;
  /** The client key the request was made with. */
  clientKeyId?: string;
  /** Matches the client model or the mapped model exactly. */
  model?: string;
  /** Case-insensitive substring of id, path, models, account email, session id or error. */
  text?: string;
  protocol?: string;
  /** Page size, 1..1000. */
  limit: number;
  /** `nextCursor` of the previous page: continue with older rows. */
  before?: string;
  /** Include request and response bodies (default false: they are null in the rows). */
  includeBodies?: boolean;
}

export interface RequestLogPage {
  /** Newest first. */
  rows: RequestLogRow[];
  /** Pass as `before` to get the next (older) page; null when this is the last one. */
  nextCursor: string | null;
}

const MAX_PAGE = 1000;
/**
 * Rows per multi-row insert: a batch is cut into chunks of powers of two up to this, so a handful of
 * statement texts serve every batch size. 26 columns × 512 stays below SQLite's (32 766) and
 * PostgreSQL's (65 535) parameter limits.
 */
const LARGEST_CHUNK = 512;
const TEXT_COLUMNS = [
  'id',
  'path',
  'client_model',
  'mapped_model',
  'account_email',
  'session_id',
  'error',
] as const satisfies readonly (keyof RequestLogsTable)[];

/** The request log: written in batches by the observability writer, read by the Monitor. */
export class RequestLogStore {
  private readonly insertTexts = new Map<number, string>();

  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  /**
   * Inserts rows, given as column values (`REQUEST_LOG_COLUMNS` order; `requestLogValues` makes
   * them from a `RequestLogRow`), in one transaction; a row whose id is already stored is skipped. No query is built per
   * call: multi-row inserts whose text is made once per chunk size. (The request log worker thread
   * writes SQLite through `SqliteRequestLogWrites` instead.)
   */
  async insertValues(rows: readonly RequestLogValues[]): Promise<void> {
    if (rows.length === 0) return;
    const chunks = powerOfTwoChunks(rows.length);
    if (chunks.length === 1) return this.insertChunk(this.db, rows);
    await this.db.transaction().execute(async (transaction) => {
      let start = 0;
      for (const size of chunks) {
        await this.insertChunk(transaction, rows.slice(start, start + size));
        start += size;
      }
    });
  }

  private async insertChunk(db: Kysely<DatabaseSchema>, rows: readonly RequestLogValues[]): Promise<void> {
    let text = this.insertTexts.get(rows.length);
    if (text === undefined) {
      const numbered = db.getExecutor().adapter instanceof PostgresAdapter;
      text = requestLogInsertSql(rows.length, numbered ? 'numbered' : 'question');
      this.insertTexts.set(rows.length, text);
    }
    await db.executeQuery(CompiledQuery.raw(text, rows.flat()));
  }

  /** Newest rows first, filtered; see `RequestLogQuery`. */
  async query(filter: RequestLogQuery): Promise<RequestLogPage> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit), 1), MAX_PAGE);
    const query = applyFilter(this.db.selectFrom('request_logs').select(SUMMARY_COLUMNS), filter).$if(
      filter.includeBodies === true,
      (withBodies) => withBodies.select(['request_body', 'response_body']),
    );
    const found = await query
      .orderBy('time', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const rows = found.slice(0, limit).map((row) => logFromRow(row));
    const last = rows[rows.length - 1];
    const nextCursor = found.length > limit && last ? encodeCursor(last) : null;
    return { rows, nextCursor };
  }

  /** One row with its bodies, or null. */
  async get(id: string): Promise<RequestLogRow | null> {
    const row = await this.db.selectFrom('request_logs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? logFromRow(row) : null;
  }

  /** Deletes every row. */
  async clear(): Promise<void> {
    await this.db.deleteFrom('request_logs').execute();
  }

  /** Deletes rows older than `olderThan` (epoch ms), then all but the newest `maxRows`. Returns how many. */
  async prune(options: { olderThan: number; maxRows: number }): Promise<number> {
    return this.db.transaction().execute(async (transaction) => {
      const expired = await transaction
        .deleteFrom('request_logs')
        .where('time', '<', options.olderThan)
        .executeTakeFirst();
      const boundary = await transaction
        .selectFrom('request_logs')
        .select(['time', 'id'])
        .orderBy('time', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .offset(Math.max(0, Math.trunc(options.maxRows)))
        .executeTakeFirst();
      if (!boundary) return Number(expired.numDeletedRows);
      const excess = await transaction
        .deleteFrom('request_logs')
        .where((where) =>
          where.or([
            where('time', '<', boundary.time),
            where.and([where('time', '=', boundary.time), where('id', '<=', boundary.id)]),
          ]),
        )
        .executeTakeFirst();
      return Number(expired.numDeletedRows) + Number(excess.numDeletedRows);
    });
  }
}

/** What a list of the request log shows: every column but the two bodies. */
type SummaryColumn = Exclude<(typeof REQUEST_LOG_COLUMNS)[number], 'request_body' | 'response_body'>;
const SUMMARY_COLUMNS = REQUEST_LOG_COLUMNS.filter(
  (column): column is SummaryColumn => column !== 'request_body' && column !== 'response_body',
);

function applyFilter<Output>(
  query: SelectQueryBuilder<DatabaseSchema, 'request_logs', Output>,
  filter: RequestLogQuery,
): SelectQueryBuilder<DatabaseSchema, 'request_logs', Output> {
  let result = query;
  if (filter.status === 'error') {
    result = result.where((where) => where.or([where('status', '>=', 400), where('error', 'is not', null)]));
  } else if (filter.status === 'success') {
    result = result.where('status', '<', 400).where('error', 'is', null);
  } else if (typeof filter.status === 'number') {
    result = result.where('status', '=', filter.status);
  }
  if (filter.accountId !== undefined) result = result.where('account_id', '=', filter.accountId);
  if (filter.clientKeyId !== undefined) result = result.where('client_key_id', '=', filter.clientKeyId);
  if (filter.protocol !== undefined) result = result.where('protocol', '=', filter.protocol);
  const model = filter.model;
  if (model !== undefined) {
    result = result.where((where) =>
      where.or([where('client_model', '=', model), where('mapped_model', '=', model)]),
    );
  }
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text.toLowerCase())}%`;
    // lower() on both sides: LIKE is case-insensitive in SQLite but not in PostgreSQL.
    result = result.where((where) =>
      where.or(
        TEXT_COLUMNS.map((column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`),
      ),
    );
  }
  if (filter.before !== undefined) {
    const cursor = decodeCursor(filter.before);
    result = result.where((where) =>
      where.or([
        where('time', '<', cursor.time),
        where.and([where('time', '=', cursor.time), where('id', '<', cursor.id)]),
      ]),
    );
  }
  return result;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function encodeCursor(row: RequestLogRow): string {
  return Buffer.from(JSON.stringify([row.time, row.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { time: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return { time: value[0], id: value[1] };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new SwitchyardError('invalid_request', 'Invalid request log cursor', { details: { cursor } });
}

function logFromRow(
  row: Omit<RequestLogsTable, 'request_body' | 'response_body'> & Partial<RequestLogsTable>,
): RequestLogRow {
  return {
    id: row.id,
    // PostgreSQL drivers return bigint columns as strings.
    time: Number(row.time),
    // Rows are only ever written from a RequestLogEntry, whose protocol is a ClientProtocol.
    protocol: row.protocol as ClientProtocol,
    method: row.method,
    path: row.path,
    clientModel: row.client_model,
    mappedModel: row.mapped_model,
    accountId: row.account_id,
    accountEmail: row.account_email,
    sessionId: row.session_id,
    status: row.status,
    attempts: row.attempts,
    accountsTried: parseStringArray(row.accounts_tried),
    modelsTried: parseStringArray(row.models_tried),
    localReply: row.local_reply as LocalReply | null,
    latencyMs: row.latency_ms,
    ttfbMs: row.ttfb_ms,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cacheReadTokens: row.cache_read_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    reasoningTokens: row.reasoning_tokens,
    clientKeyId: row.client_key_id,
    error: row.error,
    requestBody: row.request_body ?? null,
    responseBody: row.response_body ?? null,
  };
}

/** `count` as descending powers of two, none above `LARGEST_CHUNK` (700: 512, 128, 32, 16, 8, 4). */
function powerOfTwoChunks(count: number): number[] {
  const chunks: number[] = [];
  let rest = count;
  for (let size = LARGEST_CHUNK; rest > 0; size /= 2) {
    while (rest >= size) {
      chunks.push(size);
      rest -= size;
    }
  }
  return chunks;
}

function parseStringArray(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

import type { DatabaseSchema, UsageHourlyTable } from './database-schema.js';
import { type Kysely, sql } from './kysely-runtime.js';

/** Counters summed per hour, key, account and model. Token fields follow the canonical `Usage`. */
export interface UsageCounts {
  requests: number;
  /** Requests answered with a status of 400 or more. */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/** What to add to one hour's row. Null ids mean "none" (the owner's key or no key; no account; no model). */
export interface UsageDelta extends UsageCounts {
  /** Start of the UTC hour, epoch ms. */
  hour: number;
  clientKeyId: string | null;
  accountId: string | null;
  model: string | null;
}

/** Whose usage a query groups by. */
export type UsageDimension = 'key' | 'account' | 'model';
export type UsageBucket = 'hour' | 'day';

export interface UsageQuery {
  /** From this instant (epoch ms, rounded down to its hour), inclusive. */
  since: number;
  /** Up to this instant, exclusive; default: no end. */
  until?: number;
  by: UsageDimension;
  bucket: UsageBucket;
  clientKeyId?: string;
  accountId?: string;
  model?: string;
}

/** One bucket of one group, split by model (costs are priced per model). */
export interface UsageRow extends UsageCounts {
  /** Start of the bucket (UTC hour or day), epoch ms. */
  start: number;
  /** The key id, account id or model of the group; null for "none". */
  group: string | null;
  model: string | null;
}

const DAY_MS = 86_400_000;
// Eight columns of the key plus counters: 11 parameters a row, far below both backends' limits.
const UPSERT_CHUNK = 200;
/** The counter columns of an hourly usage row, in the order reports show them. */
export const USAGE_COUNTERS = [
  'requests',
  'errors',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
] as const satisfies readonly (keyof UsageHourlyTable)[];
const GROUP_COLUMNS = { key: 'client_key_id', account: 'account_id', model: 'model' } as const;

/**
 * Hourly usage totals: what `/api/usage`, `switchyard usage` and the day/month budgets of client
 * keys read. Kept apart from the request log so that reading a month costs a few hundred rows
 * whatever the traffic, and so that pruning the request log loses no usage.
 */
export class UsageStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  /** Adds every delta to its hour's row (created when missing), in one transaction. */
  async addBatch(batch: readonly UsageDelta[]): Promise<void> {
    if (batch.length === 0) return;
    // PostgreSQL refuses an insert that updates one row twice: merge deltas of the same row first.
    const deltas = mergeDeltas(batch);
    await this.db.transaction().execute(async (transaction) => {
      for (let start = 0; start < deltas.length; start += UPSERT_CHUNK) {
        await transaction
          .insertInto('usage_hourly')
          .values(deltas.slice(start, start + UPSERT_CHUNK))
          .onConflict((conflict) =>
            conflict
              .columns(['hour', 'client_key_id', 'account_id', 'model'])
              .doUpdateSet(
                Object.fromEntries(
                  USAGE_COUNTERS.map((column) => [
                    column,
                    sql<number>`${sql.ref(`usage_hourly.${column}`)} + ${sql.ref(`excluded.${column}`)}`,
                  ]),
                ),
              ),
          )
          .execute();
      }
    });
  }

  /** Sums per bucket, group and model, oldest bucket first. */
  async query(query: UsageQuery): Promise<UsageRow[]> {
    const group = GROUP_COLUMNS[query.by];
    // A literal, not a parameter: PostgreSQL must see the same expression in select and group by.
    const start =
      query.bucket === 'hour' ? sql<number>`hour` : sql<number>`hour - (hour % ${sql.lit(DAY_MS)})`;
    let builder = this.db
      .selectFrom('usage_hourly')
      .select([start.as('start'), sql.ref<string>(group).as('group_id'), 'model'])
      .select(USAGE_COUNTERS.map((column) => sql<number>`cast(sum(${sql.ref(column)}) as bigint)`.as(column)))
      .where('hour', '>=', query.since - (query.since % 3_600_000));
    if (query.until !== undefined) builder = builder.where('hour', '<', query.until);
    if (query.clientKeyId !== undefined) builder = builder.where('client_key_id', '=', query.clientKeyId);
    if (query.accountId !== undefined) builder = builder.where('account_id', '=', query.accountId);
    if (query.model !== undefined) builder = builder.where('model', '=', query.model);
    const rows = await builder
      .groupBy([start, sql.ref(group), 'model'])
      .orderBy(start)
      .execute();
    return rows.map((row) => ({
      start: Number(row.start),
      group: orNull(row.group_id),
      model: orNull(row.model),
      requests: Number(row.requests),
      errors: Number(row.errors),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cacheReadTokens: Number(row.cache_read_tokens),
      cacheWriteTokens: Number(row.cache_write_tokens),
      reasoningTokens: Number(row.reasoning_tokens),
    }));
  }

  /** Deletes the hours before `olderThan` (epoch ms). Returns how many rows went. */
  async prune(olderThan: number): Promise<number> {
    const result = await this.db.deleteFrom('usage_hourly').where('hour', '<', olderThan).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function mergeDeltas(deltas: readonly UsageDelta[]): UsageHourlyTable[] {
  const rows = new Map<string, UsageHourlyTable>();
  for (const delta of deltas) {
    const row = toRow(delta);
    const id = `${row.hour}\u0000${row.client_key_id}\u0000${row.account_id}\u0000${row.model}`;
    const existing = rows.get(id);
    if (!existing) rows.set(id, row);
    else for (const column of USAGE_COUNTERS) existing[column] += row[column];
  }
  return [...rows.values()];
}

function toRow(delta: UsageDelta): UsageHourlyTable {
  return {
    hour: delta.hour,
    client_key_id: delta.clientKeyId ?? '',
    account_id: delta.accountId ?? '',
    model: delta.model ?? '',
    requests: delta.requests,
    errors: delta.errors,
    input_tokens: delta.inputTokens,
    output_tokens: delta.outputTokens,
    cache_read_tokens: delta.cacheReadTokens,
    cache_write_tokens: delta.cacheWriteTokens,
    reasoning_tokens: delta.reasoningTokens,
  };
}

function orNull(value: string): string | null {
  return value === '' ? null : value;
}

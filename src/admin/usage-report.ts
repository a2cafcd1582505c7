/** Builds the `/api/usage` answer (also printed by `switchyard usage`) from hourly usage rows and the price table. */
import { SwitchyardError } from '../core/errors.js';
import type { UsageBucket, UsageDimension, UsageQuery, UsageRow } from '../store/usage-store.js';
import type { PriceTable } from '../usage/price-table.js';
import { DAY_MS, dayStart, HOUR_MS, hourStart, parseSpan } from '../usage/usage-windows.js';
import type {
  PriceListView,
  UsageQueryParameters,
  UsageReportView,
  UsageTotalsView,
} from './usage-contracts.js';

/** Most buckets one answer may hold (hourly buckets reach back about 41 days). */
const MAX_BUCKETS = 1000;
/** Farthest back a query may reach. */
const MAX_RANGE_MS = 3650 * DAY_MS;

/** The store query for validated parameters at `now`: the range, the bucket size, the filters. */
export function usageStoreQuery(parameters: UsageQueryParameters, now: number): UsageQuery {
  const span = parseSpan(parameters.since);
  const since = Math.max(now - MAX_RANGE_MS, span !== null ? now - span : Date.parse(parameters.since));
  if (since >= now) throw new SwitchyardError('invalid_request', 'since must be in the past');
  const bucket: UsageBucket = parameters.bucket ?? (now - since <= 2 * DAY_MS ? 'hour' : 'day');
  const first = bucket === 'hour' ? hourStart(since) : dayStart(since);
  if ((now - first) / (bucket === 'hour' ? HOUR_MS : DAY_MS) > MAX_BUCKETS) {
    throw new SwitchyardError(
      'invalid_request',
      `The range holds more than ${MAX_BUCKETS} ${bucket} buckets: use bucket=day or a shorter since`,
    );
  }
  const query: UsageQuery = { since: first, by: parameters.by, bucket };
  if (parameters.key !== undefined) query.clientKeyId = parameters.key;
  if (parameters.account !== undefined) query.accountId = parameters.account;
  if (parameters.model !== undefined) query.model = parameters.model;
  return query;
}

function zeroTotals(): UsageTotalsView {
  return {
    requests: 0,
    errors: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    estimated_cost: 0,
  };
}

function addRow(totals: UsageTotalsView, row: UsageRow, cost: number): void {
  totals.requests += row.requests;
  totals.errors += row.errors;
  totals.input_tokens += row.inputTokens;
  totals.output_tokens += row.outputTokens;
  totals.cache_read_tokens += row.cacheReadTokens;
  totals.cache_write_tokens += row.cacheWriteTokens;
  totals.reasoning_tokens += row.reasoningTokens;
  totals.estimated_cost += cost;
}

/**
 * Sums `rows` (per bucket, group and model) into one series per group with every bucket of the
 * range, pricing each model's tokens with `prices`. `label` names a group for display.
 */
export function buildUsageReport(options: {
  rows: readonly UsageRow[];
  query: UsageQuery;
  now: number;
  prices: PriceTable;
  label: (by: UsageDimension, id: string | null) => string;
}): UsageReportView {
  const { rows, query, now, prices } = options;
  const step = query.bucket === 'hour' ? HOUR_MS : DAY_MS;
  const starts: number[] = [];
  for (let start = query.since; start < now; start += step) starts.push(start);
  const index = new Map(starts.map((start, position) => [start, position]));
  const totals = zeroTotals();
  const groups = new Map<string | null, { totals: UsageTotalsView; series: UsageTotalsView[] }>();
  const unpriced = new Set<string>();
  for (const row of rows) {
    const cost = row.model === null ? null : prices.costOf(row.model, row);
    if (cost === null && row.inputTokens + row.outputTokens > 0) unpriced.add(row.model ?? '(none)');
    let group = groups.get(row.group);
    if (!group) {
      group = { totals: zeroTotals(), series: starts.map(() => zeroTotals()) };
      groups.set(row.group, group);
    }
    const bucket = group.series[index.get(row.start) ?? -1];
    if (bucket) addRow(bucket, row, cost ?? 0);
    addRow(group.totals, row, cost ?? 0);
    addRow(totals, row, cost ?? 0);
  }
  const ordered = [...groups].sort(
    ([, left], [, right]) =>
      right.totals.estimated_cost - left.totals.estimated_cost ||
      tokensOf(right.totals) - tokensOf(left.totals),
  );
  return {
    by: query.by,
    bucket: query.bucket,
    since: new Date(query.since).toISOString(),
    until: new Date(now).toISOString(),
    estimated: true,
    currency: 'USD',
    buckets: starts.map((start) => new Date(start).toISOString()),
    totals,
    groups: ordered.map(([id, group]) => ({
      id,
      label: options.label(query.by, id),
      totals: group.totals,
      series: group.series.map((bucket, position) => ({
        start: new Date(starts[position] ?? 0).toISOString(),
        ...bucket,
      })),
    })),
    unpriced_models: [...unpriced].sort(),
  };
}

function tokensOf(totals: UsageTotalsView): number {
  return totals.input_tokens + totals.output_tokens;
}

/** Display names of usage groups: key names, account emails, models. */
export function usageLabeler(options: {
  keyName: (id: string) => string | undefined;
  accountEmail: (id: string) => string | undefined;
}): (by: UsageDimension, id: string | null) => string {
  return (by, id) => {
    if (by === 'key') return id === null ? 'owner key / no key' : (options.keyName(id) ?? id);
    if (by === 'account') return id === null ? 'no account' : (options.accountEmail(id) ?? id);
    return id ?? '(no model)';
  };
}

/** The `/api/usage/prices` answer. */
export function toPriceList(prices: PriceTable): PriceListView {
  return {
    currency: 'USD',
    unit: 'per_million_tokens',
    prices: prices.entries().map((entry) => ({
      model: entry.pattern,
      input: entry.price.input,
      output: entry.price.output,
      cache_read: entry.price.cacheRead,
      cache_write: entry.price.cacheWrite,
      source: entry.source,
    })),
  };
}

/**
 * The usage part of the admin API contract (`/api/usage`, `/api/usage/prices`), shared by the
 * server, the CLI (`switchyard usage`) and the web UI's Usage page. Costs are always estimates in
 * US dollars from the price table, named `estimated_cost`.
 */
import { z } from 'zod';
import { parseSpan } from '../usage/usage-windows.js';

const optionalText = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().trim().min(1).max(256).optional(),
);

/** `GET /api/usage` query parameters. */
export const usageQuery = z.strictObject({
  /** Group by client key, account or (upstream) model. Default `key`. */
  by: z.enum(['key', 'account', 'model']).default('key'),
  /** How far back: a span (`90m`, `24h`, `7d`, `4w`) or an ISO 8601 instant. Default `7d`. */
  since: z
    .string()
    .trim()
    .default('7d')
    .refine((value) => parseSpan(value) !== null || !Number.isNaN(Date.parse(value)), {
      message: 'since must be a span such as 24h, 7d or 4w, or an ISO 8601 date',
    }),
  /** `hour` or `day` (UTC) buckets. Default: `hour` for spans up to two days, `day` beyond. */
  bucket: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['hour', 'day']).optional()),
  /** Only this client key (id), account (id) or model. */
  key: optionalText,
  account: optionalText,
  model: optionalText,
});
export type UsageQueryParameters = z.output<typeof usageQuery>;

/** Counters of one bucket or one group. Token fields follow the request log's convention. */
export const usageTotals = z.object({
  requests: z.number(),
  /** Requests answered with a status of 400 or more. */
  errors: z.number(),
  /** The whole prompt, cached parts included. */
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_tokens: z.number(),
  cache_write_tokens: z.number(),
  /** The part of output_tokens spent reasoning. */
  reasoning_tokens: z.number(),
  /** US dollars, estimated from the price table; models without a price count 0 (see `unpriced_models`). */
  estimated_cost: z.number(),
});
export type UsageTotalsView = z.output<typeof usageTotals>;

export const usageGroup = z.object({
  /** The key id, account id or model; null for "none" (the owner's key or no key; no account). */
  id: z.string().nullable(),
  /** Key name, account email or model, for display. */
  label: z.string(),
  totals: usageTotals,
  /** One entry per bucket of the range, oldest first, zeros included. */
  series: z.array(usageTotals.extend({ start: z.string() })),
});
export type UsageGroupView = z.output<typeof usageGroup>;

/** `GET /api/usage` answer. */
export const usageReport = z.object({
  by: z.enum(['key', 'account', 'model']),
  bucket: z.enum(['hour', 'day']),
  /** Start of the first bucket and the end of the range (now), ISO 8601. */
  since: z.string(),
  until: z.string(),
  /** Always true: costs come from a price table, not from a bill. */
  estimated: z.literal(true),
  currency: z.literal('USD'),
  /** Every bucket start of the range, oldest first. */
  buckets: z.array(z.string()),
  totals: usageTotals,
  /** Highest estimated cost first, then most tokens. */
  groups: z.array(usageGroup),
  /** Models that used tokens but have no price: their cost is unknown and counted as 0. */
  unpriced_models: z.array(z.string()),
});
export type UsageReportView = z.output<typeof usageReport>;

/** `GET /api/usage/prices`: the price table in force. */
export const priceList = z.object({
  currency: z.literal('USD'),
  /** Per million tokens. */
  unit: z.literal('per_million_tokens'),
  prices: z.array(
    z.object({
      /** Model id or wildcard. */
      model: z.string(),
      input: z.number(),
      output: z.number(),
      cache_read: z.number(),
      cache_write: z.number(),
      /** `default`: ships with Switchyard; `config`: set in `pricing.models` of gui_config.json. */
      source: z.enum(['default', 'config']),
    }),
  ),
});
export type PriceListView = z.output<typeof priceList>;

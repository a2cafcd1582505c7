/** The admin contract of the scheduled warmup (`GET /api/proxy/warmup`). */
import { z } from 'zod';

/**
 * The path a scheduled warmup has in the request log (it is never served over HTTP): the mark that
 * tells those rows from client requests. They carry no client key, so no key is billed for them.
 */
export const SCHEDULED_WARMUP_PATH = '/internal/scheduled-warmup';

/** One account and model of the scheduled warmup, for the Monitor. Times are ISO 8601. */
export const warmupTargetView = z.object({
  account_id: z.string(),
  email: z.string(),
  /** The model the warmup asks for. */
  model: z.string(),
  /**
   * `due`: sent at the next tick; `done`: warmed (or tried) in the current window; `waiting`: due
   * after another warmup of the account; `skipped`: the account may not be used now (`reason`).
   */
  state: z.enum(['due', 'done', 'waiting', 'skipped']),
  /** Why it is skipped or waiting; null otherwise. */
  reason: z.string().nullable(),
  /** When the next warmup is due; null while it waits for the account to be enabled or unprotected. */
  next_due_at: z.string().nullable(),
  /** When the last scheduled warmup was sent by this instance; null when none yet. */
  last_at: z.string().nullable(),
  /** `ok`, `error` (see `last_error`), or `elsewhere`: another gateway instance warmed that window. */
  last_result: z.enum(['ok', 'error', 'elsewhere']).nullable(),
  last_error: z.string().nullable(),
});
export type WarmupTargetView = z.output<typeof warmupTargetView>;

/** `GET /api/proxy/warmup`: the schedule (`proxy.warmup.schedule`) and every account and model it covers. */
export const warmupStatus = z.object({
  enabled: z.boolean(),
  interval_minutes: z.number().int(),
  /** Empty while the schedule is off. */
  targets: z.array(warmupTargetView),
});
export type WarmupStatus = z.output<typeof warmupStatus>;

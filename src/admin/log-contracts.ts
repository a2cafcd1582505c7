/**
 * The request log part of the admin API contract: query parameters and responses of `/api/logs*`,
 * as zod schemas shared by the server and the web UI. Field names are snake_case.
 */
import { z } from 'zod';

/** Empty query parameters (`?account=`) mean "not given". */
const optionalText = (max: number) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string().trim().min(1).max(max).optional());

/** `GET /api/logs` query parameters. */
export const listLogsQuery = z.strictObject({
  /** `error` (status ≥ 400 or an error recorded), `success`, or one exact HTTP status such as `429`. */
  status: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .union([
        z.enum(['error', 'success']),
        z
          .string()
          .regex(/^\d{3}$/, 'status must be error, success or a three-digit HTTP status')
          .transform(Number),
      ])
      .optional(),
  ),
  /** Account id that served the request. */
  account: optionalText(200),
  /** Client key id the request was made with. */
  key: optionalText(200),
  /** Client-requested or mapped model, exactly. */
  model: optionalText(200),
  /** Client protocol, e.g. `openai-chat`, `anthropic-messages`, `gemini`. */
  protocol: optionalText(100),
  /** Case-insensitive text searched in id, path, models, account email, session id and error. */
  q: optionalText(500),
  /** Page size, 1..500; default 100. */
  limit: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(1).max(500).default(100),
  ),
  /** `next_before` of the previous page, to continue with older entries. */
  before: optionalText(500),
});
export type ListLogsQuery = z.output<typeof listLogsQuery>;

/** `GET /api/logs/stream` query parameters. */
export const logStreamQuery = z.strictObject({
  /** The admin credential, for `EventSource`, which cannot send an `Authorization` header. */
  token: z.string().optional(),
});

/** One proxied request as the admin API shows it. Times are epoch ms, durations ms. */
export const requestLogRecord = z.object({
  /** Request id, also sent to the client as `X-Request-Id`. */
  id: z.string(),
  time: z.number(),
  protocol: z.string(),
  method: z.string(),
  path: z.string(),
  client_model: z.string().nullable(),
  mapped_model: z.string().nullable(),
  account_id: z.string().nullable(),
  account_email: z.string().nullable(),
  session_id: z.string().nullable(),
  /** HTTP status returned to the client. */
  status: z.number(),
  attempts: z.number(),
  /** Accounts tried, in order. */
  accounts_tried: z.array(z.string()),
  /** The models of the fallback chain tried, in order; the last one served when the request succeeded. */
  models_tried: z.array(z.string()),
  /** `warmup` / `token-estimate`: answered by the gateway itself, no upstream call; null otherwise. */
  local_reply: z.string().nullable(),
  latency_ms: z.number(),
  /** Time to the first byte written to the client. */
  ttfb_ms: z.number().nullable(),
  input_tokens: z.number().nullable(),
  output_tokens: z.number().nullable(),
  cache_read_tokens: z.number().nullable(),
  cache_write_tokens: z.number().nullable(),
  /** The part of output_tokens spent reasoning (null in rows stored before it was recorded). */
  reasoning_tokens: z.number().nullable(),
  /** The client key the request was made with; null for the owner's key (`proxy.api_key`) or no key. */
  client_key_id: z.string().nullable(),
  error: z.string().nullable(),
  /** Only in `GET /api/logs/:id`, and only when `proxy.logging.debug_bodies` was on. */
  request_body: z.string().nullable().optional(),
  response_body: z.string().nullable().optional(),
});
export type RequestLogRecord = z.output<typeof requestLogRecord>;

/** `GET /api/logs` response: newest first. */
export const logPage = z.object({
  logs: z.array(requestLogRecord),
  /** Pass as `before` for the next (older) page; null on the last page. */
  next_before: z.string().nullable(),
});
export type LogPage = z.output<typeof logPage>;

/**
 * The error catalogue. Every error the gateway reports has a stable code that maps to exactly one
 * HTTP status — except `upstream_rejected`, which carries the status the upstream answered with.
 * Each protocol renders any of these in its own error shape in one encoder (server/); codes with
 * status 500 are our own faults and are logged as errors where they are answered.
 */

interface CatalogueEntry {
  /** null: the upstream's own status, given when the error is raised. */
  status: number | null;
}

export const ERROR_CATALOGUE = {
  invalid_request: { status: 400 },
  invalid_json: { status: 400 },
  validation_failed: { status: 400 },
  unauthorized: { status: 401 },
  forbidden: { status: 403 },
  not_found: { status: 404 },
  /** No account serves the model asked for (each one tried answered that it does not know it). */
  model_not_found: { status: 404 },
  method_not_allowed: { status: 405 },
  conflict: { status: 409 },
  /** The request (its head or body) was not received in time. */
  request_timeout: { status: 408 },
  payload_too_large: { status: 413 },
  uri_too_long: { status: 414 },
  unsupported_media_type: { status: 415 },
  /** The prompt is longer than the upstream model takes (OpenAI's own code for it). */
  context_length_exceeded: { status: 400 },
  /** The request's headers are larger than Node's HTTP parser accepts. */
  headers_too_large: { status: 431 },
  /** The client went away before the answer was complete (nginx's 499); nothing can be sent back. */
  client_closed_request: { status: 499 },
  /** A client key's rate limit or budget has no room; `retryAfterSeconds` says when it has. */
  key_limit_reached: { status: 429 },
  all_accounts_limited: { status: 429 },
  no_account_available: { status: 503 },
  /** The gateway holds as many request bodies as its memory budget allows; retry after a moment. */
  server_busy: { status: 503 },
  /** The upstream refused a translated request as the caller's fault (its 4xx, passed on). */
  upstream_rejected: { status: null },
  /** The upstream could not be reached (connection refused, reset, DNS, TLS). */
  upstream_unreachable: { status: 502 },
  /** The upstream said it is overloaded or unavailable (503, 529). */
  upstream_unavailable: { status: 503 },
  /** The upstream answered with a server error or an answer cut short. */
  upstream_error: { status: 502 },
  /** The upstream sent nothing in time (`first_byte_timeout`, `request_timeout`). */
  upstream_timeout: { status: 504 },
  config_error: { status: 500 },
  /** The store database does not answer (PostgreSQL down or frozen); nothing was changed, retry later. */
  store_unavailable: { status: 503 },
  store_error: { status: 500 },
  internal_error: { status: 500 },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface SwitchyardErrorOptions {
  /** Seconds the caller should wait before retrying (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** Structured detail safe to show to the caller (no secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The code whose status is the upstream's, not the catalogue's. */
type UpstreamStatusCode = 'upstream_rejected';

/** Codes whose status the catalogue fixes. */
export type FixedStatusCode = Exclude<ErrorCode, UpstreamStatusCode>;

/** An error with a catalogue code. Messages must never contain secrets. */
export class SwitchyardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: UpstreamStatusCode,
    message: string,
    options: SwitchyardErrorOptions & { upstreamStatus: number },
  );
  constructor(code: FixedStatusCode, message: string, options?: SwitchyardErrorOptions);
  constructor(
    code: ErrorCode,
    message: string,
    options: SwitchyardErrorOptions & { upstreamStatus?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry: CatalogueEntry = ERROR_CATALOGUE[code];
    this.name = 'SwitchyardError';
    this.code = code;
    this.status = entry.status ?? options.upstreamStatus ?? 502;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}

export function isSwitchyardError(error: unknown): error is SwitchyardError {
  return error instanceof SwitchyardError;
}

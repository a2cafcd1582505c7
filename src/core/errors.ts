/**
 * The error catalogue. Every error the gateway reports has a stable code that maps to exactly one
 * HTTP status and a scope that tells the gateway what to do with it:
 * - `client`: the caller's fault, returned as is, never retried;
 * - `account`: one account failed (limited, revoked, broken); try another account;
 * - `upstream`: the upstream as a whole failed; may try another account;
 * - `internal`: a bug or an environment problem on our side.
 * Each protocol renders any of these in its own error shape in one encoder (server/).
 */

export type ErrorScope = 'client' | 'account' | 'upstream' | 'internal';

interface CatalogueEntry {
  status: number;
  scope: ErrorScope;
  retryable: boolean;
}

export const ERROR_CATALOGUE = {
  invalid_request: { status: 400, scope: 'client', retryable: false },
  invalid_json: { status: 400, scope: 'client', retryable: false },
  validation_failed: { status: 400, scope: 'client', retryable: false },
  unauthorized: { status: 401, scope: 'client', retryable: false },
  forbidden: { status: 403, scope: 'client', retryable: false },
  not_found: { status: 404, scope: 'client', retryable: false },
  /** No account serves the model asked for (each one tried answered that it does not know it). */
  model_not_found: { status: 404, scope: 'client', retryable: false },
  method_not_allowed: { status: 405, scope: 'client', retryable: false },
  conflict: { status: 409, scope: 'client', retryable: false },
  request_timeout: { status: 408, scope: 'client', retryable: false },
  payload_too_large: { status: 413, scope: 'client', retryable: false },
  uri_too_long: { status: 414, scope: 'client', retryable: false },
  unsupported_media_type: { status: 415, scope: 'client', retryable: false },
  unsupported_translation: { status: 400, scope: 'client', retryable: false },
  /** The prompt is longer than the upstream model takes (OpenAI's own code for it). */
  context_length_exceeded: { status: 400, scope: 'client', retryable: false },
  /** The client went away before the answer was complete (nginx's 499); nothing can be sent back. */
  client_closed_request: { status: 499, scope: 'client', retryable: false },
  /** A client key's rate limit or budget has no room; `retryAfterSeconds` says when it has. */
  key_limit_reached: { status: 429, scope: 'client', retryable: true },
  all_accounts_limited: { status: 429, scope: 'account', retryable: true },
  no_account_available: { status: 503, scope: 'account', retryable: false },
  /** The gateway holds as many request bodies as its memory budget allows; retry after a moment. */
  server_busy: { status: 503, scope: 'internal', retryable: true },
  upstream_error: { status: 502, scope: 'upstream', retryable: true },
  upstream_timeout: { status: 504, scope: 'upstream', retryable: true },
  config_error: { status: 500, scope: 'internal', retryable: false },
  store_error: { status: 500, scope: 'internal', retryable: false },
  internal_error: { status: 500, scope: 'internal', retryable: false },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface SwitchyardErrorOptions {
  /** Overrides the catalogue status (for example an upstream 4xx passed through). */
  status?: number;
  /** Seconds the caller should wait before retrying (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** Structured detail safe to show to the caller (no secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** An error with a catalogue code. Messages must never contain secrets. */
export class SwitchyardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly scope: ErrorScope;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: SwitchyardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry: CatalogueEntry = ERROR_CATALOGUE[code];
    this.name = 'SwitchyardError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.scope = entry.scope;
    this.retryable = entry.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}

export function isSwitchyardError(error: unknown): error is SwitchyardError {
  return error instanceof SwitchyardError;
}

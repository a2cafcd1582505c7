/**
 * What the mock upstream does with one request. A test queues behaviours per credential with
 * `MockUpstream.script(key, ...)`; each request consumes one. Errors are described by meaning
 * (`rate-limited`, `forbidden`, …) and rendered in the wire shape of the endpoint that was hit, so
 * one script works whichever provider the gateway picked.
 */
import type { RateLimitHeaders } from './rate-limit-headers.js';

/** One tool call the model "makes" in an `ok` answer. */
export interface ToolCallSpec {
  name: string;
  /** The call's arguments; an object is JSON-encoded where the wire wants a string. */
  arguments: Record<string, unknown> | string;
}

/** Usage numbers that replace the computed ones (each field separately). */
export interface UsageOverride {
  /** Whole prompt, cached part included (Anthropic `input_tokens` is this minus cache read/write). */
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  /** Anthropic `cache_creation_input_tokens`; the other providers do not report writes. */
  cacheWriteTokens?: number;
}

/** A model in a model list (`GET /v1/models`, `GET /v1beta/models`, Code Assist `fetchAvailableModels`). */
export interface MockModel {
  id: string;
  /** Code Assist `quotaInfo.remainingFraction`, 0..1 (default 1). */
  remainingFraction?: number;
  /** Seconds from now until the quota resets (Code Assist `quotaInfo.resetTime`, default 5 h). */
  resetInSeconds?: number;
}

/** Fields of an OAuth token answer; every field has a deterministic default. */
export interface TokenAnswer {
  /** Default `at-<refresh token or code>-<call number for that key>`. */
  accessToken?: string;
  /** Seconds; default 3599. */
  expiresIn?: number;
  /** Sent only when set (rotation), except for authorization_code where it defaults to `rt-<code>`. */
  refreshToken?: string;
  /**
   * The OAuth client the refresh token was issued to: a refresh sent with another `client_id` is
   * refused with 401 `unauthorized_client`, as Google does. Default: any client is accepted.
   */
  issuedTo?: string;
}

/** What `GET /oauth/authorize` does for an `ok` behaviour (keyed by `client_id`). */
export interface LoginAnswer {
  /** The account that signs in; default `mock-user@example.com`. */
  email?: string;
  /** false: the code exchange answers without an id_token (clients must ask `/oauth/userinfo`). */
  idToken?: boolean;
}

/** A normal, successful answer in the protocol of the endpoint hit. */
export interface OkBehaviour {
  type: 'ok';
  /** Reply text; default `echo: <text of the last user message>`. */
  text?: string;
  /** Tool calls the reply makes (after the text, if any); the stop reason becomes the tool one. */
  toolCalls?: ToolCallSpec[];
  /**
   * Reasoning the reply starts with, signed as the endpoint's family signs it (see
   * `reasoning-signatures.ts`): an Anthropic `thinking` block with its `signature`, a Google
   * `thought: true` part with its `thoughtSignature`, OpenAI `reasoning_content` (no signature).
   */
  thinking?: string;
  /**
   * Check the reasoning the request replays before answering: a thinking block, redacted thinking
   * or thought signature this family did not issue (and, with manual Anthropic thinking, a last
   * tool turn that does not start with thinking) gets the upstream's 400 instead of the answer.
   */
  verifySignatures?: boolean;
  /** Number of text deltas a stream splits the text into (default 3, at most one per character). */
  chunks?: number;
  /** Pause between stream events. */
  chunkDelayMs?: number;
  /** Pause before the status line and headers are written. */
  firstByteDelayMs?: number;
  usage?: UsageOverride;
  /** Rendered as OpenAI `x-ratelimit-*` or Anthropic `anthropic-ratelimit-*` (Google has none). */
  rateLimitHeaders?: RateLimitHeaders | RateLimitHeaders[];
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Replaces the default model list of the list endpoints and `fetchAvailableModels`. */
  models?: MockModel[];
  /** OAuth token endpoint answer. */
  token?: TokenAnswer;
  /** OAuth authorization endpoint: who signs in. */
  login?: LoginAnswer;
  /**
   * Code Assist `loadCodeAssist`: project id (default `mock-project`), current tier id (default
   * `standard-tier`) and, when set, a paid tier id (e.g. `g1-ultra-tier`). `project: null` is an
   * account that was never onboarded: no project and no current tier, `tierId` the default of
   * `allowedTiers`; `ineligible` adds an `ineligibleTiers` entry with that reason.
   */
  codeAssist?: { project?: string | null; tierId?: string; paidTierId?: string; ineligible?: string };
  /**
   * Code Assist `onboardUser` and `GET /v1internal/operations/…`: the long-running operation as
   * answered — `done` (default true), the project it created (default `mock-onboarded-project`),
   * or an `error` message.
   */
  operation?: { done?: boolean; project?: string | null; error?: string };
}

/** A raw answer: any status, headers and body (an object is sent as JSON, a string as is). */
export interface StatusBehaviour {
  type: 'status';
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Options of `rateLimited`. Each option adds what the named upstream would send. */
export interface RateLimitedOptions {
  /** `Retry-After` header value, verbatim: seconds (`"7"`) or an HTTP date. */
  retryAfter?: string;
  /** `retry-after-ms` header (OpenAI SDK convention). */
  retryAfterMs?: number;
  /** Google `RetryInfo.retryDelay`, e.g. `"1.5s"`. */
  googleRetryDelay?: string;
  /** Google `ErrorInfo.metadata.quotaResetDelay`, e.g. `"3h2m1s"`; makes the reason QUOTA_EXHAUSTED. */
  quotaResetDelay?: string;
  /** Google `ErrorInfo.reason`; default QUOTA_EXHAUSTED with `quotaResetDelay`, else RATE_LIMIT_EXCEEDED. */
  googleReason?: 'RATE_LIMIT_EXCEEDED' | 'QUOTA_EXHAUSTED' | 'MODEL_CAPACITY_EXHAUSTED';
  /** OpenAI `error.code` (and type); default `rate_limit_exceeded`. */
  openaiCode?: 'rate_limit_exceeded' | 'insufficient_quota';
  /**
   * Adds the headers a real Anthropic 429 carries, on any endpoint:
   * `anthropic-ratelimit-requests-remaining: 0` and `-requests-reset` (RFC 3339) at now + the
   * `retryAfter` seconds (60 s when absent or not a number).
   */
  anthropic?: true;
  /** Rate-limit headers rendered for the endpoint's provider, as in `ok`. */
  resetHeaders?: RateLimitHeaders | RateLimitHeaders[];
  message?: string;
}

/** A failure described by meaning; each endpoint renders it in its own error shape. */
export type UpstreamError =
  | ({ kind: 'rate-limited' } & RateLimitedOptions)
  | { kind: 'server-error'; status: number; message?: string }
  | { kind: 'unauthorized'; message?: string }
  | { kind: 'forbidden'; validationUrl?: string; message?: string }
  | { kind: 'invalid-grant'; description?: string };

/** An error answer with the protocol-shaped body of `error`. */
export interface ErrorBehaviour {
  type: 'error';
  error: UpstreamError;
  headers?: Record<string, string>;
}

/** Destroys the socket without writing anything. */
export interface DropBeforeFirstByteBehaviour {
  type: 'drop-before-first-byte';
}

/**
 * Writes the head and the stream up to `afterChunks` content events (text deltas, tool-call starts
 * and argument deltas; 0 = only the preamble such as Anthropic `message_start`), then destroys the
 * socket. A JSON answer is cut in half instead.
 */
export interface DropMidStreamBehaviour {
  type: 'drop-mid-stream';
  afterChunks: number;
}

/**
 * Like `DropMidStreamBehaviour`, but the response then ends cleanly: no closing event (`[DONE]`,
 * `message_stop`, a finish reason) and no error — an upstream that stops mid-answer as if it were
 * done. A JSON answer ends cleanly after its first half.
 */
export interface EndEarlyBehaviour {
  type: 'end-early';
  afterChunks: number;
}

/** Never answers; the socket is destroyed by `close()` or by the client. */
export interface HangBehaviour {
  type: 'hang';
}

/**
 * An error event inside a 200 stream (Anthropic `event: error`, OpenAI `data: {"error":…}`, a
 * Google error object), before any content or right after the first content event; the stream
 * then ends. A non-stream request gets the error as a status (OpenAI 500, Anthropic 529, Google 503).
 */
export interface InStreamErrorBehaviour {
  type: 'in-stream-error';
  beforeContent: boolean;
  message?: string;
}

/** The behaviours, discriminated by `type`. Build them with the functions below. */
export type Behaviour =
  | OkBehaviour
  | StatusBehaviour
  | ErrorBehaviour
  | DropBeforeFirstByteBehaviour
  | DropMidStreamBehaviour
  | EndEarlyBehaviour
  | HangBehaviour
  | InStreamErrorBehaviour;

/** A normal answer, optionally customised. */
export function ok(options: Omit<OkBehaviour, 'type'> = {}): OkBehaviour {
  return { type: 'ok', ...options };
}

/** Any status with optional headers and body, sent as given. */
export function status(
  code: number,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): StatusBehaviour {
  return { type: 'status', status: code, ...options };
}

/** 429 in the endpoint's shape: Google `RESOURCE_EXHAUSTED` with details, OpenAI error object, Anthropic `rate_limit_error`. */
export function rateLimited(options: RateLimitedOptions = {}): ErrorBehaviour {
  return { type: 'error', error: { kind: 'rate-limited', ...options } };
}

/** 500, 502, 503, 504 or 529 in the endpoint's shape (Anthropic 529 is `overloaded_error`). */
export function serverError(code: 500 | 502 | 503 | 504 | 529 = 500, message?: string): ErrorBehaviour {
  return { type: 'error', error: { kind: 'server-error', status: code, ...(message ? { message } : {}) } };
}

/** 401 in the endpoint's shape (OAuth endpoint: `invalid_client`). */
export function unauthorized(message?: string): ErrorBehaviour {
  return { type: 'error', error: { kind: 'unauthorized', ...(message ? { message } : {}) } };
}

/** 403; with `validationUrl`, Google's VALIDATION_REQUIRED shape (the URL in `ErrorInfo.metadata.validation_url`). */
export function forbidden(options: { validationUrl?: string; message?: string } = {}): ErrorBehaviour {
  return { type: 'error', error: { kind: 'forbidden', ...options } };
}

/** OAuth token endpoint: 400 `{error: "invalid_grant", error_description}`. */
export function invalidGrant(description = 'Token has been expired or revoked.'): ErrorBehaviour {
  return { type: 'error', error: { kind: 'invalid-grant', description } };
}

/** A normal answer whose head is written only after `ms`. */
export function slowFirstByte(
  ms: number,
  options: Omit<OkBehaviour, 'type' | 'firstByteDelayMs'> = {},
): OkBehaviour {
  return { type: 'ok', ...options, firstByteDelayMs: ms };
}

/** Writes `afterChunks` content events of the stream, then destroys the socket. */
export function dropMidStream(options: { afterChunks: number }): Behaviour {
  return { type: 'drop-mid-stream', afterChunks: options.afterChunks };
}

/** Writes `afterChunks` content events of the stream (or half a JSON answer), then ends cleanly as if done. */
export function endEarly(options: { afterChunks: number }): Behaviour {
  return { type: 'end-early', afterChunks: options.afterChunks };
}

/** Destroys the socket before writing anything. */
export function dropBeforeFirstByte(): Behaviour {
  return { type: 'drop-before-first-byte' };
}

/** Never answers. */
export function hang(): Behaviour {
  return { type: 'hang' };
}

/** An error event inside the stream, before any content or right after the first content event. */
export function inStreamError(options: { beforeContent: boolean; message?: string }): Behaviour {
  return { type: 'in-stream-error', ...options };
}

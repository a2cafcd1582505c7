import type { HeaderBag } from '../core/headers.js';
import type { FailureReason } from '../core/limits.js';
import { isVerificationRequired, validationUrl } from './account-verification.js';
import { bodyRetryDelay } from './body-retry-delay.js';
import { detectLimitReason, structuredReason } from './detect-limit-reason.js';
import { retryDelayFromHeaders } from './parse-retry-after-header.js';
import { rateLimitResetDelay } from './rate-limit-headers.js';
import { detailReasons, type ErrorBody, errorField, readErrorBody } from './read-error-body.js';
import { safeMessage } from './safe-message.js';

/** One failed upstream call, as the provider client saw it. */
export interface FailureInput {
  /** HTTP status; 0 when no response arrived; a 2xx when the error came inside a stream. */
  status: number;
  headers: HeaderBag;
  /** Parsed JSON, the raw text, or undefined. Any shape is accepted. */
  body: unknown;
  /** Epoch ms, to turn HTTP-dates and reset timestamps into delays. */
  now: number;
}

/** What a failure means for scheduling. */
export interface FailureClassification {
  reason: FailureReason;
  /** Delay the upstream stated (ms), from any source: retry headers, error body, reset headers. */
  retryAfterMs: number | null;
  /** False for the caller's own errors (400-class): return them as they are, never retry. */
  retryable: boolean;
  /** Short, single-line, no secrets. */
  message: string;
  /** Where the user can verify the account, when the upstream asked for verification. */
  validationUrl?: string;
  /** A 403 asking to verify the account: lock for 10 minutes, do not disable. */
  verificationRequired?: boolean;
  /** The body says "resource exhausted": a rate limit that deserves the longer 30 s lock. */
  resourceExhausted?: boolean;
}

type Verdict = Pick<FailureClassification, 'reason' | 'retryable' | 'resourceExhausted'>;

/**
 * Classifies an upstream failure (DESIGN §3):
 * - 429 (and in-stream rate-limit errors): Google ErrorInfo reasons / QuotaFailure, OpenAI
 *   `error.code`, Anthropic `error.type`, then keywords → QuotaExhausted, RateLimitExceeded or
 *   ModelCapacityExhausted;
 * - 529 and 5xx bodies saying overloaded / MODEL_CAPACITY_EXHAUSTED → ModelCapacityExhausted;
 *   a 404 naming the model (OpenAI `model_not_found`, Anthropic `not_found_error` "model: …",
 *   Google `NOT_FOUND` "models/… is not found") → ModelNotFound: that account does not serve the
 *   model, which says nothing about the account's health (another account may serve it);
 *   other 5xx, 404, 408 and no response at all → ServerError;
 * - 401, 403 → AuthError (a 403 asking for verification sets `verificationRequired` and
 *   `validationUrl`); so are 400s that reject the key itself (Google `API_KEY_INVALID`);
 * - 402 and Anthropic's "credit balance is too low" 400 → QuotaExhausted: the account, not the
 *   request, is at fault;
 * - any other 4xx → Unknown, not retryable (the caller's error).
 * A delay stated by the upstream is kept whatever the status.
 */
export function classifyFailure(input: FailureInput): FailureClassification {
  const body = readErrorBody(input.body);
  const status = effectiveStatus(input.status, body);
  const verification = status === 403 && isVerificationRequired(body);
  const verdict: Verdict = verification
    ? { reason: 'AuthError', retryable: true }
    : classifyStatus(status, body);
  const retryAfterMs =
    retryDelayFromHeaders(input.headers, input.now) ??
    bodyRetryDelay(body) ??
    (verdict.reason === 'RateLimitExceeded' ? rateLimitResetDelay(input.headers, input.now) : null);
  const classification: FailureClassification = {
    ...verdict,
    retryAfterMs,
    message: safeMessage(input.status, body.message),
  };
  if (verification) {
    classification.verificationRequired = true;
    const url = validationUrl(body);
    if (url !== undefined) classification.validationUrl = url;
  }
  return classification;
}

function classifyStatus(status: number, body: ErrorBody): Verdict {
  if (status === 404 && namesModel(body)) return { reason: 'ModelNotFound', retryable: true };
  if (status === 0 || status === 404 || status === 408) return { reason: 'ServerError', retryable: true };
  if (status === 401 || status === 403) return { reason: 'AuthError', retryable: true };
  if (status === 429) return { ...detectLimitReason(body), retryable: true };
  if (status === 529 || (status >= 500 && structuredReason(body) === 'ModelCapacityExhausted')) {
    return { reason: 'ModelCapacityExhausted', retryable: true };
  }
  if (status >= 500) return { reason: 'ServerError', retryable: true };
  if (status >= 400) return accountScopedClientError(status, body) ?? { reason: 'Unknown', retryable: false };
  return { reason: 'Unknown', retryable: true };
}

/** Whether a 404 is about the model asked for, not a wrong URL or a missing resource of another kind. */
function namesModel(body: ErrorBody): boolean {
  return errorField(body, 'code') === 'model_not_found' || body.lowerText.includes('model');
}

const REJECTED_KEY_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED']);

/** 4xx answers that blame the account (its key, its credit), so another account may succeed. */
function accountScopedClientError(status: number, body: ErrorBody): Verdict | null {
  if (detailReasons(body).some((reason) => REJECTED_KEY_REASONS.has(reason))) {
    return { reason: 'AuthError', retryable: true };
  }
  const outOfCredit =
    status === 402 ||
    errorField(body, 'type') === 'billing_error' ||
    body.lowerText.includes('credit balance is too low');
  return outOfCredit ? { reason: 'QuotaExhausted', retryable: true } : null;
}

const ANTHROPIC_TYPE_STATUS = new Map<string, number>([
  ['invalid_request_error', 400],
  ['authentication_error', 401],
  ['billing_error', 402],
  ['permission_error', 403],
  ['not_found_error', 404],
  ['request_too_large', 413],
  ['rate_limit_error', 429],
  ['api_error', 500],
  ['timeout_error', 504],
  ['overloaded_error', 529],
]);

const OPENAI_CODE_STATUS = new Map<string, number>([
  ['rate_limit_exceeded', 429],
  ['insufficient_quota', 429],
  ['server_error', 500],
]);

/**
 * The status an error stands for. Errors that arrive inside a stream come with the stream's 2xx
 * status, so their body decides: Google `error.code`, Anthropic `error.type`, OpenAI `error.code`.
 */
function effectiveStatus(status: number, body: ErrorBody): number {
  if (status >= 400 || status === 0) return status;
  const code = body.error?.['code'];
  if (typeof code === 'number' && code >= 400 && code < 600) return code;
  const type = errorField(body, 'type');
  const fromType = type === null ? undefined : ANTHROPIC_TYPE_STATUS.get(type);
  if (fromType !== undefined) return fromType;
  const openaiCode = typeof code === 'string' ? OPENAI_CODE_STATUS.get(code) : undefined;
  return openaiCode ?? status;
}

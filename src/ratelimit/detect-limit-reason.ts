import { isJsonObject } from '../core/json.js';
import { detailReasons, type ErrorBody, errorField } from './read-error-body.js';

/** Why a rate-limit style response (429, or an in-stream rate-limit error) was sent. */
export interface LimitReason {
  reason: 'QuotaExhausted' | 'RateLimitExceeded' | 'ModelCapacityExhausted';
  /** The body says "resource exhausted" (Google's generic limit wording). */
  resourceExhausted: boolean;
}

type LimitReasonName = LimitReason['reason'];

/** Google ErrorInfo `reason` (Code Assist, Gemini API). */
const GOOGLE_REASONS = new Map<string, LimitReasonName>([
  ['QUOTA_EXHAUSTED', 'QuotaExhausted'],
  ['RATE_LIMIT_EXCEEDED', 'RateLimitExceeded'],
  ['MODEL_CAPACITY_EXHAUSTED', 'ModelCapacityExhausted'],
]);

/** OpenAI `error.code` (some compatible servers put it in `error.type`). */
const OPENAI_CODES = new Map<string, LimitReasonName>([
  ['insufficient_quota', 'QuotaExhausted'],
  ['rate_limit_exceeded', 'RateLimitExceeded'],
]);

/** Anthropic `error.type`. */
const ANTHROPIC_TYPES = new Map<string, LimitReasonName>([
  ['rate_limit_error', 'RateLimitExceeded'],
  ['overloaded_error', 'ModelCapacityExhausted'],
]);

// Keyword rules on the lowercased body, first match wins. Explicit quota markers come before the
// rate-limit ones so "requests per day" is a quota, not a short rate limit.
const TEXT_RULES: readonly [readonly string[], LimitReasonName][] = [
  [
    [
      'quota_exhausted',
      'quotaresetdelay',
      'quota reset',
      'quota limit',
      'per day',
      'daily quota',
      'insufficient_quota',
    ],
    'QuotaExhausted',
  ],
  [['per minute', 'rate limit', 'rate_limit', 'ratelimit', 'too many requests'], 'RateLimitExceeded'],
  // Google's bare "Resource has been exhausted" is usually a short-term limit, not the daily quota.
  [['resource has been exhausted', 'resource_exhausted', 'resource exhausted'], 'RateLimitExceeded'],
  [['model_capacity', 'no capacity', 'overloaded'], 'ModelCapacityExhausted'],
  [['exhausted', 'quota'], 'QuotaExhausted'],
];

const RESOURCE_EXHAUSTED_MARKERS = [
  'resource has been exhausted',
  'resource_exhausted',
  'resource exhausted',
];

/**
 * Classifies a rate-limit style failure. Structured fields win over text: Google ErrorInfo
 * `reason`, Google QuotaFailure violations, OpenAI `error.code`, Anthropic `error.type`, then the
 * keyword rules. Nothing recognisable → RateLimitExceeded (a 429 says exactly that).
 */
export function detectLimitReason(body: ErrorBody): LimitReason {
  const resourceExhausted = RESOURCE_EXHAUSTED_MARKERS.some((marker) => body.lowerText.includes(marker));
  const reason = structuredReason(body) ?? textReason(body.lowerText) ?? 'RateLimitExceeded';
  return { reason, resourceExhausted };
}

/** The limit reason stated by a structured field, if any. */
export function structuredReason(body: ErrorBody): LimitReasonName | null {
  for (const reason of detailReasons(body)) {
    const mapped = GOOGLE_REASONS.get(reason);
    if (mapped !== undefined) return mapped;
  }
  const quotaFailure = quotaFailureReason(body);
  if (quotaFailure !== null) return quotaFailure;
  const code = errorField(body, 'code');
  const type = errorField(body, 'type');
  for (const table of [OPENAI_CODES, ANTHROPIC_TYPES]) {
    const mapped =
      (code !== null ? table.get(code) : undefined) ?? (type !== null ? table.get(type) : undefined);
    if (mapped !== undefined) return mapped;
  }
  return null;
}

function textReason(lowerText: string): LimitReasonName | null {
  for (const [markers, reason] of TEXT_RULES) {
    if (markers.some((marker) => lowerText.includes(marker))) return reason;
  }
  return null;
}

/**
 * Google `QuotaFailure` violations name the quota that ran out (`quotaId` such as
 * `GenerateRequestsPerMinutePerProjectPerModel-FreeTier`): a per-minute or per-second quota is a
 * short rate limit, anything else (per day, unnamed) is an exhausted quota.
 */
function quotaFailureReason(body: ErrorBody): LimitReasonName | null {
  let sawViolation = false;
  for (const detail of body.details) {
    const type = detail['@type'];
    if (typeof type !== 'string' || !type.endsWith('QuotaFailure')) continue;
    const violations = Array.isArray(detail['violations']) ? detail['violations'].filter(isJsonObject) : [];
    for (const violation of violations) {
      sawViolation = true;
      const name = [violation['quotaId'], violation['quotaMetric'], violation['description']]
        .filter((value) => typeof value === 'string')
        .join(' ')
        .toLowerCase();
      if (/per ?day|daily/.test(name)) return 'QuotaExhausted';
      if (!/per ?(minute|second)/.test(name)) return 'QuotaExhausted';
    }
  }
  return sawViolation ? 'RateLimitExceeded' : null;
}

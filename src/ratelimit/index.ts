export type { HeaderBag } from '../core/headers.js';
export {
  classifyFailure,
  type FailureClassification,
  type FailureInput,
} from './classify-failure.js';
export {
  DEFAULT_BACKOFF_STEPS,
  decideLock,
  defaultLockMs,
  GRACE_RETRY_MAX_MS,
  type LockDecision,
  type LockOptions,
} from './decide-lock.js';
export { FAILURE_COUNT_FADE_MS, nextFailureCount } from './next-failure-count.js';
export { type DurationObject, parseDuration } from './parse-duration.js';
export {
  type HeaderQuota,
  parseQuotaHeaders,
  parseRateLimitHeaders,
  type RateLimitHeaderReading,
} from './parse-quota-headers.js';
export { parseRetryAfterHeader, retryDelayFromHeaders } from './parse-retry-after-header.js';
export {
  exhaustedUntil,
  type PredictionSource,
  type PredictLimitOptions,
  predictLimit,
  type QuotaReading,
} from './predict-limit.js';
export type { HeaderFamily } from './rate-limit-headers.js';
export {
  budgetAfterCall,
  budgetAfterReading,
  budgetIsIdle,
  budgetSpentUntil,
  type CountedCall,
  EMPTY_BUDGET,
  type NumberedReading,
  type RequestBudget,
  type RequestsReading,
} from './request-budget.js';
export { isSignatureError, SIGNATURE_ERROR_PHRASES } from './signature-error.js';

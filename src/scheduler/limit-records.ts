/** What the gateway reports to the scheduler about upstream answers, and what it gets back. */
import type { RateLimitLock } from '../core/limits.js';
import type {
  FailureClassification,
  HeaderBag,
  LockDecision,
  PredictionSource,
  QuotaReading,
  RequestsReading,
} from '../ratelimit/index.js';
import type { AccountDecision } from './pick.js';

/** One failed upstream call on an account. */
export interface FailureReport {
  accountId: string;
  /** The upstream model the request was for; null when unknown. */
  model: string | null;
  /** HTTP status; 0 when no response arrived; the stream's 2xx for an error inside a stream. */
  status: number;
  headers: HeaderBag;
  /** Parsed JSON, raw text or undefined. */
  body: unknown;
  /**
   * How the attempt's account was chosen. Only a request on its sticky (or pinned) account in
   * CacheFirst may wait out a short stated delay there (see `graceRetryLimitMs`); absent: move on.
   */
  via?: AccountDecision['via'];
}

/**
 * What an answer's rate-limit headers or a quota API said is left of an account's quota for a
 * model: the input of a predicted limit (see `Scheduler.recordPredictedLimit`).
 */
export interface QuotaObservation {
  accountId: string;
  /** The model it is about; null when unknown (a predicted limit then covers the account). */
  model: string | null;
  /** The most depleted dimension; null when none had a limit and a remaining count. */
  quota: QuotaReading | null;
  source: PredictionSource;
  /** Rate-limit headers: the requests dimension's counts, for the account's request budget. */
  requests?: RequestsReading | null;
  /** Rate-limit headers: the number of the answered call (`AccountDecision.call`, `claimResend`). */
  call?: number;
}

/** What a failure meant and what was done about it. */
export interface FailureOutcome {
  classification: FailureClassification;
  /** `graceRetryMs` set: wait until the lock ends and retry the same account; otherwise rotate (or give up when not retryable). */
  decision: LockDecision;
  /** The lock that was stored; null when none (client error, circuit breaker off). */
  lock: RateLimitLock | null;
}

import type { FailureReason, RateLimitLock } from '../core/limits.js';
import type { FailureClassification } from './classify-failure.js';

/** Default QuotaExhausted backoff steps in seconds, by consecutive-failure count (DESIGN §3). */
export const DEFAULT_BACKOFF_STEPS: readonly number[] = [60, 300, 1800, 7200];

/**
 * The longest stated delay that counts as a short pause: it is not counted as a failure, and the
 * request that saw it may wait it out on the same account (see `LockOptions.graceRetryMaxMs`).
 */
export const GRACE_RETRY_MAX_MS = 2000;

const MIN_LOCK_MS = 1000;

export interface LockOptions {
  classification: FailureClassification;
  accountId: string;
  /** The model the request was for; null when unknown (the lock then covers the account). */
  model: string | null;
  /** Consecutive failures before this one (see nextFailureCount). */
  failureCount: number;
  /** QuotaExhausted backoff in seconds, indexed by failure count; the last step repeats. */
  backoffSteps: readonly number[];
  /** Upper bound of any lock, in seconds; upstream hints are not trusted beyond it. */
  maxLockSeconds: number;
  /**
   * The longest lock (ms) the request that saw the failure may wait out on the same account before
   * retrying it there (a grace retry); 0 or absent when it must move on. The scheduler allows it
   * only where losing the account costs more than the wait (CacheFirst, a sticky or pinned account).
   */
  graceRetryMaxMs?: number;
  /**
   * The active locks already stored for the account and for the model. One on the lock's own
   * scope that ends as late or later is kept: a new announcement never shortens a window an
   * earlier one announced.
   */
  stored?: { account: RateLimitLock | null; model: RateLimitLock | null };
  now: number;
}

/** What to do with the account after a failure. */
export interface LockDecision {
  /**
   * Wait this long (ms) — exactly until `lock` ends — and retry the same account; null: move on.
   * The lock still stops every other request in the meantime.
   */
  graceRetryMs: number | null;
  /** The lock to set (or the stored one that ends later, see `keepsStoredLock`), or null (client errors). */
  lock: RateLimitLock | null;
  /** True when `lock` is an active stored lock that already ends as late: nothing to store, no grace retry. */
  keepsStoredLock: boolean;
  /** Whether the failure is counted against the account (failure count, health). */
  countsAsFailure: boolean;
  /**
   * Whether the consecutive-failure count that drives the backoff steps goes up. Server and auth
   * errors count as failures but do not escalate the quota backoff; neither does a short pause.
   */
  escalatesBackoff: boolean;
}

// Limits whose short stated pause may be waited out: the account works again after it.
const GRACE_REASONS: ReadonlySet<FailureReason> = new Set([
  'QuotaExhausted',
  'RateLimitExceeded',
  'ModelCapacityExhausted',
]);

const NON_ESCALATING: ReadonlySet<FailureReason> = new Set(['ServerError', 'AuthError']);

/**
 * Decides the lock for one failure (DESIGN §3). Every retryable failure locks: no other request is
 * sent into a window the upstream announced. Scope: the model for QuotaExhausted when a model is
 * given, the whole account otherwise. Duration: the upstream's stated delay (at least 1 s; source
 * `retry-after`), else by reason (see {@link defaultLockMs}; source `backoff`); always capped at
 * `maxLockSeconds`. A stated pause of at most {@link GRACE_RETRY_MAX_MS} on a limit is not counted
 * as a failure, and may be waited out by the request that saw it (`graceRetryMaxMs`). Client errors
 * (`retryable: false`) and ModelNotFound set no lock and do not count.
 */
export function decideLock(options: LockOptions): LockDecision {
  const { classification, now } = options;
  // A model the account does not serve is a fact about the model: the account stays usable for
  // every other model, and the request moves on to another account (or the next model of a chain).
  if (!classification.retryable || classification.reason === 'ModelNotFound') {
    return {
      graceRetryMs: null,
      lock: null,
      keepsStoredLock: false,
      countsAsFailure: false,
      escalatesBackoff: false,
    };
  }
  const stated = classification.retryAfterMs;
  const wanted = stated !== null ? Math.max(stated, MIN_LOCK_MS) : defaultLockMs(options);
  const duration = Math.min(wanted, Math.max(0, options.maxLockSeconds) * 1000);
  const modelScoped = classification.reason === 'QuotaExhausted' && options.model !== null;
  const shortPause =
    stated !== null && stated > 0 && stated <= GRACE_RETRY_MAX_MS && GRACE_REASONS.has(classification.reason);
  const counts = {
    countsAsFailure: !shortPause,
    escalatesBackoff: !shortPause && !NON_ESCALATING.has(classification.reason),
  };
  const stored = modelScoped ? options.stored?.model : options.stored?.account;
  if (stored && stored.until > now && stored.until >= now + duration) {
    return { graceRetryMs: null, lock: stored, keepsStoredLock: true, ...counts };
  }
  const graceAllowed = shortPause && duration > 0 && duration <= (options.graceRetryMaxMs ?? 0);
  return {
    graceRetryMs: graceAllowed ? duration : null,
    lock: {
      accountId: options.accountId,
      scope: modelScoped ? 'model' : 'account',
      model: modelScoped ? options.model : null,
      reason: classification.reason,
      source: stated !== null ? 'retry-after' : 'backoff',
      until: now + duration,
      detectedAt: now,
      message: classification.message,
    },
    keepsStoredLock: false,
    ...counts,
  };
}

/**
 * Lock length in ms when the upstream stated none: QuotaExhausted → the backoff step for the
 * failure count (no silent cap; an empty list falls back to the defaults); RateLimitExceeded 5 s, or
 * 30 s when the body said "resource exhausted"; ModelCapacityExhausted 5/10/15 s by failure count;
 * ServerError 8 s; AuthError 600 s when verification is required, else 60 s; Unknown 60 s.
 */
export function defaultLockMs(
  options: Pick<LockOptions, 'classification' | 'failureCount' | 'backoffSteps'>,
): number {
  const { classification } = options;
  const failureCount = Math.max(0, Math.floor(options.failureCount));
  switch (classification.reason) {
    case 'QuotaExhausted': {
      const steps = options.backoffSteps.length > 0 ? options.backoffSteps : DEFAULT_BACKOFF_STEPS;
      return (steps[Math.min(failureCount, steps.length - 1)] ?? 0) * 1000;
    }
    case 'RateLimitExceeded':
      return classification.resourceExhausted ? 30_000 : 5_000;
    case 'ModelCapacityExhausted':
      return [5_000, 10_000, 15_000][Math.min(failureCount, 2)] ?? 15_000;
    case 'ServerError':
      return 8_000;
    case 'AuthError':
      return classification.verificationRequired ? 600_000 : 60_000;
    case 'ModelNotFound':
      return 0;
    case 'Unknown':
      return 60_000;
  }
}

import type { FailureReason, LockSource, RateLimitLock } from '../core/limits.js';

/** Where a predicted limit was read: an answer's rate-limit headers, or a provider's quota API. */
export type PredictionSource = Extract<LockSource, 'rate-limit-headers' | 'quota-api'>;

/** One observation of what is left of an account's quota (`HeaderQuota`, `ModelQuota`, a quota reading). */
export interface QuotaReading {
  /** Remaining share, 0..1. */
  remainingFraction: number;
  /** When it is replenished (epoch ms), when stated. */
  resetAt: number | null;
}

/**
 * Until when `quota` says the account is out: its reset time when nothing is left and the reset
 * is still ahead; null otherwise (something left, no reset stated, or the reset has passed — then
 * the quota counts as replenished, as quota protection judges it too).
 */
export function exhaustedUntil(quota: QuotaReading, now: number): number | null {
  if (quota.remainingFraction > 0 || quota.resetAt === null || quota.resetAt <= now) return null;
  return quota.resetAt;
}

export interface PredictLimitOptions {
  accountId: string;
  /** The model the observation is about; null when unknown (the lock then covers the account). */
  model: string | null;
  /** Until when the account is out (epoch ms): see `exhaustedUntil` and `budgetSpentUntil`. */
  until: number;
  source: PredictionSource;
  /** Why: nothing left per the upstream, or the calls in flight use what it said was left. */
  cause: 'exhausted' | 'in-flight';
  /** Upper bound of any lock, in seconds. */
  maxLockSeconds: number;
  /** The active lock already stored for the same account and model (same scope), if any. */
  existing: RateLimitLock | null;
  now: number;
}

const REASONS: Record<PredictionSource, FailureReason> = {
  // The next call would be refused with a rate-limit error until the window resets.
  'rate-limit-headers': 'RateLimitExceeded',
  'quota-api': 'QuotaExhausted',
};

const MESSAGES: Record<PredictionSource, string> = {
  'rate-limit-headers': 'Predicted: the rate-limit headers say nothing is left until the reset',
  'quota-api': 'Predicted: the quota API reports nothing left until the reset',
};

const IN_FLIGHT_MESSAGE =
  'Predicted: the calls in flight use the requests the rate-limit headers said were left, until the reset';

/**
 * The predicted-limit lock (DESIGN §3): the account is unavailable for the model (the whole account
 * when the model is unknown) until `until`, capped at `maxLockSeconds`. Null when that is not ahead,
 * or when the lock already stored for the same scope ends as late or later — a prediction never
 * shortens a lock an upstream announced.
 */
export function predictLimit(options: PredictLimitOptions): RateLimitLock | null {
  const { now, model } = options;
  const until = Math.min(options.until, now + Math.max(0, options.maxLockSeconds) * 1000);
  if (until <= now || (options.existing !== null && options.existing.until >= until)) return null;
  return {
    accountId: options.accountId,
    scope: model === null ? 'account' : 'model',
    model,
    reason: REASONS[options.source],
    source: options.source,
    until,
    detectedAt: now,
    message: options.cause === 'in-flight' ? IN_FLIGHT_MESSAGE : MESSAGES[options.source],
  };
}

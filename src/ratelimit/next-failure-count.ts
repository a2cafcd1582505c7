import type { FailureCount } from '../core/limits.js';

/** Consecutive-failure counts are forgotten after this long without a failure. */
export const FAILURE_COUNT_FADE_MS = 3_600_000;

/**
 * The consecutive-failure count to use for the failure happening at `now` (the `failureCount` of
 * decideLock): the stored count, or 0 when there is none or the last failure is an hour or more
 * old. The caller stores `{count: result + 1, lastFailureAt: now}` when the failure escalates.
 */
export function nextFailureCount(previous: FailureCount | undefined, now: number): number {
  if (previous === undefined) return 0;
  if (now - previous.lastFailureAt >= FAILURE_COUNT_FADE_MS) return 0;
  return Math.max(0, previous.count);
}

import { describe, expect, it } from 'vitest';
import type { FailureReason } from '../core/limits.js';
import type { FailureClassification } from './classify-failure.js';
import { DEFAULT_BACKOFF_STEPS, decideLock, type LockOptions } from './decide-lock.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function classification(
  reason: FailureReason,
  extra: Partial<FailureClassification> = {},
): FailureClassification {
  return { reason, retryAfterMs: null, retryable: true, message: `upstream ${reason}`, ...extra };
}

function options(overrides: Partial<LockOptions>): LockOptions {
  return {
    classification: classification('Unknown'),
    accountId: 'acc-1',
    model: 'gemini-3-pro',
    failureCount: 0,
    backoffSteps: DEFAULT_BACKOFF_STEPS,
    maxLockSeconds: 86_400,
    now: NOW,
    ...overrides,
  };
}

/** Lock length in ms, or null when no lock is set. */
function lockMs(overrides: Partial<LockOptions>): number | null {
  const { lock } = decideLock(options(overrides));
  return lock === null ? null : lock.until - lock.detectedAt;
}

describe('decideLock duration without an upstream delay', () => {
  it.each<[string, Partial<LockOptions>, number]>([
    ['quota, 1st failure: first backoff step', { classification: classification('QuotaExhausted') }, 60_000],
    ['quota, 2nd failure', { classification: classification('QuotaExhausted'), failureCount: 1 }, 300_000],
    ['quota, 3rd failure', { classification: classification('QuotaExhausted'), failureCount: 2 }, 1_800_000],
    ['quota, 4th failure', { classification: classification('QuotaExhausted'), failureCount: 3 }, 7_200_000],
    [
      'quota, past the last step: the last step repeats',
      { classification: classification('QuotaExhausted'), failureCount: 9 },
      7_200_000,
    ],
    [
      'quota, custom steps',
      { classification: classification('QuotaExhausted'), failureCount: 1, backoffSteps: [10, 20] },
      20_000,
    ],
    [
      'quota, a long configured step is honoured (no silent 300 s cap)',
      { classification: classification('QuotaExhausted'), backoffSteps: [7_200], maxLockSeconds: 86_400 },
      7_200_000,
    ],
    [
      'quota, an empty step list falls back to the defaults',
      { classification: classification('QuotaExhausted'), backoffSteps: [] },
      60_000,
    ],
    ['rate limit: 5 s', { classification: classification('RateLimitExceeded') }, 5_000],
    [
      'rate limit with "resource exhausted": 30 s',
      { classification: classification('RateLimitExceeded', { resourceExhausted: true }) },
      30_000,
    ],
    ['capacity, 1st failure: 5 s', { classification: classification('ModelCapacityExhausted') }, 5_000],
    [
      'capacity, 2nd failure: 10 s',
      { classification: classification('ModelCapacityExhausted'), failureCount: 1 },
      10_000,
    ],
    [
      'capacity, 3rd failure: 15 s',
      { classification: classification('ModelCapacityExhausted'), failureCount: 2 },
      15_000,
    ],
    [
      'capacity, later failures stay at 15 s',
      { classification: classification('ModelCapacityExhausted'), failureCount: 8 },
      15_000,
    ],
    ['server error: 8 s', { classification: classification('ServerError'), failureCount: 3 }, 8_000],
    [
      'verification required: 10 minutes',
      { classification: classification('AuthError', { verificationRequired: true }) },
      600_000,
    ],
    ['other auth error: 60 s', { classification: classification('AuthError') }, 60_000],
    ['unknown retryable failure: 60 s', { classification: classification('Unknown') }, 60_000],
    [
      'defaults are capped too',
      { classification: classification('QuotaExhausted'), backoffSteps: [7_200], maxLockSeconds: 1_800 },
      1_800_000,
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(lockMs(overrides)).toBe(expected);
  });
});

describe('decideLock with an upstream delay', () => {
  it.each<[string, Partial<LockOptions>, number]>([
    [
      'the stated delay replaces the backoff step',
      { classification: classification('QuotaExhausted', { retryAfterMs: 9_365_871 }), failureCount: 3 },
      9_365_871,
    ],
    [
      'a huge upstream hint is capped at maxLockSeconds',
      {
        classification: classification('QuotaExhausted', { retryAfterMs: 581_981_301 }),
        maxLockSeconds: 3_600,
      },
      3_600_000,
    ],
    [
      'a delay at the grace bound: locked for the stated delay',
      { classification: classification('RateLimitExceeded', { retryAfterMs: 2_000 }) },
      2_000,
    ],
    [
      'just above the grace window: locked for the stated delay',
      { classification: classification('RateLimitExceeded', { retryAfterMs: 2_001 }) },
      2_001,
    ],
    [
      'a short delay on a server error is floored at 1 s',
      { classification: classification('ServerError', { retryAfterMs: 300 }) },
      1_000,
    ],
    [
      'a short delay on an auth error locks, no grace',
      { classification: classification('AuthError', { retryAfterMs: 1_500 }) },
      1_500,
    ],
    [
      'the stated delay wins over the verification default',
      { classification: classification('AuthError', { verificationRequired: true, retryAfterMs: 30_000 }) },
      30_000,
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(lockMs(overrides)).toBe(expected);
  });

  it.each<[FailureReason, number, number]>([
    ['RateLimitExceeded', 500, 1_000],
    ['RateLimitExceeded', 2_000, 2_000],
    ['QuotaExhausted', 1_000, 1_000],
    ['ModelCapacityExhausted', 1, 1_000],
  ])(
    '%s with a %d ms delay: locked for %d ms all the same, not counted as a failure',
    (reason, delay, lockFor) => {
      const decision = decideLock(
        options({ classification: classification(reason, { retryAfterMs: delay }) }),
      );
      expect(decision.lock).toMatchObject({ until: NOW + lockFor, source: 'retry-after', reason });
      expect(decision).toMatchObject({ graceRetryMs: null, countsAsFailure: false, escalatesBackoff: false });
    },
  );

  it('a stated delay of 0 locks for the 1 s floor and is stated, not guessed', () => {
    const decision = decideLock(
      options({ classification: classification('RateLimitExceeded', { retryAfterMs: 0 }) }),
    );
    expect(decision.lock).toMatchObject({ until: NOW + 1_000, source: 'retry-after' });
    expect(decision.graceRetryMs).toBeNull();
  });
});

describe('decideLock grace retry', () => {
  const limited = (retryAfterMs: number, reason: FailureReason = 'RateLimitExceeded') =>
    classification(reason, { retryAfterMs });

  it('lets the request wait exactly until its own lock ends when the caller allows that long', () => {
    const decision = decideLock(options({ classification: limited(1_500), graceRetryMaxMs: 2_000 }));
    expect(decision.graceRetryMs).toBe(1_500);
    expect(decision.lock?.until).toBe(NOW + decision.graceRetryMs!);
  });

  it('waits for the 1 s floor of the lock, not the shorter stated delay', () => {
    expect(decideLock(options({ classification: limited(300), graceRetryMaxMs: 2_000 })).graceRetryMs).toBe(
      1_000,
    );
  });

  it.each<[string, Partial<LockOptions>]>([
    ['the caller allows no wait (Balance, PerformanceFirst, not sticky)', { classification: limited(500) }],
    ['the caller allows less than the lock', { classification: limited(1_500), graceRetryMaxMs: 1_000 }],
    ['the delay is longer than a short pause', { classification: limited(2_500), graceRetryMaxMs: 60_000 }],
    ['a server error', { classification: limited(500, 'ServerError'), graceRetryMaxMs: 2_000 }],
    ['an auth error', { classification: limited(500, 'AuthError'), graceRetryMaxMs: 2_000 }],
    ['no stated delay', { classification: classification('RateLimitExceeded'), graceRetryMaxMs: 60_000 }],
  ])('no grace retry when %s', (_name, overrides) => {
    const decision = decideLock(options(overrides));
    expect(decision.graceRetryMs).toBeNull();
    expect(decision.lock).not.toBeNull();
  });
});

describe('decideLock scope and bookkeeping', () => {
  it('locks only the model for an exhausted quota when the model is known', () => {
    const decision = decideLock(
      options({ classification: classification('QuotaExhausted'), model: 'gemini-3-pro' }),
    );
    expect(decision).toEqual({
      graceRetryMs: null,
      lock: {
        accountId: 'acc-1',
        scope: 'model',
        model: 'gemini-3-pro',
        reason: 'QuotaExhausted',
        source: 'backoff',
        until: NOW + 60_000,
        detectedAt: NOW,
        message: 'upstream QuotaExhausted',
      },
      keepsStoredLock: false,
      countsAsFailure: true,
      escalatesBackoff: true,
    });
  });

  it('locks the whole account for an exhausted quota without a model', () => {
    const { lock } = decideLock(options({ classification: classification('QuotaExhausted'), model: null }));
    expect(lock).toMatchObject({ scope: 'account', model: null });
  });

  it.each<FailureReason>([
    'RateLimitExceeded',
    'ModelCapacityExhausted',
    'ServerError',
    'AuthError',
    'Unknown',
  ])('%s locks the whole account even with a model', (reason) => {
    const { lock } = decideLock(options({ classification: classification(reason), model: 'gpt-4o' }));
    expect(lock).toMatchObject({ scope: 'account', model: null, reason });
  });

  it.each<[FailureReason, boolean]>([
    ['QuotaExhausted', true],
    ['RateLimitExceeded', true],
    ['ModelCapacityExhausted', true],
    ['Unknown', true],
    ['ServerError', false],
    ['AuthError', false],
  ])('%s counts as a failure; escalates the backoff: %s', (reason, escalates) => {
    const decision = decideLock(options({ classification: classification(reason) }));
    expect(decision.countsAsFailure).toBe(true);
    expect(decision.escalatesBackoff).toBe(escalates);
  });

  it('a client error (not retryable) sets no lock and does not count, even with a delay', () => {
    const clientError = classification('Unknown', { retryable: false, retryAfterMs: 9_000 });
    expect(decideLock(options({ classification: clientError }))).toEqual({
      graceRetryMs: null,
      lock: null,
      keepsStoredLock: false,
      countsAsFailure: false,
      escalatesBackoff: false,
    });
  });
});

describe('decideLock with a lock already stored', () => {
  const stored = (until: number, scope: 'account' | 'model' = 'account') => ({
    accountId: 'acc-1',
    scope,
    model: scope === 'model' ? 'gemini-3-pro' : null,
    reason: 'RateLimitExceeded' as const,
    source: 'retry-after' as const,
    until,
    detectedAt: NOW - 500,
    message: null,
  });
  const limited = classification('RateLimitExceeded', { retryAfterMs: 1_000 });

  it('keeps a stored lock on the same scope that ends later: a new announcement never shortens a window', () => {
    const longer = stored(NOW + 3_000);
    const decision = decideLock(
      options({ classification: limited, graceRetryMaxMs: 2_000, stored: { account: longer, model: null } }),
    );
    expect(decision).toMatchObject({ lock: longer, keepsStoredLock: true, graceRetryMs: null });
  });

  it('replaces a stored lock that ends earlier, and ignores locks of the other scope', () => {
    const decision = decideLock(
      options({
        classification: limited,
        stored: { account: stored(NOW + 500), model: stored(NOW + 60_000, 'model') },
      }),
    );
    expect(decision).toMatchObject({
      keepsStoredLock: false,
      lock: { scope: 'account', until: NOW + 1_000 },
    });
  });
});

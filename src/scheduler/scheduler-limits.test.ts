import { afterEach, describe, expect, it } from 'vitest';
import type { FakeClock } from '../core/clock.js';
import type { RateLimitLock } from '../core/limits.js';
import type { FailureReport } from './limit-records.js';
import type { SchedulingConfig } from './pick.js';
import { closeHarnesses, harness, lockFor, MODEL, request } from './scheduler-harness.js';

const QUOTA_BODY = { error: { code: 'insufficient_quota', message: 'You exceeded your current quota.' } };

afterEach(closeHarnesses);

describe('Scheduler.recordFailure and recordSuccess', () => {
  it('locks the model on quota exhaustion, escalating through the backoff steps', async () => {
    const { limits, store, clock } = await harness();
    const report = { accountId: 'a', model: MODEL, status: 429, headers: {}, body: QUOTA_BODY };
    const first = await limits.recordFailure(report);
    expect(first.classification.reason).toBe('QuotaExhausted');
    expect(first.lock).toMatchObject({ scope: 'model', model: MODEL, until: clock.now() + 60_000 });
    expect((await store.getLocks('a', MODEL)).model).toEqual(first.lock);
    expect((await store.getFailureCount('a'))?.count).toBe(1);
    const second = await limits.recordFailure(report);
    expect(second.lock?.until).toBe(clock.now() + 300_000);
  });

  it('does not silently cap a configured backoff step', async () => {
    const { limits, store, clock } = await harness();
    await store.incrementFailureCount('a');
    await store.incrementFailureCount('a');
    const outcome = await limits.recordFailure({
      accountId: 'a',
      model: MODEL,
      status: 429,
      headers: {},
      body: QUOTA_BODY,
    });
    expect(outcome.lock?.until).toBe(clock.now() + 1_800_000);
  });

  const shortPause = {
    accountId: 'a',
    model: MODEL,
    status: 429,
    headers: { 'retry-after': '1' },
    body: { error: { message: 'Rate limit reached' } },
  };

  it.each<[string, SchedulingConfig['mode'], FailureReport['via'] | undefined]>([
    ['Balance, sticky', 'Balance', 'sticky'],
    ['PerformanceFirst', 'PerformanceFirst', 'round-robin'],
    ['CacheFirst, a new conversation (round robin)', 'CacheFirst', 'round-robin'],
    ['CacheFirst, no account choice reported', 'CacheFirst', undefined],
  ])('locks for a short stated pause and rotates: %s', async (_name, mode, via) => {
    const { limits, store, clock } = await harness({ scheduling: { mode } });
    const outcome = await limits.recordFailure({ ...shortPause, ...(via ? { via } : {}) });
    expect(outcome.decision.graceRetryMs).toBeNull();
    expect(outcome.lock).toMatchObject({
      scope: 'account',
      source: 'retry-after',
      until: clock.now() + 1000,
    });
    expect(await store.listLocks()).toEqual([outcome.lock]);
  });

  it.each<FailureReport['via']>(['sticky', 'fixed'])(
    'CacheFirst lets the %s request wait out the short pause, its lock still stopping every other request',
    async (via) => {
      const { scheduler, limits, clock } = await harness({ scheduling: { mode: 'CacheFirst' } });
      const outcome = await limits.recordFailure({ ...shortPause, via });
      expect(outcome.decision.graceRetryMs).toBe(1000);
      expect(outcome.lock?.until).toBe(clock.now() + 1000);
      const other = await scheduler.select(request({ sessionId: 'someone-else' }));
      expect(other).toMatchObject({ kind: 'account' });
      expect(other.kind === 'account' && other.accountId).not.toBe('a');
    },
  );

  it('keeps a longer lock the account already has instead of shortening it', async () => {
    const { limits, store, clock } = await harness();
    const longer = { ...lockFor('a', null, clock.now() + 30_000), source: 'retry-after' as const };
    await store.setLock(longer);
    const outcome = await limits.recordFailure(shortPause);
    expect(outcome.lock).toEqual(longer);
    expect(await store.listLocks()).toEqual([longer]);
  });

  it('CacheFirst grants no grace retry beyond max_wait_seconds', async () => {
    const { limits } = await harness({ scheduling: { mode: 'CacheFirst', maxWaitSeconds: 0 } });
    expect((await limits.recordFailure({ ...shortPause, via: 'sticky' })).decision.graceRetryMs).toBeNull();
  });

  it('locks the whole account on a server error without escalating the failure count', async () => {
    const { limits, store, clock } = await harness();
    const outcome = await limits.recordFailure({
      accountId: 'a',
      model: MODEL,
      status: 500,
      headers: {},
      body: '',
    });
    expect(outcome.lock).toMatchObject({ scope: 'account', model: null, until: clock.now() + 8_000 });
    expect(await store.getFailureCount('a')).toBeNull();
  });

  it('neither locks nor counts when the circuit breaker is off, but still classifies', async () => {
    const { limits, store } = await harness({ breakerEnabled: false });
    const outcome = await limits.recordFailure({
      accountId: 'a',
      model: MODEL,
      status: 429,
      headers: {},
      body: QUOTA_BODY,
    });
    expect(outcome.classification.reason).toBe('QuotaExhausted');
    expect(outcome.lock).toBeNull();
    expect(await store.listLocks()).toEqual([]);
    expect(await store.getFailureCount('a')).toBeNull();
  });

  it('a success clears the failure count and a guessed account-level lock but keeps model locks', async () => {
    const { limits, store, clock } = await harness();
    await store.incrementFailureCount('a');
    await store.setLock(lockFor('a', null, clock.now() + 60_000));
    await store.setLock(lockFor('a', MODEL, clock.now() + 60_000));
    await limits.recordSuccess({ accountId: 'a', model: 'other-model' });
    expect(await store.getFailureCount('a')).toBeNull();
    expect(await store.getLocks('a', MODEL)).toMatchObject({ account: null, model: { model: MODEL } });
  });

  it.each<RateLimitLock['source']>(['retry-after', 'rate-limit-headers', 'quota-api'])(
    'a success does not lift an account-level lock whose end the upstream announced (%s)',
    async (source) => {
      const { limits, store, clock } = await harness();
      const announced = { ...lockFor('a', null, clock.now() + 60_000), source };
      await store.setLock(announced);
      await limits.recordSuccess({ accountId: 'a', model: MODEL });
      expect((await store.getLocks('a', MODEL)).account).toEqual(announced);
    },
  );
});

describe('Scheduler.recordPredictedLimit', () => {
  const exhausted = (resetInMs: number, clock: FakeClock) => ({
    accountId: 'a',
    model: MODEL,
    quota: { remainingFraction: 0, resetAt: clock.now() + resetInMs },
    source: 'rate-limit-headers' as const,
  });

  it('locks the model until the reset, so the next pick and a bound session move elsewhere', async () => {
    const { scheduler, limits, store, clock } = await harness();
    await store.setBinding('s', 'a');
    const lock = await limits.recordPredictedLimit(exhausted(5_000, clock));
    expect(lock).toMatchObject({
      scope: 'model',
      model: MODEL,
      source: 'rate-limit-headers',
      until: clock.now() + 5_000,
    });
    expect(await store.listLocks()).toEqual([lock]);
    const moved = await scheduler.select(request({ sessionId: 's' }));
    expect(moved).toMatchObject({ kind: 'account', unbind: true });
    expect(moved.kind === 'account' && moved.accountId).not.toBe('a');
  });

  it('makes a CacheFirst conversation wait for its account when the reset is within max_wait_seconds', async () => {
    const { scheduler, limits, store, clock } = await harness({ scheduling: { mode: 'CacheFirst' } });
    await store.setBinding('s', 'a');
    await limits.recordPredictedLimit({ ...exhausted(1_500, clock), source: 'quota-api' });
    expect(await scheduler.select(request({ sessionId: 's' }))).toEqual({
      kind: 'wait',
      accountId: 'a',
      waitMs: 1_500,
    });
  });

  it('records nothing when something is left, and never shortens a lock on the same scope', async () => {
    const { limits, store, clock } = await harness();
    const left = {
      ...exhausted(1_500, clock),
      quota: { remainingFraction: 0.1, resetAt: clock.now() + 1_500 },
    };
    expect(await limits.recordPredictedLimit(left)).toBeNull();
    const longer = { ...lockFor('a', MODEL, clock.now() + 30_000), source: 'retry-after' as const };
    await store.setLock(longer);
    expect(await limits.recordPredictedLimit(exhausted(1_500, clock))).toBeNull();
    expect(await store.listLocks()).toEqual([longer]);
  });

  it('records nothing while the circuit breaker is off', async () => {
    const { limits, store, clock } = await harness({ breakerEnabled: false });
    expect(await limits.recordPredictedLimit(exhausted(1_500, clock))).toBeNull();
    expect(await store.listLocks()).toEqual([]);
  });

  it('counts the calls it lets go against the requests an answer said were left', async () => {
    const { scheduler, limits, store, clock } = await harness({ ids: ['a', 'b'] });
    await store.setBinding('s', 'a');
    const resetAt = clock.now() + 5_000;
    const reading = (remaining: number, call: number) =>
      limits.recordPredictedLimit({
        accountId: 'a',
        model: MODEL,
        quota: { remainingFraction: remaining / 10, resetAt },
        requests: { remaining, limit: 10, resetAt },
        call,
        source: 'rate-limit-headers',
      });
    const calls: number[] = [];
    for (const _ of [1, 2, 3]) {
      const decision = await scheduler.select(request({ sessionId: 's' }));
      if (decision.kind !== 'account') throw new Error('expected an account');
      calls.push(decision.call!);
      if (calls.length === 1) expect(await reading(5, decision.call!)).toBeNull();
    }
    expect(calls[1]).toBeGreaterThan(calls[0]!);
    // The second call's answer says one request is left: the third call, in flight, uses it.
    const lock = await reading(1, calls[1]!);
    expect(lock).toMatchObject({
      scope: 'model',
      until: resetAt,
      message: expect.stringMatching(/in flight/),
    });
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({
      accountId: 'b',
      unbind: true,
    });
  });

  it('locks when a call spends the last request an answer said was left', async () => {
    const { scheduler, limits, store, clock } = await harness({ ids: ['a', 'b'] });
    await store.setBinding('s', 'a');
    const first = await scheduler.select(request({ sessionId: 's' }));
    const resetAt = clock.now() + 5_000;
    await limits.recordPredictedLimit({
      accountId: 'a',
      model: MODEL,
      quota: null,
      requests: { remaining: 1, limit: 10, resetAt },
      call: first.kind === 'account' ? first.call! : 0,
      source: 'rate-limit-headers',
    });
    expect(await store.listLocks()).toEqual([]);
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({ accountId: 'a' });
    expect(await store.listLocks()).toEqual([expect.objectContaining({ accountId: 'a', until: resetAt })]);
  });

  it('lifts the lock the calls in flight caused once a fresher answer leaves room for them', async () => {
    const { scheduler, limits, store, clock } = await harness({ ids: ['a', 'b'] });
    await store.setBinding('s', 'a');
    const resetAt = clock.now() + 5_000;
    const reading = (remaining: number, call: number) =>
      limits.recordPredictedLimit({
        accountId: 'a',
        model: MODEL,
        quota: null,
        requests: { remaining, limit: 10, resetAt },
        call,
        source: 'rate-limit-headers',
      });
    const call = async () => {
      const decision = await scheduler.select(request({ sessionId: 's' }));
      if (decision.kind !== 'account' || decision.accountId !== 'a') throw new Error('expected account a');
      return decision.call!;
    };
    await reading(1, await call());
    const inFlight = await call();
    expect((await store.getLocks('a', MODEL)).model).toMatchObject({ until: resetAt });
    // That call's answer: a slot freed meanwhile, 3 left and nothing sent since.
    expect(await reading(3, inFlight)).toBeNull();
    expect(await store.listLocks()).toEqual([]);
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({
      accountId: 'a',
      via: 'sticky',
    });
  });

  it('clearing the locks also forgets what the budgets knew, so the next call does not lock again', async () => {
    const { scheduler, limits, store, clock } = await harness({ ids: ['a'] });
    const first = await scheduler.select(request());
    const resetAt = clock.now() + 20_000;
    const lock = await limits.recordPredictedLimit({
      accountId: 'a',
      model: MODEL,
      quota: null,
      requests: { remaining: 0, limit: 10, resetAt },
      call: first.kind === 'account' ? first.call! : 0,
      source: 'rate-limit-headers',
    });
    expect(lock?.message).toMatch(/nothing is left/);
    expect(await limits.clearLocks('a')).toBe(1);
    expect(await scheduler.select(request())).toMatchObject({ kind: 'account', accountId: 'a' });
    expect(await store.listLocks()).toEqual([]);
  });

  it('lets a resend go only to an account that is not locked, and counts it', async () => {
    const { limits, store, clock } = await harness();
    const call = await limits.claimResend('a', MODEL);
    expect(call).toEqual(expect.any(Number));
    await store.setLock({ ...lockFor('a', null, clock.now() + 1_000), source: 'retry-after' });
    expect(await limits.claimResend('a', MODEL)).toBeNull();
    expect(await limits.claimResend('b', MODEL)).toBeGreaterThan(call!);
  });

  it('a success does not lift it', async () => {
    const { limits, store, clock } = await harness();
    const lock = await limits.recordPredictedLimit({ ...exhausted(1_500, clock), model: null });
    await limits.recordSuccess({ accountId: 'a', model: MODEL });
    expect(await store.listLocks()).toEqual([lock]);
  });
});

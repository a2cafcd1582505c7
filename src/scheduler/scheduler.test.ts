import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAccountPool } from '../core/account-pool.js';
import { FakeClock } from '../core/clock.js';
import type { RateLimitLock } from '../core/limits.js';
import { isSynchronousSchedulingState, MemoryStateStore } from '../state/memory-state-store.js';
import type { StateStore } from '../state/state-store.js';
import type { FailureReport } from './limit-records.js';
import type { PickRequest, SchedulingConfig } from './pick.js';
import { DEFAULT_WINDOW_MS } from './pick.js';
import type { SchedulerConfig } from './scheduler.js';
import { Scheduler } from './scheduler.js';
import { testAccount } from './test-account.js';

const MODEL = 'model-x';
const QUOTA_BODY = { error: { code: 'insufficient_quota', message: 'You exceeded your current quota.' } };

interface Harness {
  scheduler: Scheduler;
  store: MemoryStateStore;
  pool: MemoryAccountPool;
  clock: FakeClock;
  config: SchedulerConfig;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) {
    await harness.scheduler.close();
    await harness.store.close();
  }
});

async function harness(
  options: { ids?: string[]; scheduling?: Partial<SchedulingConfig>; breakerEnabled?: boolean } = {},
): Promise<Harness> {
  const clock = new FakeClock();
  const pool = new MemoryAccountPool((options.ids ?? ['a', 'b', 'c']).map((id) => testAccount(id)));
  const store = await MemoryStateStore.create({ clock });
  const config: SchedulerConfig = {
    scheduling: {
      mode: 'Balance',
      maxWaitSeconds: 60,
      quotaProtection: { enabled: false, thresholdPercentage: 10, monitoredModels: [] },
      windowMs: DEFAULT_WINDOW_MS,
      ...options.scheduling,
    },
    circuitBreaker: {
      enabled: options.breakerEnabled ?? true,
      backoffSteps: [60, 300, 1800, 7200],
      maxLockSeconds: 86_400,
    },
  };
  const scheduler = new Scheduler({ pool, store, clock, config: () => config });
  const created = { scheduler, store, pool, clock, config };
  open.push(created);
  return created;
}

function request(overrides: Partial<PickRequest> = {}): PickRequest {
  return { sessionId: null, model: MODEL, attempted: new Set(), forceRotate: false, ...overrides };
}

async function pickedIds(scheduler: Scheduler, requests: PickRequest[]): Promise<(string | null)[]> {
  const result: (string | null)[] = [];
  for (const next of requests) {
    const decision = await scheduler.select(next);
    result.push(decision.kind === 'account' ? decision.accountId : null);
  }
  return result;
}

function lockFor(accountId: string, model: string | null, until: number): RateLimitLock {
  return {
    accountId,
    scope: model ? 'model' : 'account',
    model,
    reason: 'Unknown',
    source: 'backoff',
    until,
    detectedAt: 0,
    message: null,
  };
}

describe('Scheduler.select', () => {
  it('binds a new session on its round-robin pick and keeps it there on later turns', async () => {
    const { scheduler, store } = await harness({ scheduling: { windowMs: 0 } });
    await scheduler.select(request());
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({
      accountId: 'b',
      via: 'round-robin',
      bind: true,
    });
    expect(await store.getBinding('s')).toBe('b');
    expect(await pickedIds(scheduler, [request({ sessionId: 's' }), request({ sessionId: 's' })])).toEqual([
      'b',
      'b',
    ]);
  });

  it('re-binds the session to the new account on a forced rotation', async () => {
    const { scheduler, store } = await harness();
    await store.setBinding('s', 'a');
    const decision = await scheduler.select(
      request({ sessionId: 's', forceRotate: true, attempted: new Set(['a']) }),
    );
    expect(decision).toMatchObject({ kind: 'account', via: 'round-robin', bind: true });
    expect(decision.kind === 'account' && decision.accountId).not.toBe('a');
    expect(await store.getBinding('s')).toBe(decision.kind === 'account' ? decision.accountId : null);
  });

  it('drops the binding of a limited account and binds the session to its replacement', async () => {
    const { scheduler, store, clock } = await harness();
    await store.setBinding('s', 'a');
    await store.setLock(lockFor('a', MODEL, clock.now() + 60_000));
    const decision = await scheduler.select(request({ sessionId: 's' }));
    expect(decision).toMatchObject({ kind: 'account', unbind: true, bind: true });
    expect(await store.getBinding('s')).not.toBe('a');
  });

  it('reuses the last-used account for 60 s from the pick, then moves on', async () => {
    const { scheduler, clock, store } = await harness();
    expect(await pickedIds(scheduler, [request(), request(), request()])).toEqual(['a', 'a', 'a']);
    expect(await store.getLastUsed()).toEqual({ accountId: 'a', at: clock.now() });
    await clock.advance(DEFAULT_WINDOW_MS - 1);
    expect(await pickedIds(scheduler, [request()])).toEqual(['a']);
    await clock.advance(1);
    expect(await scheduler.select(request())).toMatchObject({ via: 'round-robin', setLastUsed: true });
  });

  it('gives concurrent requests different round-robin positions', async () => {
    const { scheduler } = await harness({ scheduling: { mode: 'PerformanceFirst' } });
    const decisions = await Promise.all([1, 2, 3].map(() => scheduler.select(request())));
    expect(
      new Set(decisions.map((decision) => (decision.kind === 'account' ? decision.accountId : null))),
    ).toEqual(new Set(['a', 'b', 'c']));
  });

  it('moves the counter past skipped accounts so the next request does not land on the same one', async () => {
    const { scheduler, store, clock } = await harness({ scheduling: { mode: 'PerformanceFirst' } });
    await store.setLock(lockFor('b', null, clock.now() + 60_000));
    const requests = Array.from({ length: 6 }, () => request());
    expect(await pickedIds(scheduler, requests)).toEqual(['a', 'c', 'a', 'c', 'a', 'c']);
  });

  it('applies a configuration change on the next call', async () => {
    const { scheduler, store, config } = await harness();
    config.scheduling = { ...config.scheduling, mode: 'PerformanceFirst' };
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({ bind: false });
    expect(await store.getBinding('s')).toBeNull();
  });

  it('returns a CacheFirst wait without applying any effect', async () => {
    const { scheduler, store, clock } = await harness({ scheduling: { mode: 'CacheFirst' } });
    await store.setBinding('s', 'a');
    await store.setLock({ ...lockFor('a', null, clock.now() + 30_000), reason: 'RateLimitExceeded' });
    expect(await scheduler.select(request({ sessionId: 's' }))).toEqual({
      kind: 'wait',
      accountId: 'a',
      waitMs: 30_000,
    });
    expect(await store.getBinding('s')).toBe('a');
    expect(await store.getLastUsed()).toBeNull();
  });

  it('ignores locks while the circuit breaker is off', async () => {
    const { scheduler, store, clock } = await harness({ ids: ['a'], breakerEnabled: false });
    await store.setLock(lockFor('a', null, clock.now() + 60_000));
    expect(await scheduler.select(request())).toMatchObject({ kind: 'account', accountId: 'a' });
  });
});

describe('Scheduler.recordFailure and recordSuccess', () => {
  it('locks the model on quota exhaustion, escalating through the backoff steps', async () => {
    const { scheduler, store, clock } = await harness();
    const report = { accountId: 'a', model: MODEL, status: 429, headers: {}, body: QUOTA_BODY };
    const first = await scheduler.recordFailure(report);
    expect(first.classification.reason).toBe('QuotaExhausted');
    expect(first.lock).toMatchObject({ scope: 'model', model: MODEL, until: clock.now() + 60_000 });
    expect((await store.getLocks('a', MODEL)).model).toEqual(first.lock);
    expect((await store.getFailureCount('a'))?.count).toBe(1);
    const second = await scheduler.recordFailure(report);
    expect(second.lock?.until).toBe(clock.now() + 300_000);
  });

  it('does not silently cap a configured backoff step', async () => {
    const { scheduler, store, clock } = await harness();
    await store.incrementFailureCount('a');
    await store.incrementFailureCount('a');
    const outcome = await scheduler.recordFailure({
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
    const { scheduler, store, clock } = await harness({ scheduling: { mode } });
    const outcome = await scheduler.recordFailure({ ...shortPause, ...(via ? { via } : {}) });
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
      const { scheduler, clock } = await harness({ scheduling: { mode: 'CacheFirst' } });
      const outcome = await scheduler.recordFailure({ ...shortPause, via });
      expect(outcome.decision.graceRetryMs).toBe(1000);
      expect(outcome.lock?.until).toBe(clock.now() + 1000);
      const other = await scheduler.select(request({ sessionId: 'someone-else' }));
      expect(other).toMatchObject({ kind: 'account' });
      expect(other.kind === 'account' && other.accountId).not.toBe('a');
    },
  );

  it('keeps a longer lock the account already has instead of shortening it', async () => {
    const { scheduler, store, clock } = await harness();
    const longer = { ...lockFor('a', null, clock.now() + 30_000), source: 'retry-after' as const };
    await store.setLock(longer);
    const outcome = await scheduler.recordFailure(shortPause);
    expect(outcome.lock).toEqual(longer);
    expect(await store.listLocks()).toEqual([longer]);
  });

  it('CacheFirst grants no grace retry beyond max_wait_seconds', async () => {
    const { scheduler } = await harness({ scheduling: { mode: 'CacheFirst', maxWaitSeconds: 0 } });
    expect(
      (await scheduler.recordFailure({ ...shortPause, via: 'sticky' })).decision.graceRetryMs,
    ).toBeNull();
  });

  it('locks the whole account on a server error without escalating the failure count', async () => {
    const { scheduler, store, clock } = await harness();
    const outcome = await scheduler.recordFailure({
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
    const { scheduler, store } = await harness({ breakerEnabled: false });
    const outcome = await scheduler.recordFailure({
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
    const { scheduler, store, clock } = await harness();
    await store.incrementFailureCount('a');
    await store.setLock(lockFor('a', null, clock.now() + 60_000));
    await store.setLock(lockFor('a', MODEL, clock.now() + 60_000));
    await scheduler.recordSuccess({ accountId: 'a', model: 'other-model' });
    expect(await store.getFailureCount('a')).toBeNull();
    expect(await store.getLocks('a', MODEL)).toMatchObject({ account: null, model: { model: MODEL } });
  });

  it.each<RateLimitLock['source']>(['retry-after', 'rate-limit-headers', 'quota-api'])(
    'a success does not lift an account-level lock whose end the upstream announced (%s)',
    async (source) => {
      const { scheduler, store, clock } = await harness();
      const announced = { ...lockFor('a', null, clock.now() + 60_000), source };
      await store.setLock(announced);
      await scheduler.recordSuccess({ accountId: 'a', model: MODEL });
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
    const { scheduler, store, clock } = await harness();
    await store.setBinding('s', 'a');
    const lock = await scheduler.recordPredictedLimit(exhausted(5_000, clock));
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
    const { scheduler, store, clock } = await harness({ scheduling: { mode: 'CacheFirst' } });
    await store.setBinding('s', 'a');
    await scheduler.recordPredictedLimit({ ...exhausted(1_500, clock), source: 'quota-api' });
    expect(await scheduler.select(request({ sessionId: 's' }))).toEqual({
      kind: 'wait',
      accountId: 'a',
      waitMs: 1_500,
    });
  });

  it('records nothing when something is left, and never shortens a lock on the same scope', async () => {
    const { scheduler, store, clock } = await harness();
    const left = {
      ...exhausted(1_500, clock),
      quota: { remainingFraction: 0.1, resetAt: clock.now() + 1_500 },
    };
    expect(await scheduler.recordPredictedLimit(left)).toBeNull();
    const longer = { ...lockFor('a', MODEL, clock.now() + 30_000), source: 'retry-after' as const };
    await store.setLock(longer);
    expect(await scheduler.recordPredictedLimit(exhausted(1_500, clock))).toBeNull();
    expect(await store.listLocks()).toEqual([longer]);
  });

  it('records nothing while the circuit breaker is off', async () => {
    const { scheduler, store, clock } = await harness({ breakerEnabled: false });
    expect(await scheduler.recordPredictedLimit(exhausted(1_500, clock))).toBeNull();
    expect(await store.listLocks()).toEqual([]);
  });

  it('counts the calls it lets go against the requests an answer said were left', async () => {
    const { scheduler, store, clock } = await harness({ ids: ['a', 'b'] });
    await store.setBinding('s', 'a');
    const resetAt = clock.now() + 5_000;
    const reading = (remaining: number, call: number) =>
      scheduler.recordPredictedLimit({
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
    const { scheduler, store, clock } = await harness({ ids: ['a', 'b'] });
    await store.setBinding('s', 'a');
    const first = await scheduler.select(request({ sessionId: 's' }));
    const resetAt = clock.now() + 5_000;
    await scheduler.recordPredictedLimit({
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
    const { scheduler, store, clock } = await harness({ ids: ['a', 'b'] });
    await store.setBinding('s', 'a');
    const resetAt = clock.now() + 5_000;
    const reading = (remaining: number, call: number) =>
      scheduler.recordPredictedLimit({
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

  it('lets a resend go only to an account that is not locked, and counts it', async () => {
    const { scheduler, store, clock } = await harness();
    const call = await scheduler.claimResend('a', MODEL);
    expect(call).toEqual(expect.any(Number));
    await store.setLock({ ...lockFor('a', null, clock.now() + 1_000), source: 'retry-after' });
    expect(await scheduler.claimResend('a', MODEL)).toBeNull();
    expect(await scheduler.claimResend('b', MODEL)).toBeGreaterThan(call!);
  });

  it('a success does not lift it', async () => {
    const { scheduler, store, clock } = await harness();
    const lock = await scheduler.recordPredictedLimit({ ...exhausted(1_500, clock), model: null });
    await scheduler.recordSuccess({ accountId: 'a', model: MODEL });
    expect(await store.listLocks()).toEqual([lock]);
  });
});

describe('Scheduler fixed account and pool changes', () => {
  it('refuses an unknown or disabled fixed account', async () => {
    const { scheduler, pool } = await harness();
    await expect(scheduler.setFixedAccount('nope')).rejects.toMatchObject({ code: 'not_found' });
    pool.upsert(testAccount('b', { proxyDisabled: true }));
    await expect(scheduler.setFixedAccount('b')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('routes to the fixed account, and forgets it and its bindings when it is disabled', async () => {
    const { scheduler, pool, store } = await harness();
    await scheduler.setFixedAccount('c');
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({
      accountId: 'c',
      via: 'fixed',
    });
    await store.setBinding('s', 'c');
    pool.upsert(testAccount('c', { disabled: true }));
    await scheduler.settled();
    expect(await scheduler.getFixedAccount()).toBeNull();
    expect(await store.getBinding('s')).toBeNull();
  });

  it('a removed account loses its bindings, locks, failure count and fixed status', async () => {
    const { scheduler, pool, store, clock } = await harness();
    await scheduler.setFixedAccount('b');
    await store.setBinding('s', 'b');
    await store.setBinding('t', 'a');
    await store.setLock(lockFor('b', MODEL, clock.now() + 60_000));
    await store.incrementFailureCount('b');
    pool.remove('b');
    await scheduler.settled();
    expect(await scheduler.getFixedAccount()).toBeNull();
    expect(await store.getBinding('s')).toBeNull();
    expect(await store.getBinding('t')).toBe('a');
    expect(await store.listLocks()).toEqual([]);
    expect(await store.getFailureCount('b')).toBeNull();
  });

  it('an update that keeps the account enabled leaves its bindings alone', async () => {
    const { scheduler, pool, store } = await harness();
    await scheduler.setFixedAccount('a');
    await store.setBinding('s', 'a');
    pool.upsert(testAccount('a', { label: 'renamed' }));
    await scheduler.settled();
    expect(await store.getBinding('s')).toBe('a');
    expect(await scheduler.getFixedAccount()).toBe('a');
  });

  it('drops a fixed account that is missing after the pool is replaced', async () => {
    const { scheduler, pool } = await harness();
    await scheduler.setFixedAccount('a');
    pool.replaceAll([testAccount('b')]);
    await scheduler.settled();
    expect(await scheduler.getFixedAccount()).toBeNull();
  });

  it('clears bindings and locks on request and reports counts', async () => {
    const { scheduler, store, clock } = await harness();
    await store.setBinding('s', 'a');
    await store.setBinding('t', 'b');
    await store.setLock(lockFor('a', null, clock.now() + 60_000));
    await store.setLock(lockFor('b', MODEL, clock.now() + 60_000));
    expect(await scheduler.counts()).toEqual({ bindings: 2, activeLocks: 2 });
    expect(await scheduler.clearLocks('a')).toBe(1);
    expect(await scheduler.listLocks()).toHaveLength(1);
    expect(await scheduler.clearLocks()).toBe(1);
    expect(await scheduler.clearBindings()).toBe(2);
    expect(await scheduler.counts()).toEqual({ bindings: 0, activeLocks: 0 });
  });

  it('reports clean-up errors to onBackgroundError', async () => {
    const clock = new FakeClock();
    const pool = new MemoryAccountPool([testAccount('a')]);
    const store = await MemoryStateStore.create({ clock });
    const failure = new Error('store down');
    store.deleteBindingsForAccount = async () => {
      throw failure;
    };
    const errors: unknown[] = [];
    const config = (await harness()).config;
    const scheduler = new Scheduler({
      pool,
      store,
      clock,
      config: () => config,
      onBackgroundError: (error) => errors.push(error),
    });
    pool.remove('a');
    await scheduler.close();
    await store.close();
    expect(errors).toEqual([failure]);
  });
});

/** The store through the plain `StateStore` interface only, as a networked store would offer it. */
function asyncOnly(store: MemoryStateStore): StateStore {
  const view: Record<string, unknown> = {};
  const prototype = Object.getPrototypeOf(store) as object;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const member = (store as unknown as Record<string, unknown>)[name];
    if (name !== 'constructor' && typeof member === 'function') view[name] = member.bind(store);
  }
  return view as unknown as StateStore;
}

describe('Scheduler on an in-process store', () => {
  it('uses the synchronous capability only when the store offers it', async () => {
    const clock = new FakeClock();
    const store = await MemoryStateStore.create({ clock });
    expect(isSynchronousSchedulingState(store)).toBe(true);
    expect(isSynchronousSchedulingState(asyncOnly(store))).toBe(false);
    await store.close();
  });

  it('decides and records exactly as through the asynchronous interface', async () => {
    const run = async (wrap: (store: MemoryStateStore) => StateStore) => {
      const clock = new FakeClock();
      const pool = new MemoryAccountPool(['a', 'b', 'c', 'd'].map((id) => testAccount(id)));
      const store = await MemoryStateStore.create({ clock });
      const config = (await harness()).config;
      const scheduler = new Scheduler({ pool, store: wrap(store), clock, config: () => config });
      const trail: unknown[] = [];
      for (let step = 0; step < 60; step++) {
        const sessionId = step % 5 === 0 ? null : `session-${step % 7}`;
        const decision = await scheduler.select(request({ sessionId, forceRotate: step % 11 === 0 }));
        trail.push(decision);
        if (decision.kind !== 'account') continue;
        if (step % 9 === 0) {
          trail.push(
            await scheduler.recordFailure({
              accountId: decision.accountId,
              model: MODEL,
              status: 429,
              headers: { 'retry-after': '5' },
              body: null,
            }),
          );
        } else {
          await scheduler.recordSuccess({ accountId: decision.accountId, model: MODEL });
        }
        await clock.advance(1_700);
      }
      trail.push(await scheduler.counts(), await store.getLastUsed(), await store.incrementRoundRobin(0));
      await scheduler.close();
      await store.close();
      return trail;
    };
    const direct = await run((store) => store);
    const viaPromises = await run(asyncOnly);
    expect(direct).toEqual(viaPromises);
    expect(direct.some((entry) => (entry as { kind?: string }).kind === 'account')).toBe(true);
  });
});

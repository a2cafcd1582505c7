import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAccountPool } from '../core/account-pool.js';
import { FakeClock } from '../core/clock.js';
import { MemoryStateStore } from '../state/memory-state-store.js';
import type { StateStore } from '../state/state-store.js';
import { DEFAULT_WINDOW_MS, type PickRequest } from './pick.js';
import { RateLimitTracker } from './rate-limit-tracker.js';
import { Scheduler } from './scheduler.js';
import { closeHarnesses, harness, lockFor, MODEL, request } from './scheduler-harness.js';
import { testAccount } from './test-account.js';

afterEach(closeHarnesses);

async function pickedIds(scheduler: Scheduler, requests: PickRequest[]): Promise<(string | null)[]> {
  const result: (string | null)[] = [];
  for (const next of requests) {
    const decision = await scheduler.select(next);
    result.push(decision.kind === 'account' ? decision.accountId : null);
  }
  return result;
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
    const { scheduler, limits, store, clock } = await harness();
    await store.setBinding('s', 'a');
    await store.setBinding('t', 'b');
    await store.setLock(lockFor('a', null, clock.now() + 60_000));
    await store.setLock(lockFor('b', MODEL, clock.now() + 60_000));
    expect(await scheduler.counts()).toEqual({ bindings: 2, activeLocks: 2 });
    expect(await limits.clearLocks('a')).toBe(1);
    expect(await limits.listLocks()).toHaveLength(1);
    expect(await limits.clearLocks()).toBe(1);
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
    const limits = new RateLimitTracker({ pool, store, clock, config: () => config });
    const scheduler = new Scheduler({
      pool,
      store,
      clock,
      config: () => config,
      limits,
      onBackgroundError: (error) => errors.push(error),
    });
    pool.remove('a');
    await scheduler.close();
    await limits.close();
    await store.close();
    expect(errors).toEqual([failure]);
  });
});

/**
 * The store with the request path's two methods answering through promises, as a networked store
 * (Redis) answers them; every other method is the store's own.
 */
function viaPromises(store: MemoryStateStore): StateStore {
  return Object.assign(Object.create(store) as StateStore, {
    readForPick: async (query: Parameters<StateStore['readForPick']>[0]) => store.readForPick(query),
    applyPick: async (effects: Parameters<StateStore['applyPick']>[0]) => store.applyPick(effects),
  });
}

describe('Scheduler on stores answering synchronously or through promises', () => {
  it('decides and records exactly the same', async () => {
    const run = async (wrap: (store: MemoryStateStore) => StateStore) => {
      const clock = new FakeClock();
      const pool = new MemoryAccountPool(['a', 'b', 'c', 'd'].map((id) => testAccount(id)));
      const store = await MemoryStateStore.create({ clock });
      const config = (await harness()).config;
      const wrapped = wrap(store);
      const limits = new RateLimitTracker({ pool, store: wrapped, clock, config: () => config });
      const scheduler = new Scheduler({ pool, store: wrapped, clock, config: () => config, limits });
      const trail: unknown[] = [];
      for (let step = 0; step < 60; step++) {
        const sessionId = step % 5 === 0 ? null : `session-${step % 7}`;
        const decision = await scheduler.select(request({ sessionId, forceRotate: step % 11 === 0 }));
        trail.push(decision);
        if (decision.kind !== 'account') continue;
        if (step % 9 === 0) {
          trail.push(
            await limits.recordFailure({
              accountId: decision.accountId,
              model: MODEL,
              status: 429,
              headers: { 'retry-after': '5' },
              body: null,
            }),
          );
        } else {
          await limits.recordSuccess({ accountId: decision.accountId, model: MODEL });
        }
        await clock.advance(1_700);
      }
      trail.push(await scheduler.counts(), await store.getLastUsed(), await store.incrementRoundRobin(0));
      await scheduler.close();
      await limits.close();
      await store.close();
      return trail;
    };
    const direct = await run((store) => store);
    const promised = await run(viaPromises);
    expect(direct).toEqual(promised);
    expect(direct.some((entry) => (entry as { kind?: string }).kind === 'account')).toBe(true);
  });
});

describe('Scheduler with concurrent first requests of one session', () => {
  it('follows the binding another request made first', async () => {
    const clock = new FakeClock();
    const pool = new MemoryAccountPool(['a', 'b', 'c'].map((id) => testAccount(id)));
    const store = await MemoryStateStore.create({ clock });
    const wrapped = viaPromises(store);
    const config = (await harness()).config;
    const limits = new RateLimitTracker({ pool, store: wrapped, clock, config: () => config });
    const scheduler = new Scheduler({ pool, store: wrapped, clock, config: () => config, limits });
    // Both read before either writes: each picks a different account by round robin.
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () => scheduler.select(request({ sessionId: 'conversation' }))),
    );
    const accounts = decisions.map((decision) => (decision.kind === 'account' ? decision.accountId : null));
    expect(new Set(accounts)).toEqual(new Set([await store.getBinding('conversation')]));
    // Round robin gave three of them another account; they followed the binding instead.
    expect(
      decisions.filter((decision) => decision.kind === 'account' && decision.via === 'sticky'),
    ).toHaveLength(3);
    await scheduler.close();
    await limits.close();
    await store.close();
  });
});

/**
 * The store answering every read that is not `fresh` from a lease on `leasedTo`, as a shared store
 * does for a session it read a moment ago; it records which reads were fresh.
 */
function leasing(store: MemoryStateStore, leasedTo: string, reads: boolean[]): StateStore {
  return Object.assign(Object.create(store) as StateStore, {
    readForPick: (query: Parameters<StateStore['readForPick']>[0]) => {
      reads.push(query.fresh === true);
      const snapshot = store.readForPick(query);
      return query.fresh ? snapshot : { ...snapshot, boundAccountId: leasedTo, leased: true as const };
    },
  });
}

describe('Scheduler on a leased binding', () => {
  async function leasedHarness(leasedTo: string) {
    const clock = new FakeClock();
    const pool = new MemoryAccountPool(['a', 'b', 'c'].map((id) => testAccount(id)));
    const store = await MemoryStateStore.create({ clock });
    const reads: boolean[] = [];
    const wrapped = leasing(store, leasedTo, reads);
    const config = (await harness()).config;
    const limits = new RateLimitTracker({ pool, store: wrapped, clock, config: () => config });
    const scheduler = new Scheduler({ pool, store: wrapped, clock, config: () => config, limits });
    const close = async () => {
      await scheduler.close();
      await limits.close();
      await store.close();
    };
    return { scheduler, store, clock, reads, close };
  }

  it('follows a leased binding that can serve on the one read', async () => {
    const { scheduler, store, reads, close } = await leasedHarness('a');
    await store.setBinding('s', 'a');
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({
      accountId: 'a',
      via: 'sticky',
    });
    expect(reads).toEqual([false]);
    await close();
  });

  it('reads the shared state again before leaving a leased binding, and follows what it finds', async () => {
    const { scheduler, store, clock, reads, close } = await leasedHarness('a');
    // Elsewhere the session moved on to c after a was limited; this instance's lease still says a.
    await store.setBinding('s', 'c');
    await store.setLock(lockFor('a', MODEL, clock.now() + 60_000));
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({
      accountId: 'c',
      via: 'sticky',
    });
    expect(reads).toEqual([false, true]);
    expect(await store.getBinding('s')).toBe('c');
    await close();
  });

  it('reads the shared state again when the mirror names a fixed account', async () => {
    const { scheduler, store, reads, close } = await leasedHarness('a');
    await store.setBinding('s', 'a');
    await store.setFixedAccountId('b');
    expect(await scheduler.select(request({ sessionId: 's' }))).toMatchObject({
      accountId: 'b',
      via: 'fixed',
    });
    expect(reads).toEqual([false, true]);
    await close();
  });
});

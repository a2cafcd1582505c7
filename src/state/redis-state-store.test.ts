import { afterEach, describe, expect, inject, it } from 'vitest';
import { redisKeyPrefix } from '../../test/support/services.js';
import { FakeClock } from '../core/clock.js';
import { systemIds } from '../core/ids.js';
import type { LocalState } from './local-state.js';
import { RedisStateStore } from './redis-state-store.js';
import { describeStateStoreContract } from './state-store.contract.js';
import { FAILURE_COUNT_FADE_MS } from './state-store.js';

const opened: RedisStateStore[] = [];

// A store that fell back to local state would pass the contract too: every test must have run on Redis.
afterEach(() => {
  for (const store of opened.splice(0))
    expect(store.health()).toMatchObject({ degraded: false, reason: null });
});

describeStateStoreContract('RedisStateStore', async (options) => {
  const store = await RedisStateStore.connect({
    ...options,
    url: inject('redisUrl'),
    keyPrefix: redisKeyPrefix(),
    ids: systemIds,
    commandTimeoutMs: 2000,
  });
  opened.push(store);
  return store;
});

describe('RedisStateStore local state', () => {
  it('sweeps what it learned while degraded on its timer, and stops the timer on close', async () => {
    const clock = new FakeClock();
    const store = await RedisStateStore.connect({
      // Nothing listens on port 1: the store starts degraded and serves every call from local state.
      url: 'redis://127.0.0.1:1',
      keyPrefix: redisKeyPrefix(),
      clock,
      ids: systemIds,
      allowDegradedStart: true,
      // No retry or resync while the clock moves: only the sweep may empty the local state.
      retryIntervalMs: 10 * FAILURE_COUNT_FADE_MS,
      bindingTtlMs: 1000,
      sweepIntervalMs: 5000,
    });
    expect(store.health().degraded).toBe(true);
    const { local } = store as unknown as { local: LocalState };
    expect(await store.claim('job', 'h1', 1000)).toBe(true);
    await store.incrementFailureCount('a');
    await store.bindIfAbsent('s1', 'a');
    await store.setLock({
      accountId: 'a',
      scope: 'account',
      model: null,
      reason: 'RateLimitExceeded',
      source: 'backoff',
      until: clock.now() + 1000,
      detectedAt: clock.now(),
      message: null,
    });
    const held = { bindings: 1, locks: 1, claims: 1, failures: 1 };
    expect(local.sizes()).toEqual(held);

    await clock.advance(4999);
    expect(local.sizes()).toEqual(held);
    await clock.advance(1);
    expect(local.sizes()).toEqual({ bindings: 0, locks: 0, claims: 0, failures: 1 });
    await clock.advance(FAILURE_COUNT_FADE_MS);
    expect(local.sizes()).toEqual({ bindings: 0, locks: 0, claims: 0, failures: 0 });

    await store.close();
    expect(clock.pendingTimers()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { MemoryStateStore } from '../state/memory-state-store.js';
import { PredictedLimits } from './predicted-limits.js';

async function predicted() {
  const clock = new FakeClock();
  const store = await MemoryStateStore.create({ clock });
  const limits = new PredictedLimits({
    store,
    clock,
    breaker: () => ({ enabled: true, maxLockSeconds: 3600 }),
  });
  return { clock, store, limits };
}

describe('PredictedLimits', () => {
  it('keeps no budget for an account no answer gave a requests count: its calls are numbered only', async () => {
    const { clock, store, limits } = await predicted();
    const calls = [];
    for (let index = 0; index < 3; index++) {
      calls.push(await limits.countCall({ accountId: 'g', model: 'm', now: clock.now() }));
    }
    expect(calls).toEqual([calls[0], (calls[0] ?? 0) + 1, (calls[0] ?? 0) + 2]);
    expect(await store.listLocks()).toEqual([]);
  });

  it('counts the calls to an upstream that sends rate-limit headers', async () => {
    const { clock, store, limits } = await predicted();
    const first = await limits.countCall({
      accountId: 'o',
      model: 'm',
      now: clock.now(),
    });
    const resetAt = clock.now() + 5_000;
    await limits.record({
      accountId: 'o',
      model: 'm',
      quota: null,
      requests: { remaining: 1, limit: 5, resetAt },
      call: first,
      source: 'rate-limit-headers',
    });
    await limits.countCall({ accountId: 'o', model: 'm', now: clock.now() });
    expect(await store.listLocks()).toEqual([expect.objectContaining({ accountId: 'o', until: resetAt })]);
  });

  it('lifting the calls-in-flight lock keeps a window an answer announced with nothing left', async () => {
    const { clock, store, limits } = await predicted();
    const call = () => limits.countCall({ accountId: 'o', model: 'm', now: clock.now() });
    const later = clock.now() + 5_000;
    const soon = clock.now() + 1_000;
    const reading = (forCall: number, remaining: number, resetAt: number) =>
      limits.record({
        accountId: 'o',
        model: 'm',
        quota: { remainingFraction: remaining / 10, resetAt },
        requests: { remaining, limit: 10, resetAt },
        call: forCall,
        source: 'rate-limit-headers',
      });
    await reading(await call(), 9, later);
    const [second, third] = [await call(), await call()];
    // 1 left after the second call, and the third on its way: spent until the reset, 5 s away.
    expect(await reading(second, 1, later)).toMatchObject({ until: later });
    // The third call's answer: nothing left until 1 s from now (an announced window).
    await reading(third, 0, soon);
    // A fourth call's answer leaves room: the lock shrinks to the announced window, not away.
    await reading(await call(), 4, soon);
    expect((await store.getLocks('o', 'm')).model).toMatchObject({
      until: soon,
      source: 'rate-limit-headers',
    });
  });

  it('stores nothing while the circuit breaker is off', async () => {
    const clock = new FakeClock();
    const store = await MemoryStateStore.create({ clock });
    const limits = new PredictedLimits({
      store,
      clock,
      breaker: () => ({ enabled: false, maxLockSeconds: 3600 }),
    });
    await limits.record({
      accountId: 'o',
      model: 'm',
      quota: { remainingFraction: 0, resetAt: clock.now() + 1_000 },
      source: 'rate-limit-headers',
    });
    expect(await store.listLocks()).toEqual([]);
  });
});

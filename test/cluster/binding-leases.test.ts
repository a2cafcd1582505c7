/**
 * Binding leases of the Redis state store: a binding an instance read is trusted for a while, so the
 * next turns of that conversation on that instance make no Redis call — and the lease never sends a
 * conversation where the cluster no longer has it: every re-binding, cleared binding and fixed
 * account made on another instance drops it (pub/sub, waited for, never timed), a fresh read ignores
 * it, and it ends on its own after `bindingLeaseMs`.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { type Clock, FakeClock, systemClock } from '../../src/core/clock.js';
import { systemIds } from '../../src/core/ids.js';
import { testAccountLock } from '../../src/scheduler/test-account.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import type { PickEffects } from '../../src/state/state-store.js';
import { SEEN } from '../support/in-process-cluster.js';
import { redisKeyPrefix } from '../support/services.js';

const stores: RedisStateStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function open(
  keyPrefix: string,
  options: { clock?: Clock; bindingLeaseMs?: number; bindingTtlMs?: number } = {},
) {
  const store = await RedisStateStore.connect({
    url: inject('redisUrl'),
    keyPrefix,
    clock: options.clock ?? systemClock,
    ids: systemIds,
    commandTimeoutMs: 2000,
    bindingLeaseMs: options.bindingLeaseMs ?? 60_000,
    ...(options.bindingTtlMs !== undefined ? { bindingTtlMs: options.bindingTtlMs } : {}),
  });
  stores.push(store);
  return store;
}

/** Two instances on one Redis, and session s1 bound to account a and leased by the first. */
async function leasedOnFirst() {
  const prefix = redisKeyPrefix();
  const [leasing, other] = [await open(prefix), await open(prefix)];
  await other.setBinding('s1', 'a');
  expect(await read(leasing)).toEqual({ bound: 'a', leased: false });
  expect(await read(leasing)).toEqual({ bound: 'a', leased: true });
  return { leasing, other, prefix };
}

async function read(store: RedisStateStore, fresh = false) {
  const snapshot = await store.readForPick({ sessionId: 's1', lastUsed: false, fresh });
  return { bound: snapshot.boundAccountId, leased: snapshot.leased === true };
}

const REBIND: PickEffects = {
  sessionId: 's1',
  bind: { accountId: 'b', replacing: 'a' },
  unbindFrom: null,
  lastUsed: null,
  skip: 0,
};

describe('binding leases', () => {
  it('answers a leased session from memory, with the mirror of locks and fixed account', async () => {
    const { leasing, other } = await leasedOnFirst();
    const lock = testAccountLock('a', { detectedAt: systemClock.now(), until: systemClock.now() + 60_000 });
    await other.setLock(lock);
    await other.setFixedAccountId('f');
    await vi.waitFor(async () => {
      const snapshot = await leasing.readForPick({ sessionId: 's1', lastUsed: false });
      expect(snapshot).toMatchObject({
        boundAccountId: 'a',
        fixedAccountId: 'f',
        locks: [lock],
        leased: true,
      });
    }, SEEN);
  });

  it('drops the lease when another instance re-binds the session', async () => {
    const { leasing, other } = await leasedOnFirst();
    await other.applyPick(REBIND);
    await vi.waitFor(async () => expect(await read(leasing)).toEqual({ bound: 'b', leased: false }), SEEN);
  });

  it('drops the lease when another instance unbinds the session from its account', async () => {
    const { leasing, other } = await leasedOnFirst();
    await other.applyPick({ ...REBIND, bind: null, unbindFrom: 'a' });
    await vi.waitFor(async () => expect(await read(leasing)).toEqual({ bound: null, leased: false }), SEEN);
  });

  it.each([
    ['clears every binding', (store: RedisStateStore) => store.clearBindings()],
    ['removes the bindings to the account', (store: RedisStateStore) => store.deleteBindingsForAccount('a')],
    ['deletes the binding', (store: RedisStateStore) => store.deleteBinding('s1')],
    ['sets the binding', (store: RedisStateStore) => store.setBinding('s1', 'c')],
  ])('drops the lease when another instance %s', async (_name, change) => {
    const { leasing, other } = await leasedOnFirst();
    await change(other);
    const expected = (await other.getBinding('s1')) ?? null;
    await vi.waitFor(
      async () => expect(await read(leasing)).toEqual({ bound: expected, leased: false }),
      SEEN,
    );
  });

  it('keeps the lease against a first binding of another session, and against its own sticky reads', async () => {
    const { leasing, other } = await leasedOnFirst();
    await other.applyPick({ ...REBIND, sessionId: 's2', bind: { accountId: 'b', replacing: null } });
    // A marker change after it: once the lease on s1 sees it, the first binding's turn has passed.
    await other.setFixedAccountId('marker');
    await vi.waitFor(async () => {
      const snapshot = await leasing.readForPick({ sessionId: 's1', lastUsed: false });
      expect(snapshot).toMatchObject({ fixedAccountId: 'marker', boundAccountId: 'a', leased: true });
    }, SEEN);
  });

  it('is bypassed by a fresh read, which sees what Redis holds', async () => {
    const { leasing, prefix } = await leasedOnFirst();
    // Written behind the instances' backs: no notification, as if it had been missed.
    const raw = new Redis(inject('redisUrl'));
    try {
      await raw.hset(`${prefix}bindings`, 's1', `${systemClock.now()}|z`);
    } finally {
      raw.disconnect();
    }
    expect(await read(leasing)).toEqual({ bound: 'a', leased: true });
    expect(await read(leasing, true)).toEqual({ bound: 'z', leased: false });
    expect(await read(leasing)).toEqual({ bound: 'z', leased: true });
  });

  it('ends after the lease time, so the next read touches the binding in Redis again', async () => {
    const clock = new FakeClock();
    const prefix = redisKeyPrefix();
    const store = await open(prefix, { clock, bindingLeaseMs: 1000 });
    await store.setBinding('s1', 'a');
    expect(await read(store)).toEqual({ bound: 'a', leased: false });
    await clock.advance(999);
    expect(await read(store)).toEqual({ bound: 'a', leased: true });
    await clock.advance(1);
    expect(await read(store)).toEqual({ bound: 'a', leased: false });
  });

  it('trusts a lease for at most a tenth of the binding time-to-live', async () => {
    const clock = new FakeClock();
    const store = await open(redisKeyPrefix(), { clock, bindingLeaseMs: 60_000, bindingTtlMs: 5000 });
    await store.setBinding('s1', 'a');
    expect(await read(store)).toEqual({ bound: 'a', leased: false });
    await clock.advance(499);
    expect(await read(store)).toEqual({ bound: 'a', leased: true });
    await clock.advance(1);
    expect(await read(store)).toEqual({ bound: 'a', leased: false });
  });

  it('learns a fixed account whose notification it missed from the once-a-second reload', async () => {
    const { leasing, prefix } = await leasedOnFirst();
    // Written behind the instances' backs: no notification reaches the leasing instance.
    const raw = new Redis(inject('redisUrl'));
    try {
      await raw.set(`${prefix}fixed`, 'pinned');
    } finally {
      raw.disconnect();
    }
    await vi.waitFor(async () => {
      const snapshot = await leasing.readForPick({ sessionId: 's1', lastUsed: false });
      expect(snapshot).toMatchObject({ fixedAccountId: 'pinned', leased: true });
    }, SEEN);
  });

  it('leases nothing when the lease time is 0', async () => {
    const store = await open(redisKeyPrefix(), { bindingLeaseMs: 0 });
    await store.setBinding('s1', 'a');
    for (let turn = 0; turn < 3; turn++) expect(await read(store)).toEqual({ bound: 'a', leased: false });
  });
});

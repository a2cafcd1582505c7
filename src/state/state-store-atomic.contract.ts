/**
 * The part of the `StateStore` contract a cluster needs beyond one process: the batched read and
 * write of a pick, atomic first binding, lock writes that are atomic read-then-write sequences,
 * and cross-instance exclusion. Registered by `describeStateStoreContract`.
 */
import { describe, expect, it } from 'vitest';
import type { FakeClock } from '../core/clock.js';
import type { RateLimitLock } from '../core/limits.js';
import type { StateStoreTestOptions } from './state-store.contract.js';
import type { PickEffects, StateStore } from './state-store.js';

export type Open = (
  options?: Partial<StateStoreTestOptions>,
) => Promise<{ store: StateStore; clock: FakeClock }>;

export function lock(overrides: Partial<RateLimitLock> & { accountId: string }): RateLimitLock {
  return {
    scope: overrides.model ? 'model' : 'account',
    model: null,
    reason: 'RateLimitExceeded',
    source: 'retry-after',
    until: Date.UTC(2026, 0, 1) + 60_000,
    detectedAt: Date.UTC(2026, 0, 1),
    message: null,
    ...overrides,
  };
}

/** Sorted `accountId::model` keys of a lock list, for order-free comparison. */
export function keys(locks: readonly RateLimitLock[]): string[] {
  return locks.map((entry) => `${entry.accountId}::${entry.model ?? '*'}`).sort();
}

const NO_EFFECTS: PickEffects = { sessionId: null, bind: null, unbindFrom: null, lastUsed: null, skip: 0 };

export function describeAtomicBinding(open: Open): void {
  describe('atomic first binding', () => {
    it('binds an unbound session and returns the account', async () => {
      const { store } = await open();
      expect(await store.bindIfAbsent('s1', 'a')).toBe('a');
      expect(await store.getBinding('s1')).toBe('a');
    });

    it('keeps an existing binding, returns it and counts it as a use', async () => {
      const { store, clock } = await open({ bindingTtlMs: 1000 });
      await store.setBinding('s1', 'a');
      await clock.advance(900);
      expect(await store.bindIfAbsent('s1', 'b')).toBe('a');
      await clock.advance(900);
      expect(await store.getBinding('s1')).toBe('a');
    });

    it('treats an expired binding as absent', async () => {
      const { store, clock } = await open({ bindingTtlMs: 1000 });
      await store.setBinding('s1', 'a');
      await clock.advance(1000);
      expect(await store.bindIfAbsent('s1', 'b')).toBe('b');
    });

    it('replaces a binding only when it is to the account being replaced, or when forced', async () => {
      const { store } = await open();
      await store.setBinding('s1', 'a');
      expect(await store.bindIfAbsent('s1', 'b', { replacing: 'c' })).toBe('a');
      expect(await store.bindIfAbsent('s1', 'b', { replacing: 'a' })).toBe('b');
      expect(await store.bindIfAbsent('s1', 'c', { replacing: null, force: true })).toBe('c');
      expect(await store.getBinding('s1')).toBe('c');
      expect(await store.bindIfAbsent('s2', 'd', { replacing: 'a' })).toBe('d');
      expect(await store.countBindings()).toBe(2);
    });

    it('binds 50 concurrent first requests of one session to one account', async () => {
      const { store } = await open();
      const bound = await Promise.all(
        Array.from({ length: 50 }, (_, index) => store.bindIfAbsent('s1', `a${index % 7}`)),
      );
      expect(new Set(bound).size).toBe(1);
      expect(await store.getBinding('s1')).toBe(bound[0]);
    });
  });
}

export function describePick(open: Open): void {
  describe('one read and one write per pick', () => {
    it('reads the binding (as a use), the fixed account, the active locks and a fresh counter', async () => {
      const { store, clock } = await open({ bindingTtlMs: 1000 });
      await store.setBinding('s1', 'a');
      await store.setFixedAccountId('f');
      await store.setLastUsed({ accountId: 'b', at: 5 });
      const active = lock({ accountId: 'a', until: clock.now() + 5000 });
      await store.setLock(active);
      await store.setLock(lock({ accountId: 'b', until: clock.now() + 500 }));
      await clock.advance(900);
      const snapshot = await store.readForPick({ sessionId: 's1', lastUsed: false });
      expect(snapshot).toEqual({
        boundAccountId: 'a',
        fixedAccountId: 'f',
        lastUsed: null,
        locks: [active],
        counter: 1,
      });
      await clock.advance(900);
      const next = await store.readForPick({ sessionId: 's2', lastUsed: true });
      expect(next).toMatchObject({ boundAccountId: null, lastUsed: { accountId: 'b', at: 5 }, counter: 2 });
      expect(await store.getBinding('s1')).toBe('a');
    });

    it('gives concurrent picks distinct counter values', async () => {
      const { store } = await open();
      const reads = await Promise.all(
        Array.from({ length: 20 }, () => store.readForPick({ sessionId: null, lastUsed: false })),
      );
      expect(new Set(reads.map((read) => read.counter)).size).toBe(20);
    });

    it('returns the same lock array until a lock changes', async () => {
      const { store, clock } = await open();
      await store.setLock(lock({ accountId: 'a', until: clock.now() + 5000 }));
      const first = (await store.readForPick({ sessionId: null, lastUsed: false })).locks;
      expect((await store.readForPick({ sessionId: null, lastUsed: false })).locks).toBe(first);
      await store.setLock(lock({ accountId: 'b', until: clock.now() + 5000 }));
      const second = (await store.readForPick({ sessionId: null, lastUsed: false })).locks;
      expect(keys(second)).toEqual(['a::*', 'b::*']);
      expect(Object.isFrozen(second)).toBe(true);
    });

    it('applies a first binding, keeps it against a second, and replaces it only when asked', async () => {
      const { store } = await open();
      const first = await store.applyPick({
        ...NO_EFFECTS,
        sessionId: 's1',
        bind: { accountId: 'a', replacing: null },
      });
      expect(first).toEqual({ boundAccountId: 'a' });
      const second = await store.applyPick({
        ...NO_EFFECTS,
        sessionId: 's1',
        bind: { accountId: 'b', replacing: null },
      });
      expect(second).toEqual({ boundAccountId: 'a' });
      const replaced = await store.applyPick({
        ...NO_EFFECTS,
        sessionId: 's1',
        bind: { accountId: 'b', replacing: 'a' },
      });
      expect(replaced).toEqual({ boundAccountId: 'b' });
      expect(await store.getBinding('s1')).toBe('b');
    });

    it('applies last used, counter skips and a conditional unbind together', async () => {
      const { store } = await open();
      await store.setBinding('s1', 'a');
      const outcome = await store.applyPick({
        sessionId: 's1',
        bind: null,
        unbindFrom: 'x',
        lastUsed: { accountId: 'c', at: 42 },
        skip: 3,
      });
      expect(outcome).toEqual({ boundAccountId: null });
      expect(await store.getBinding('s1')).toBe('a');
      expect(await store.getLastUsed()).toEqual({ accountId: 'c', at: 42 });
      expect(await store.incrementRoundRobin()).toBe(4);
      await store.applyPick({ ...NO_EFFECTS, sessionId: 's1', unbindFrom: 'a' });
      expect(await store.getBinding('s1')).toBeNull();
    });
  });
}

export function describeAtomicLocks(open: Open): void {
  describe('atomic lock writes', () => {
    it('extendLock stores a lock, keeps one that ends later, and replaces one that ends sooner', async () => {
      const { store, clock } = await open();
      const first = lock({ accountId: 'a', until: clock.now() + 5000 });
      expect(await store.extendLock(first)).toEqual(first);
      const shorter = lock({ accountId: 'a', until: clock.now() + 1000, source: 'backoff' });
      expect(await store.extendLock(shorter)).toEqual(first);
      expect(await store.listLocks()).toEqual([first]);
      const longer = lock({ accountId: 'a', until: clock.now() + 9000, source: 'rate-limit-headers' });
      expect(await store.extendLock(longer)).toEqual(longer);
      expect((await store.getLocks('a', 'm')).account).toEqual(longer);
    });

    it('extendLock replaces a lock that has ended', async () => {
      const { store, clock } = await open();
      await store.setLock(lock({ accountId: 'a', until: clock.now() + 1000 }));
      await clock.advance(2000);
      const next = lock({ accountId: 'a', until: clock.now() + 500 });
      expect(await store.extendLock(next)).toEqual(next);
    });

    it('keeps the latest end when many locks of one key are extended at once', async () => {
      const { store, clock } = await open();
      const ends = Array.from({ length: 30 }, (_, index) => clock.now() + 1000 + ((index * 7919) % 30) * 100);
      await Promise.all(ends.map((until) => store.extendLock(lock({ accountId: 'a', model: 'm', until }))));
      expect((await store.getLocks('a', 'm')).model?.until).toBe(Math.max(...ends));
    });

    it('replaceLock replaces or deletes only the lock it expects', async () => {
      const { store, clock } = await open();
      const held = lock({
        accountId: 'a',
        model: 'm',
        source: 'rate-limit-headers',
        until: clock.now() + 9000,
      });
      await store.setLock(held);
      const shorter = { ...held, until: clock.now() + 3000 };
      expect(await store.replaceLock({ ...held, until: held.until + 1 }, shorter)).toBe(false);
      expect(await store.replaceLock({ ...held, source: 'retry-after' }, shorter)).toBe(false);
      expect(await store.replaceLock(held, shorter)).toBe(true);
      expect((await store.getLocks('a', 'm')).model).toEqual(shorter);
      expect(await store.replaceLock(held, null)).toBe(false);
      expect(await store.replaceLock(shorter, null)).toBe(true);
      expect(await store.listLocks()).toEqual([]);
      expect(await store.replaceLock(shorter, null)).toBe(false);
    });

    it('deleteLocks with a source removes only the locks of that source', async () => {
      const { store, clock } = await open();
      const until = clock.now() + 5000;
      await store.setLock(lock({ accountId: 'a', source: 'retry-after', until }));
      await store.setLock(lock({ accountId: 'b', source: 'backoff', until }));
      await store.setLock(lock({ accountId: 'b', model: 'm', source: 'backoff', until }));
      expect(await store.deleteLocks({ accountId: 'a', model: null, source: 'backoff' })).toBe(0);
      expect(await store.deleteLocks({ accountId: 'b', model: null, source: 'backoff' })).toBe(1);
      expect(keys(await store.listLocks())).toEqual(['a::*', 'b::m']);
      expect(await store.deleteLocks({ source: 'backoff' }, { cleared: true })).toBe(1);
      expect(keys(await store.listLocks())).toEqual(['a::*']);
    });
  });
}

export function describeExclusion(open: Open): void {
  describe('exclusion and health', () => {
    it('runs one task per name at a time; a caller that finds it held waits and does not run', async () => {
      const { store } = await open();
      const events: string[] = [];
      let release: () => void = () => {};
      const holder = store.runExclusive(
        'refresh:a',
        () =>
          new Promise<string>((resolve) => {
            events.push('holder runs');
            release = () => resolve('token');
          }),
        { ttlMs: 60_000 },
      );
      await waitUntil(() => events.includes('holder runs'));
      const waiter = store
        .runExclusive('refresh:a', async () => events.push('waiter runs'), { ttlMs: 60_000 })
        .then((outcome) => {
          events.push('waiter done');
          return outcome;
        });
      const other = await store.runExclusive('refresh:b', async () => 'other', { ttlMs: 60_000 });
      expect(other).toEqual({ ran: true, value: 'other' });
      expect(events).toEqual(['holder runs']);
      release();
      expect(await holder).toEqual({ ran: true, value: 'token' });
      expect(await waiter).toEqual({ ran: false });
      expect(events).toEqual(['holder runs', 'waiter done']);
      expect(await store.runExclusive('refresh:a', async () => 'again', { ttlMs: 60_000 })).toEqual({
        ran: true,
        value: 'again',
      });
    });

    it('claims a name for one holder until its time is up, then for whoever claims it next', async () => {
      const { store, clock } = await open();
      expect(await store.claim('warmup:a:1', 'one', 1000)).toBe(true);
      expect(await store.claim('warmup:a:1', 'two', 1000)).toBe(false);
      expect(await store.claim('warmup:a:2', 'two', 1000)).toBe(true);
      await clock.advance(999);
      // The holder's repeated claim keeps its first end.
      expect(await store.claim('warmup:a:1', 'one', 1000)).toBe(true);
      await clock.advance(1);
      expect(await store.claim('warmup:a:1', 'two', 1000)).toBe(true);
      expect(await store.claim('warmup:a:1', 'one', 1000)).toBe(false);
    });

    it('keeps claims apart from the session bindings', async () => {
      const { store } = await open();
      await store.claim('warmup:a:1', 'one', 60_000);
      expect(await store.countBindings()).toBe(0);
      expect(await store.clearBindings()).toBe(0);
      expect(await store.claim('warmup:a:1', 'two', 60_000)).toBe(false);
    });

    it('gives one of many concurrent claims of a name the claim', async () => {
      const { store } = await open();
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, index) => store.claim('warmup:a:1', `holder-${index}`, 60_000)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('reports its health as not degraded', async () => {
      const { store } = await open();
      expect(store.health()).toMatchObject({ degraded: false, reason: null, since: null });
    });
  });
}

/** Polls `condition` on the event loop (real I/O may be involved), up to two seconds. */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 2000 && !condition(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(condition()).toBe(true);
}

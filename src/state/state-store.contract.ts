import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import type { LockFilter, StateStore } from './state-store.js';
import { FAILURE_COUNT_FADE_MS } from './state-store.js';
import {
  describeAtomicBinding,
  describeAtomicLocks,
  describeExclusion,
  describePick,
  keys,
  lock,
  type Open,
} from './state-store-atomic.contract.js';

/** What a contract test asks an implementation's factory for. */
export interface StateStoreTestOptions {
  /** The clock the store must read all time from. */
  clock: FakeClock;
  bindingTtlMs?: number;
  maxBindings?: number;
}

/** Builds a fresh, empty store for one test. */
export type StateStoreFactory = (options: StateStoreTestOptions) => Promise<StateStore>;

const HOUR = 60 * 60 * 1000;

/**
 * The behaviour every `StateStore` implementation must show. Call it from the implementation's
 * test file: `describeStateStoreContract('MemoryStateStore', (options) => MemoryStateStore.create(options))`.
 */
export function describeStateStoreContract(name: string, factory: StateStoreFactory): void {
  describe(`StateStore contract: ${name}`, () => {
    const opened: StateStore[] = [];
    async function open(options: Partial<StateStoreTestOptions> = {}) {
      const clock = options.clock ?? new FakeClock();
      const store = await factory({ ...options, clock });
      opened.push(store);
      return { store, clock };
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describeBindings(open);
    describeAtomicBinding(open);
    describePick(open);
    describeLocks(open);
    describeAtomicLocks(open);
    describeCounters(open);
    describeExclusion(open);
  });
}

function describeBindings(open: Open): void {
  describe('session bindings', () => {
    it('returns null for a session that was never bound', async () => {
      const { store } = await open();
      expect(await store.getBinding('s1')).toBeNull();
    });

    it('returns the bound account and lets a later set re-bind the session', async () => {
      const { store } = await open();
      await store.setBinding('s1', 'a');
      expect(await store.getBinding('s1')).toBe('a');
      await store.setBinding('s1', 'b');
      expect(await store.getBinding('s1')).toBe('b');
      expect(await store.countBindings()).toBe(1);
    });

    it('expires a binding once the time-to-live has passed since its last use', async () => {
      const { store, clock } = await open({ bindingTtlMs: 1000 });
      await store.setBinding('s1', 'a');
      await clock.advance(999);
      expect(await store.getBinding('s1')).toBe('a');
      await clock.advance(999);
      expect(await store.getBinding('s1')).toBe('a');
      await clock.advance(1000);
      expect(await store.getBinding('s1')).toBeNull();
      expect(await store.countBindings()).toBe(0);
    });

    it('does not count expired bindings', async () => {
      const { store, clock } = await open({ bindingTtlMs: 1000 });
      await store.setBinding('old', 'a');
      await clock.advance(600);
      await store.setBinding('new', 'a');
      await clock.advance(600);
      expect(await store.countBindings()).toBe(1);
    });

    it('evicts the least recently used binding when the cap is reached', async () => {
      const { store } = await open({ maxBindings: 3 });
      await store.setBinding('s1', 'a');
      await store.setBinding('s2', 'a');
      await store.setBinding('s3', 'a');
      await store.getBinding('s1');
      await store.setBinding('s4', 'a');
      expect(await store.getBinding('s2')).toBeNull();
      expect(await store.getBinding('s1')).toBe('a');
      expect(await store.getBinding('s3')).toBe('a');
      expect(await store.getBinding('s4')).toBe('a');
      expect(await store.countBindings()).toBe(3);
    });

    it('re-binding an existing session at the cap evicts nothing', async () => {
      const { store } = await open({ maxBindings: 2 });
      await store.setBinding('s1', 'a');
      await store.setBinding('s2', 'a');
      await store.setBinding('s1', 'b');
      expect(await store.getBinding('s2')).toBe('a');
      expect(await store.getBinding('s1')).toBe('b');
    });

    it('deletes one binding and reports whether it existed', async () => {
      const { store } = await open();
      await store.setBinding('s1', 'a');
      expect(await store.deleteBinding('s1')).toBe(true);
      expect(await store.deleteBinding('s1')).toBe(false);
      expect(await store.getBinding('s1')).toBeNull();
    });

    it('deletes every binding of one account and only those', async () => {
      const { store } = await open();
      await store.setBinding('s1', 'a');
      await store.setBinding('s2', 'b');
      await store.setBinding('s3', 'a');
      expect(await store.deleteBindingsForAccount('a')).toBe(2);
      expect(await store.getBinding('s1')).toBeNull();
      expect(await store.getBinding('s3')).toBeNull();
      expect(await store.getBinding('s2')).toBe('b');
    });

    it('clears all bindings and reports how many there were', async () => {
      const { store } = await open();
      await store.setBinding('s1', 'a');
      await store.setBinding('s2', 'b');
      expect(await store.clearBindings()).toBe(2);
      expect(await store.countBindings()).toBe(0);
      expect(await store.getBinding('s1')).toBeNull();
    });

    it('never holds more bindings than the cap, whatever the operations', async () => {
      const operation = fc.oneof(
        fc.record({ type: fc.constant('set' as const), session: fc.nat(30), account: fc.nat(3) }),
        fc.record({ type: fc.constant('get' as const), session: fc.nat(30) }),
        fc.record({ type: fc.constant('delete' as const), session: fc.nat(30) }),
        fc.record({ type: fc.constant('advance' as const), ms: fc.nat(400) }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 8 }),
          fc.array(operation, { maxLength: 60 }),
          async (cap, ops) => {
            const { store, clock } = await open({ maxBindings: cap, bindingTtlMs: 1000 });
            for (const op of ops) {
              if (op.type === 'set') await store.setBinding(`s${op.session}`, `a${op.account}`);
              else if (op.type === 'get') await store.getBinding(`s${op.session}`);
              else if (op.type === 'delete') await store.deleteBinding(`s${op.session}`);
              else await clock.advance(op.ms);
              expect(await store.countBindings()).toBeLessThanOrEqual(cap);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}

function describeLocks(open: Open): void {
  describe('locks', () => {
    it('lists an active lock and returns account and model locks separately, source included', async () => {
      const { store } = await open();
      const accountLock = lock({ accountId: 'a' });
      const modelLock = lock({
        accountId: 'a',
        model: 'm1',
        reason: 'QuotaExhausted',
        source: 'rate-limit-headers',
      });
      await store.setLock(accountLock);
      await store.setLock(modelLock);
      expect(keys(await store.listLocks())).toEqual(['a::*', 'a::m1']);
      expect(await store.getLocks('a', 'm1')).toEqual({ account: accountLock, model: modelLock });
      expect(await store.getLocks('a', 'm2')).toEqual({ account: accountLock, model: null });
      expect(await store.getLocks('b', 'm1')).toEqual({ account: null, model: null });
    });

    it('stops reporting a lock once its end time is reached', async () => {
      const { store, clock } = await open();
      await store.setLock(lock({ accountId: 'a', until: clock.now() + 1000 }));
      await store.setLock(lock({ accountId: 'b', until: clock.now() + 5000 }));
      expect(keys(await store.listLocks())).toEqual(['a::*', 'b::*']);
      await clock.advance(1000);
      expect(keys(await store.listLocks())).toEqual(['b::*']);
      expect((await store.getLocks('a', 'm')).account).toBeNull();
    });

    it('replaces the lock with the same account and model', async () => {
      const { store, clock } = await open();
      await store.setLock(lock({ accountId: 'a', until: clock.now() + 1000 }));
      await store.setLock(lock({ accountId: 'a', until: clock.now() + 9000 }));
      const locks = await store.listLocks();
      expect(locks).toHaveLength(1);
      expect(locks[0]?.until).toBe(clock.now() + 9000);
    });

    const filters: { name: string; filter: LockFilter | undefined; remaining: string[] }[] = [
      { name: 'no filter removes every lock', filter: undefined, remaining: [] },
      { name: 'an account removes all its scopes', filter: { accountId: 'a' }, remaining: ['b::*', 'b::m1'] },
      {
        name: 'an account with model null removes only its account-level lock',
        filter: { accountId: 'a', model: null },
        remaining: ['a::m1', 'a::m2', 'b::*', 'b::m1'],
      },
      {
        name: 'an account with a model removes only that model lock',
        filter: { accountId: 'a', model: 'm1' },
        remaining: ['a::*', 'a::m2', 'b::*', 'b::m1'],
      },
      {
        name: 'a model alone removes that model on every account',
        filter: { model: 'm1' },
        remaining: ['a::*', 'a::m2', 'b::*'],
      },
    ];
    for (const { name, filter, remaining } of filters) {
      it(`deleteLocks: ${name}`, async () => {
        const { store } = await open();
        for (const [accountId, model] of [
          ['a', null],
          ['a', 'm1'],
          ['a', 'm2'],
          ['b', null],
          ['b', 'm1'],
        ] as const) {
          await store.setLock(lock({ accountId, model }));
        }
        const removed = await store.deleteLocks(filter);
        expect(keys(await store.listLocks())).toEqual(remaining);
        expect(removed).toBe(5 - remaining.length);
      });
    }

    it('counts only active locks as removed', async () => {
      const { store, clock } = await open();
      await store.setLock(lock({ accountId: 'a', until: clock.now() + 1000 }));
      await store.setLock(lock({ accountId: 'a', model: 'm', until: clock.now() + 5000 }));
      await clock.advance(2000);
      expect(await store.deleteLocks({ accountId: 'a' })).toBe(1);
    });
  });
}

function describeCounters(open: Open): void {
  describe('failure counts', () => {
    it('counts consecutive failures from 1 and forgets them on reset', async () => {
      const { store, clock } = await open();
      expect(await store.getFailureCount('a')).toBeNull();
      expect((await store.incrementFailureCount('a')).count).toBe(1);
      await clock.advance(10);
      expect(await store.incrementFailureCount('a')).toEqual({ count: 2, lastFailureAt: clock.now() });
      expect(await store.getFailureCount('a')).toEqual({ count: 2, lastFailureAt: clock.now() });
      expect(await store.getFailureCount('b')).toBeNull();
      await store.resetFailureCount('a');
      expect(await store.getFailureCount('a')).toBeNull();
    });

    it('fades a count after an hour without failures, so the next failure counts as the first', async () => {
      const { store, clock } = await open();
      await store.incrementFailureCount('a');
      await store.incrementFailureCount('a');
      await clock.advance(FAILURE_COUNT_FADE_MS - 1);
      expect((await store.getFailureCount('a'))?.count).toBe(2);
      await clock.advance(1);
      expect(await store.getFailureCount('a')).toBeNull();
      expect((await store.incrementFailureCount('a')).count).toBe(1);
      expect(FAILURE_COUNT_FADE_MS).toBe(HOUR);
    });
  });

  describe('round robin, last used, fixed account', () => {
    it('increments the round-robin counter atomically, by one or by a given step', async () => {
      const { store } = await open();
      expect(await store.incrementRoundRobin()).toBe(1);
      expect(await store.incrementRoundRobin(5)).toBe(6);
      const values = await Promise.all(Array.from({ length: 50 }, () => store.incrementRoundRobin()));
      expect(new Set(values).size).toBe(50);
      expect(Math.max(...values)).toBe(56);
    });

    it('stores the last-used record and the fixed account, both null at first', async () => {
      const { store } = await open();
      expect(await store.getLastUsed()).toBeNull();
      expect(await store.getFixedAccountId()).toBeNull();
      await store.setLastUsed({ accountId: 'a', at: 123 });
      await store.setFixedAccountId('b');
      expect(await store.getLastUsed()).toEqual({ accountId: 'a', at: 123 });
      expect(await store.getFixedAccountId()).toBe('b');
      await store.setLastUsed(null);
      await store.setFixedAccountId(null);
      expect(await store.getLastUsed()).toBeNull();
      expect(await store.getFixedAccountId()).toBeNull();
    });
  });
}

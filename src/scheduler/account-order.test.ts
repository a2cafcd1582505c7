import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '../core/account.js';
import { isSchedulable, TIERS } from '../core/account.js';
import { MemoryAccountPool } from '../core/account-pool.js';
import { AccountOrder, compareForModel } from './account-order.js';
import { quotaOf, testAccount } from './test-account.js';

const MODEL = 'm1';

function ids(accounts: readonly Account[]): string[] {
  return accounts.map((account) => account.id);
}

describe('AccountOrder', () => {
  it('orders ULTRA > PRO > FREE > no tier, then remaining quota for the model descending, then creation', () => {
    const pool = new MemoryAccountPool([
      testAccount('free', { tier: 'FREE', createdAt: 1 }),
      testAccount('none', { createdAt: 0 }),
      testAccount('pro-low', { tier: 'PRO', quota: quotaOf(MODEL, 0.2) }),
      testAccount('pro-high', { tier: 'PRO', quota: quotaOf(MODEL, 0.9), createdAt: 5 }),
      testAccount('pro-unknown-late', { tier: 'PRO', createdAt: 9 }),
      testAccount('pro-unknown-early', { tier: 'PRO', createdAt: 8 }),
      testAccount('ultra', { tier: 'ULTRA', quota: quotaOf(MODEL, 0.01), createdAt: 9 }),
    ]);
    expect(ids(new AccountOrder(pool).eligibleFor(MODEL))).toEqual([
      'ultra',
      'pro-unknown-early',
      'pro-unknown-late',
      'pro-high',
      'pro-low',
      'free',
      'none',
    ]);
  });

  it('sorts each model by that model’s quota only', () => {
    const pool = new MemoryAccountPool([
      testAccount('a', { quota: { ...quotaOf('m1', 0.1), ...quotaOf('m2', 0.9) } }),
      testAccount('b', { quota: { ...quotaOf('m1', 0.8), ...quotaOf('m2', 0.2) } }),
    ]);
    const order = new AccountOrder(pool);
    expect(ids(order.eligibleFor('m1'))).toEqual(['b', 'a']);
    expect(ids(order.eligibleFor('m2'))).toEqual(['a', 'b']);
  });

  it('keeps a separate order per provider filter, patched like the others', () => {
    const pool = new MemoryAccountPool([
      testAccount('o1'),
      testAccount('a1', { provider: 'anthropic' }),
      testAccount('g1', { provider: 'gemini' }),
    ]);
    const order = new AccountOrder(pool);
    expect(ids(order.eligibleFor(MODEL, new Set(['anthropic'])))).toEqual(['a1']);
    expect(ids(order.eligibleFor(MODEL, new Set(['anthropic', 'gemini'])))).toEqual(['a1', 'g1']);
    expect(ids(order.eligibleFor(MODEL, null))).toEqual(['a1', 'g1', 'o1']);
    pool.upsert(testAccount('a0', { provider: 'anthropic', tier: 'PRO' }));
    expect(ids(order.eligibleFor(MODEL, new Set(['anthropic'])))).toEqual(['a0', 'a1']);
    expect(ids(order.eligibleFor(MODEL, new Set()))).toEqual([]);
  });

  it('leaves out disabled, proxy-disabled and non-serving accounts, and counts them', () => {
    const pool = new MemoryAccountPool([
      testAccount('a', { disabled: true }),
      testAccount('b', { proxyDisabled: true }),
      testAccount('c', { models: ['gpt-*'] }),
      testAccount('d'),
    ]);
    const order = new AccountOrder(pool);
    expect(ids(order.eligibleFor(MODEL))).toEqual(['d']);
    expect(ids(order.eligibleFor('gpt-4o'))).toEqual(['c', 'd']);
    expect(order.totalCount).toBe(4);
    expect(order.enabledCount).toBe(2);
  });

  it('patches a built order on quota, tier, enable and removal changes without re-sorting', () => {
    const pool = new MemoryAccountPool([testAccount('a'), testAccount('b'), testAccount('c')]);
    const order = new AccountOrder(pool);
    const built = order.eligibleFor(MODEL);
    pool.upsert(testAccount('a', { quota: quotaOf(MODEL, 0.5) }));
    expect(ids(order.eligibleFor(MODEL))).toEqual(['b', 'c', 'a']);
    pool.upsert(testAccount('c', { tier: 'PRO' }));
    expect(ids(order.eligibleFor(MODEL))).toEqual(['c', 'b', 'a']);
    pool.upsert(testAccount('b', { disabled: true }));
    expect(ids(order.eligibleFor(MODEL))).toEqual(['c', 'a']);
    expect(order.enabledCount).toBe(2);
    pool.remove('c');
    pool.upsert(testAccount('d'));
    expect(ids(order.eligibleFor(MODEL))).toEqual(['d', 'a']);
    expect(order.eligibleFor(MODEL)).toBe(built);
    expect(order.totalCount).toBe(3);
  });

  it('replaces an account in place when its sort key did not change', () => {
    const pool = new MemoryAccountPool([testAccount('a'), testAccount('b')]);
    const order = new AccountOrder(pool);
    order.eligibleFor(MODEL);
    const renamed = testAccount('a', { email: 'renamed@example.test' });
    pool.upsert(renamed);
    expect(order.eligibleFor(MODEL)[0]).toBe(renamed);
  });

  it('rebuilds after the pool is replaced as a whole', () => {
    const pool = new MemoryAccountPool([testAccount('a')]);
    const order = new AccountOrder(pool);
    order.eligibleFor(MODEL);
    pool.replaceAll([testAccount('x'), testAccount('y', { disabled: true })]);
    expect(ids(order.eligibleFor(MODEL))).toEqual(['x']);
    expect(order.totalCount).toBe(2);
    expect(order.enabledCount).toBe(1);
  });

  it('keeps at most maxCachedModels orders and still answers for evicted models', () => {
    const pool = new MemoryAccountPool([testAccount('a')]);
    const order = new AccountOrder(pool, { maxCachedModels: 2 });
    order.eligibleFor('m1');
    order.eligibleFor('m2');
    order.eligibleFor('m3');
    const internals = order as unknown as { orders: Map<string, unknown> };
    expect([...internals.orders.keys()].map((key) => key.split(':')[1])).toEqual(['m2', 'm3']);
    expect(ids(order.eligibleFor('m1'))).toEqual(['a']);
  });

  it('stops following the pool once closed', () => {
    const pool = new MemoryAccountPool([testAccount('a')]);
    const order = new AccountOrder(pool);
    order.close();
    pool.upsert(testAccount('b'));
    expect(order.totalCount).toBe(1);
  });

  it('after any sequence of changes, equals a fresh sort of the pool (property)', () => {
    const change = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      remove: fc.boolean(),
      tier: fc.constantFrom(null, ...TIERS),
      m1: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      m2: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      disabled: fc.boolean(),
      models: fc.constantFrom<string[]>([], ['m1'], ['m2'], ['m*']),
      createdAt: fc.nat(3),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const pool = new MemoryAccountPool();
        const order = new AccountOrder(pool);
        order.eligibleFor('m1');
        order.eligibleFor('m2');
        for (const step of changes) {
          if (step.remove) pool.remove(step.id);
          else {
            const quota = {
              ...(step.m1 === null ? {} : quotaOf('m1', step.m1)),
              ...(step.m2 === null ? {} : quotaOf('m2', step.m2)),
            };
            pool.upsert(
              testAccount(step.id, {
                tier: step.tier,
                quota,
                disabled: step.disabled,
                models: step.models,
                createdAt: step.createdAt,
              }),
            );
          }
          for (const model of ['m1', 'm2']) {
            const fresh = new AccountOrder(pool).eligibleFor(model);
            expect(ids(order.eligibleFor(model))).toEqual(ids(fresh));
          }
          expect(order.enabledCount).toBe(pool.list().filter(isSchedulable).length);
          expect(order.totalCount).toBe(pool.list().length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('compareForModel is a strict total order on distinct ids', () => {
    const a = testAccount('a');
    const b = testAccount('b');
    expect(compareForModel(a, b, MODEL)).toBeLessThan(0);
    expect(compareForModel(b, a, MODEL)).toBeGreaterThan(0);
    expect(compareForModel(a, a, MODEL)).toBe(0);
  });
});

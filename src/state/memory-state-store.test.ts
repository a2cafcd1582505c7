import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import type { LockPersistence, RateLimitLock } from '../core/limits.js';
import type { LocalState } from './local-state.js';
import { MemoryStateStore } from './memory-state-store.js';
import { describeStateStoreContract } from './state-store.contract.js';

describeStateStoreContract('MemoryStateStore', (options) => MemoryStateStore.create(options));

class RecordingPersistence implements LockPersistence {
  saved: RateLimitLock[] = [];
  removed: { accountId?: string; model?: string | null }[] = [];
  constructor(private readonly stored: RateLimitLock[] = []) {}

  async loadActive(now: number): Promise<RateLimitLock[]> {
    return this.stored.filter((lock) => lock.until > now);
  }
  async save(lock: RateLimitLock): Promise<void> {
    this.saved.push(lock);
  }
  async remove(filter: { accountId?: string; model?: string | null }): Promise<void> {
    this.removed.push(filter);
  }
}

function lock(accountId: string, model: string | null, until: number): RateLimitLock {
  return {
    accountId,
    scope: model === null ? 'account' : 'model',
    model,
    reason: model === null ? 'RateLimitExceeded' : 'QuotaExhausted',
    source: 'backoff',
    until,
    detectedAt: until - 60_000,
    message: null,
  };
}

describe('MemoryStateStore lock persistence', () => {
  it('loads the persisted locks that are still active when created', async () => {
    const clock = new FakeClock();
    const persisted = [lock('a', 'm', clock.now() + 60_000), lock('b', null, clock.now() - 1)];
    const store = await MemoryStateStore.create({
      clock,
      lockPersistence: new RecordingPersistence(persisted),
    });
    expect(await store.listLocks()).toEqual([persisted[0]]);
    expect((await store.getLocks('a', 'm')).model).toEqual(persisted[0]);
    await store.close();
  });

  it('saves every lock that is set', async () => {
    const clock = new FakeClock();
    const persistence = new RecordingPersistence();
    const store = await MemoryStateStore.create({ clock, lockPersistence: persistence });
    const accountLock = lock('a', null, clock.now() + 1000);
    await store.setLock(accountLock);
    expect(persistence.saved).toEqual([accountLock]);
    await store.close();
  });

  it('removes deleted locks from persistence with the same filter, and only when something matched', async () => {
    const clock = new FakeClock();
    const persistence = new RecordingPersistence();
    const store = await MemoryStateStore.create({ clock, lockPersistence: persistence });
    await store.deleteLocks({ accountId: 'a', model: null });
    expect(persistence.removed).toEqual([]);
    await store.setLock(lock('a', null, clock.now() + 1000));
    await store.setLock(lock('a', 'm', clock.now() + 1000));
    await store.setLock(lock('b', 'm', clock.now() + 1000));
    await store.deleteLocks({ accountId: 'a', model: null });
    await store.deleteLocks({ model: 'm' });
    expect(persistence.removed).toEqual([
      { accountId: 'a', model: null },
      { accountId: 'a', model: 'm' },
      { accountId: 'b', model: 'm' },
    ]);
    await store.close();
  });
});

describe('MemoryStateStore housekeeping', () => {
  it('returns the same frozen lock list until a lock changes or expires', async () => {
    const clock = new FakeClock();
    const store = await MemoryStateStore.create({ clock });
    await store.setLock(lock('a', null, clock.now() + 1000));
    const first = await store.listLocks();
    expect(Object.isFrozen(first)).toBe(true);
    expect(await store.listLocks()).toBe(first);
    await store.setLock(lock('b', null, clock.now() + 5000));
    const second = await store.listLocks();
    expect(second).not.toBe(first);
    expect(second).toHaveLength(2);
    await clock.advance(1000);
    expect(await store.listLocks()).toHaveLength(1);
    await store.close();
  });

  it('sweeps expired bindings and locks on its timer and stops the timer on close', async () => {
    const clock = new FakeClock();
    const store = await MemoryStateStore.create({ clock, bindingTtlMs: 1000, sweepIntervalMs: 5000 });
    await store.setBinding('s1', 'a');
    await store.setLock(lock('a', null, clock.now() + 1000));
    expect(clock.pendingTimers()).toBe(1);
    const { state } = store as unknown as { state: LocalState };
    await clock.advance(4999);
    expect(state.bindings.size).toBe(1);
    await clock.advance(1);
    expect(state.bindings.size).toBe(0);
    expect(state.locks.size).toBe(0);
    await store.close();
    expect(clock.pendingTimers()).toBe(0);
  });
});

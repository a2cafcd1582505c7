import { describe, expect, it } from 'vitest';
import type { LockPersistence, RateLimitLock } from '../core/limits.js';
import { BackgroundLockPersistence } from './background-lock-persistence.js';

function lock(accountId: string): RateLimitLock {
  return {
    accountId,
    scope: 'account',
    model: null,
    reason: 'Unknown',
    source: 'backoff',
    until: 2000,
    detectedAt: 1000,
    message: null,
  };
}

/** Records writes; fails while `down`, and holds every write until released while `held`. */
class FlakyPersistence implements LockPersistence {
  down = false;
  saved: string[] = [];
  private held: (() => void)[] | null = null;

  hold(): void {
    this.held = [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const resume of held) resume();
  }
  async loadActive(): Promise<RateLimitLock[]> {
    return [lock('loaded')];
  }
  async save(saved: RateLimitLock): Promise<void> {
    if (this.held) await new Promise<void>((resolve) => this.held?.push(resolve));
    if (this.down) throw new Error('connection refused');
    this.saved.push(saved.accountId);
  }
  async remove(): Promise<void> {
    if (this.down) throw new Error('connection refused');
    this.saved.push('removed');
  }
}

describe('BackgroundLockPersistence', () => {
  it('resolves writes at once, even while the database holds them, and stores them in order', async () => {
    const inner = new FlakyPersistence();
    const persistence = new BackgroundLockPersistence({ inner, onHealthChange: () => undefined });
    inner.hold();

    await persistence.save(lock('a'));
    await persistence.remove({ accountId: 'a' });
    await persistence.save(lock('b'));
    expect(inner.saved).toEqual([]);

    inner.release();
    await persistence.flush();
    expect(inner.saved).toEqual(['a', 'removed', 'b']);
  });

  it('never throws when the database is down: counts the failures and reports the outage once, then the recovery', async () => {
    const inner = new FlakyPersistence();
    const reports: (string | null)[] = [];
    const persistence = new BackgroundLockPersistence({
      inner,
      onHealthChange: (error) => reports.push(error === null ? null : (error as Error).message),
    });
    inner.down = true;

    await persistence.save(lock('a'));
    await persistence.save(lock('b'));
    await persistence.flush();
    inner.down = false;
    await persistence.save(lock('c'));
    await persistence.flush();

    expect(reports).toEqual(['connection refused', null]);
    expect(persistence.stats()).toEqual({ queued: 0, written: 1, failed: 2, dropped: 0 });
    expect(inner.saved).toEqual(['c']);
  });

  it('drops the oldest queued writes beyond its capacity, counting them', async () => {
    const inner = new FlakyPersistence();
    const persistence = new BackgroundLockPersistence({
      inner,
      onHealthChange: () => undefined,
      capacity: 2,
    });
    inner.hold();

    for (const id of ['a', 'b', 'c', 'd']) await persistence.save(lock(id));
    inner.release();
    await persistence.flush();

    // 'a' was already being written when the queue filled up; 'b' was dropped.
    expect(inner.saved).toEqual(['a', 'c', 'd']);
    expect(persistence.stats().dropped).toBe(1);
  });

  it('loads the active locks from the database directly', async () => {
    const persistence = new BackgroundLockPersistence({
      inner: new FlakyPersistence(),
      onHealthChange: () => undefined,
    });
    expect(await persistence.loadActive(0)).toEqual([lock('loaded')]);
  });
});

describe('BackgroundLockPersistence with the store availability', () => {
  /** Says the store answers while `up`; `recover()` brings it back and calls the listeners. */
  function availability() {
    const listeners: (() => void)[] = [];
    const state = {
      up: true,
      get writable() {
        return state.up;
      },
      reportFailure: (error: unknown) => {
        const unreachable = error instanceof Error && error.message === 'connection refused';
        if (unreachable) state.up = false;
        return unreachable;
      },
      onAvailable: (listener: () => void) => {
        listeners.push(listener);
        return () => undefined;
      },
      recover: () => {
        state.up = true;
        for (const listener of listeners) listener();
      },
    };
    return state;
  }

  it('holds the writes that met an unreachable store, in order, and writes them once it answers', async () => {
    const inner = new FlakyPersistence();
    const store = availability();
    const persistence = new BackgroundLockPersistence({
      inner,
      availability: store,
      onHealthChange: () => undefined,
    });
    inner.down = true;

    await persistence.save(lock('a'));
    await persistence.flush();
    await persistence.save(lock('b'));
    await persistence.remove({ accountId: 'a' });
    await persistence.flush();
    expect(inner.saved).toEqual([]);
    expect(persistence.stats()).toMatchObject({ queued: 3, failed: 0, dropped: 0 });

    inner.down = false;
    store.recover();
    await persistence.flush();

    expect(inner.saved).toEqual(['a', 'b', 'removed']);
    expect(persistence.stats()).toMatchObject({ queued: 0, written: 3 });
  });
});

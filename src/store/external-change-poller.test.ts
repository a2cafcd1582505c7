import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { ExternalChangePoller } from './external-change-poller.js';
import type { StoreChangeFeed } from './store-change-feed.js';
import type { StoreAvailability } from './store-health.js';

/**
 * A feed that, like PostgreSQL's, says each change once: `commit` stores a row and then notifies
 * (a notification arrives after its commit); `changedSinceMark` is exact.
 */
class OnceFeed implements StoreChangeFeed {
  readonly committed: string[] = [];
  private dirty = false;
  private readonly listeners = new Set<() => void>();

  commit(row: string): void {
    this.committed.push(row);
    this.dirty = true;
    for (const listener of this.listeners) listener();
  }

  async mark(): Promise<void> {
    this.dirty = false;
  }

  async changedSinceMark(): Promise<boolean> {
    return this.dirty;
  }

  watch(options: Parameters<StoreChangeFeed['watch']>[0]): () => void {
    this.listeners.add(options.onChange);
    return () => this.listeners.delete(options.onChange);
  }

  async announce(): Promise<void> {}

  async close(): Promise<void> {}
}

class FakeAvailability implements StoreAvailability {
  writable = true;
  private readonly listeners = new Set<() => void>();

  reportFailure(): boolean {
    return false;
  }

  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  guard<T>(operation: () => Promise<T>): Promise<T> {
    return operation();
  }

  answersAgain(): void {
    this.writable = true;
    for (const listener of this.listeners) listener();
  }
}

/**
 * A store's memory over `feed`: `refresh` marks, takes the committed rows as they are, and keeps
 * them once `whileReading` (the read's round trip) has resolved.
 */
function setup() {
  const feed = new OnceFeed();
  const availability = new FakeAvailability();
  const memory: { rows: string[]; refreshes: number; failingReads: number } = {
    rows: [],
    refreshes: 0,
    failingReads: 0,
  };
  const clock = new FakeClock();
  let queue: Promise<unknown> = Promise.resolve();
  let whileReading: () => Promise<void> = async () => undefined;
  const onFailure = vi.fn();
  const poller = new ExternalChangePoller({
    changes: feed,
    clock,
    availability,
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      const run = queue.then(task, task);
      queue = run.catch(() => undefined);
      return run;
    },
    loaded: () => true,
    async refresh() {
      memory.refreshes += 1;
      await feed.mark();
      if (memory.failingReads > 0) {
        memory.failingReads -= 1;
        throw new Error('the read failed');
      }
      const snapshot = [...feed.committed];
      await whileReading();
      memory.rows = snapshot;
    },
    onFailure,
  });
  return {
    feed,
    clock,
    availability,
    memory,
    poller,
    onFailure,
    duringRead(step: () => Promise<void>) {
      whileReading = step;
    },
  };
}

describe('ExternalChangePoller', () => {
  it('reads again a change notified while a poll was reading the rows without it', async () => {
    const { feed, memory, poller, duringRead } = setup();
    poller.start(1000);
    let readsLeft = 1;
    duringRead(async () => {
      if (readsLeft-- > 0) feed.commit('b'); // committed after the read began, notified before it ended
    });

    feed.commit('a');

    await vi.waitFor(() => expect(memory.rows).toEqual(['a', 'b']));
    expect(memory.refreshes).toBe(2);
  });

  it('shares one poll among the notifications that arrive before it starts looking', async () => {
    const { feed, memory, poller } = setup();
    poller.start(1000);
    await vi.waitFor(() => expect(memory.refreshes).toBe(0));

    feed.commit('a');
    feed.commit('b');
    feed.commit('c');

    await vi.waitFor(() => expect(memory.rows).toEqual(['a', 'b', 'c']));
    expect(await poller.poll()).toBe(false);
    expect(memory.refreshes).toBe(1);
  });

  it('reads the changes notified before watching started as soon as it starts', async () => {
    const { feed, memory, poller } = setup();
    feed.commit('a'); // after the first load, before the gateway watches

    poller.start(1000);

    await vi.waitFor(() => expect(memory.rows).toEqual(['a']));
  });

  it('reads the changes notified while the database did not answer once it answers again', async () => {
    const { feed, availability, memory, poller } = setup();
    poller.start(1000);
    availability.writable = false;

    feed.commit('a');
    await Promise.resolve();
    expect(memory.refreshes).toBe(0);
    availability.answersAgain();

    await vi.waitFor(() => expect(memory.rows).toEqual(['a']));
  });

  it('tries a poll whose read failed again after the interval, although the feed counts the change as seen', async () => {
    const { feed, clock, memory, poller, onFailure } = setup();
    poller.start(1000);
    memory.failingReads = 1;

    feed.commit('a');
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledOnce());
    expect(memory.rows).toEqual([]);
    await clock.advance(1000);

    await vi.waitFor(() => expect(memory.rows).toEqual(['a']));
    expect(memory.refreshes).toBe(2);
    // The look watching started with and the commit's joined one poll: its failure is told once.
    expect(onFailure).toHaveBeenCalledOnce();
  });

  it('tries a poll that keeps failing at doubling intervals', async () => {
    const { feed, clock, memory, poller, onFailure } = setup();
    poller.start(1000);
    memory.failingReads = 3;

    feed.commit('a');
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledTimes(1));
    await clock.advance(1000);
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledTimes(2));
    await clock.advance(1999);
    expect(memory.refreshes).toBe(2);
    await clock.advance(1);
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledTimes(3));
    await clock.advance(4000);

    await vi.waitFor(() => expect(memory.rows).toEqual(['a']));
    expect(memory.refreshes).toBe(4);
  });

  it('drops the retry of a failed poll on stop', async () => {
    const { feed, clock, memory, poller, onFailure } = setup();
    poller.start(1000);
    memory.failingReads = 1;
    feed.commit('a');
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledOnce());

    poller.stop();
    await clock.advance(60_000);

    expect(memory.refreshes).toBe(1);
    expect(memory.rows).toEqual([]);
  });

  it('stops looking on stop, also when the database answers again', async () => {
    const { feed, availability, memory, poller } = setup();
    poller.start(1000);
    await poller.poll(); // the look watching starts with
    poller.stop();

    feed.commit('a');
    availability.answersAgain();
    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(memory.refreshes).toBe(0);
  });
});

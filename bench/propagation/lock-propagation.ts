/**
 * How long a rate-limit lock set by one instance takes to reach another instance's lock mirror —
 * the copy its scheduler reads on every pick without asking Redis. Two `RedisStateStore`s on one
 * real Redis, each with its own connections and pub/sub subscription, stand for two instances: one
 * sets (or clears) a lock, the other's `readForPick` is polled until its snapshot shows the change.
 */
import { systemClock } from '../../src/core/clock.js';
import { systemIds } from '../../src/core/ids.js';
import { testAccountLock } from '../../src/scheduler/test-account.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';

export interface PropagationSample {
  /** What travelled, e.g. "lock set". */
  change: string;
  /** Milliseconds from the write returning on one instance to the change being seen on another. */
  delaysMs: number[];
}

/** Polls `seen` on every turn of the event loop until it holds; returns the ms it took. */
export async function timeUntil(seen: () => boolean | Promise<boolean>, limitMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await seen()) return performance.now() - start;
    if (performance.now() - start > limitMs) throw new Error(`not seen within ${limitMs} ms`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** `trials` locks set on one store and then cleared, each timed until the other store's mirror agrees. */
export async function measureLockPropagation(options: {
  redisUrl: string;
  keyPrefix: string;
  trials: number;
}): Promise<PropagationSample[]> {
  const connect = () =>
    RedisStateStore.connect({
      url: options.redisUrl,
      keyPrefix: options.keyPrefix,
      clock: systemClock,
      ids: systemIds,
      commandTimeoutMs: 2000,
    });
  const [writer, reader] = [await connect(), await connect()];
  const set: number[] = [];
  const cleared: number[] = [];
  const mirrored = async (accountId: string) => {
    const snapshot = await reader.readForPick({ sessionId: null, lastUsed: false });
    return snapshot.locks.some((lock) => lock.accountId === accountId);
  };
  try {
    for (let trial = 0; trial < options.trials; trial++) {
      const accountId = `propagation-${trial}`;
      const now = systemClock.now();
      await writer.setLock(testAccountLock(accountId, { detectedAt: now, until: now + 600_000 }));
      set.push(await timeUntil(() => mirrored(accountId), 10_000));
      await writer.deleteLocks({ accountId }, { cleared: true });
      cleared.push(await timeUntil(async () => !(await mirrored(accountId)), 10_000));
    }
  } finally {
    await writer.close();
    await reader.close();
  }
  return [
    { change: 'rate-limit lock set on one instance', delaysMs: set },
    { change: 'rate-limit lock cleared', delaysMs: cleared },
  ];
}

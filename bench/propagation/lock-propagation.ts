/**
 * How long a change made by one instance takes to reach what another instance schedules on without
 * asking Redis: a rate-limit lock into its lock mirror, a re-binding of a session into its lease on
 * that session's binding, a fixed account into its mirror. Two `RedisStateStore`s on one real
 * Redis, each with its own connections and pub/sub subscription, stand for two instances: one makes
 * the change, the other's `readForPick` is polled until its snapshot shows it.
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
  /** The design's target for it, ms (100 for what a pick reads from a mirror, 1 000 for admin changes). */
  targetMs: number;
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
  const rebound: number[] = [];
  const fixed: number[] = [];
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

      // The reader leases the session's binding, then the writer moves the session elsewhere.
      const sessionId = `propagation-session-${trial}`;
      await writer.setBinding(sessionId, 'before');
      const bound = async () =>
        (await reader.readForPick({ sessionId, lastUsed: false })).boundAccountId ?? 'none';
      await timeUntil(async () => (await bound()) === 'before', 10_000);
      await writer.setBinding(sessionId, 'after');
      rebound.push(await timeUntil(async () => (await bound()) === 'after', 10_000));
      const pinned = `fixed-${trial}`;
      await writer.setFixedAccountId(pinned);
      fixed.push(
        await timeUntil(
          async () => (await reader.readForPick({ sessionId, lastUsed: false })).fixedAccountId === pinned,
          10_000,
        ),
      );
    }
    await writer.setFixedAccountId(null);
  } finally {
    await writer.close();
    await reader.close();
  }
  return [
    { change: 'rate-limit lock set on one instance', delaysMs: set, targetMs: 100 },
    { change: 'rate-limit lock cleared', delaysMs: cleared, targetMs: 100 },
    {
      change: "session re-bound on one instance, seen through another's lease",
      delaysMs: rebound,
      targetMs: 100,
    },
    {
      change: "fixed account set on one instance, seen through another's lease",
      delaysMs: fixed,
      targetMs: 1000,
    },
  ];
}

import { describe, expect, it } from 'vitest';
import { runLimited } from './run-limited.js';

/** A promise resolved from outside, to control the order in which work finishes. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('runLimited', () => {
  it('never runs more than `limit` items at once and starts the next as one finishes', async () => {
    const gates = [0, 1, 2, 3].map(() => deferred<string>());
    const started: number[] = [];
    const run = runLimited({
      items: [0, 1, 2, 3],
      limit: 2,
      work: (item) => {
        started.push(item);
        return (gates[item] as ReturnType<typeof deferred<string>>).promise;
      },
    });
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]?.resolve('b');
    for (let step = 0; step < 5; step++) await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve('a');
    gates[2]?.resolve('c');
    gates[3]?.resolve('d');
    await expect(run).resolves.toEqual(['a', 'b', 'c', 'd']);
  });

  it('reports progress after each item and returns results in item order', async () => {
    const progress: number[] = [];
    const results = await runLimited({
      items: [30, 10, 20],
      limit: 3,
      work: async (item) => item * 2,
      onSettled: (done) => progress.push(done),
    });
    expect(results).toEqual([60, 20, 40]);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('returns an empty list for no items without calling work', async () => {
    const results = await runLimited({
      items: [],
      limit: 4,
      work: async () => {
        throw new Error('must not run');
      },
    });
    expect(results).toEqual([]);
  });
});

/** A bounded-concurrency loop for the UI's per-item admin calls (quota refresh of a selection). */

/**
 * Runs `work` on every item, at most `limit` at a time, and returns the results in item order.
 * `onSettled(done)` is called after each item with how many have finished. `work` should not
 * reject: turn failures into results, so one failed item does not hide the others.
 */
export async function runLimited<T, R>(options: {
  items: readonly T[];
  limit: number;
  work(item: T): Promise<R>;
  onSettled?(done: number): void;
}): Promise<R[]> {
  const { items, work, onSettled } = options;
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
      done += 1;
      onSettled?.(done);
    }
  };
  const workers = Math.max(1, Math.min(options.limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

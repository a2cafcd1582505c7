/** Runs `work` on every item with at most `limit` running at once; resolves with the results in order. */
export async function runLimited<Item, Result>(options: {
  items: readonly Item[];
  limit: number;
  work: (item: Item) => Promise<Result>;
}): Promise<Result[]> {
  const { items, work } = options;
  const results: Result[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as Item);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}

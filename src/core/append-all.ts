/**
 * Appends every item of `items` to `target` and returns `target`. Unlike `target.push(...items)`,
 * which passes each item as a call argument and throws a RangeError (stack overflow) past about
 * 120 000 items, this works for arrays of any length — a client can send that many parts.
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}

/**
 * A first-in first-out queue with a fixed capacity. Pushing into a full queue drops the oldest
 * item and counts it, so memory stays bounded however far the consumer falls behind.
 */
export class BoundedQueue<Item> {
  private readonly slots: (Item | undefined)[];
  private head = 0;
  private length = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`BoundedQueue capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<Item | undefined>(capacity);
  }

  /** Items waiting. */
  get size(): number {
    return this.length;
  }

  /** Items dropped because the queue was full, since it was created. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Appends `item`; when full, the oldest item is dropped first. Returns false when one was dropped. */
  push(item: Item): boolean {
    const full = this.length === this.capacity;
    if (full) {
      this.head = (this.head + 1) % this.capacity;
      this.length -= 1;
      this.droppedCount += 1;
    }
    this.slots[(this.head + this.length) % this.capacity] = item;
    this.length += 1;
    return !full;
  }

  /**
   * Puts `items` (taken earlier, oldest first) back in front of everything queued, as the oldest.
   * Where there is no room the oldest of them are dropped and counted. Returns how many were dropped.
   */
  unshiftAll(items: readonly Item[]): number {
    let index = items.length - 1;
    for (; index >= 0 && this.length < this.capacity; index--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.slots[this.head] = items[index];
      this.length += 1;
    }
    const dropped = index + 1;
    this.droppedCount += dropped;
    return dropped;
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  shift(): Item | undefined {
    if (this.length === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.length -= 1;
    return item;
  }

  /** Removes and returns up to `max` of the oldest items, oldest first. */
  take(max: number): Item[] {
    const items: Item[] = [];
    while (items.length < max && this.length > 0) {
      items.push(this.shift() as Item);
    }
    return items;
  }

  /** Empties the queue (not counted as dropped). Returns how many items were removed. */
  clear(): number {
    const removed = this.length;
    this.slots.fill(undefined);
    this.head = 0;
    this.length = 0;
    return removed;
  }
}

/** Something to do at a virtual time. */
export interface SimulationEvent {
  /** Virtual epoch ms. */
  at: number;
  run: () => Promise<void> | void;
}

interface QueuedEvent extends SimulationEvent {
  /** Insertion order: events at the same time run first-in first-out, so runs are deterministic. */
  sequence: number;
}

/** A binary min-heap of events ordered by time, then by insertion. */
export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(event: SimulationEvent): void {
    const heap = this.heap;
    heap.push({ ...event, sequence: this.counter++ });
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      swap(heap, index, parent);
      index = parent;
    }
  }

  /** Removes and returns the earliest event, or undefined when the queue is empty. */
  pop(): SimulationEvent | undefined {
    const heap = this.heap;
    const first = heap[0];
    const last = heap.pop();
    if (first === undefined || last === undefined || heap.length === 0) return first;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) break;
      swap(heap, index, smallest);
      index = smallest;
    }
    return first;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.sequence < b.sequence);
}

function swap(heap: QueuedEvent[], a: number, b: number): void {
  const held = heap[a]!;
  heap[a] = heap[b]!;
  heap[b] = held;
}

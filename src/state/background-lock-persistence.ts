import type { LockPersistence, RateLimitLock } from '../core/limits.js';

/** What the writes need to know about the store (`StoreAvailability` in `src/store/store-health.ts`). */
export interface LockWriteAvailability {
  /** False while the store is known not to answer: writes wait in the queue meanwhile. */
  readonly writable: boolean;
  /** True when `error` says the store did not answer (the write is kept and retried), false otherwise. */
  reportFailure(error: unknown): boolean;
  /** Calls `listener` when the store answers again; returns the function that stops it. */
  onAvailable(listener: () => void): () => void;
}

export interface BackgroundLockPersistenceOptions {
  /** Where the writes go (the store's `DatabaseLockPersistence`). */
  inner: LockPersistence;
  /**
   * Told when writes start failing (once, until one succeeds again) and when they recover
   * (`error` null). Never told once per failed write: an outage must not flood the log.
   */
  onHealthChange: (error: unknown | null) => void;
  /** Writes waiting at most; the oldest are dropped (and counted) beyond it. Default 1000. */
  capacity?: number;
  /**
   * The store's reachability. With it, a write that fails because the store does not answer is
   * kept (at the head of the queue) and the queue waits until the store answers again, then
   * drains in order; without it, or for any other failure, the write is counted and dropped.
   */
  availability?: LockWriteAvailability;
}

type LockFilter = Parameters<LockPersistence['remove']>[0];

/**
 * Keeps the request path off the database: `save` and `remove` queue the write and resolve at once;
 * the writes run one at a time, in order, in the background. A write the database refuses is
 * counted and dropped, never thrown — the in-memory state stays the truth, and the next write of
 * the same lock stores it again. With `availability`, writes that meet a database that does not
 * answer are held (bounded by `capacity`, oldest dropped first) and written once it answers again.
 * `loadActive` (start-up) goes straight through.
 */
export class BackgroundLockPersistence implements LockPersistence {
  private readonly queue: (() => Promise<void>)[] = [];
  private running: Promise<void> | null = null;
  private failing = false;
  private counts = { written: 0, failed: 0, dropped: 0 };
  private readonly stopListening: () => void;

  constructor(private readonly options: BackgroundLockPersistenceOptions) {
    this.stopListening = options.availability?.onAvailable(() => this.startDraining()) ?? (() => undefined);
  }

  /** Straight from the database; none when it does not answer (a start with `--allow-degraded-start`). */
  async loadActive(now: number): Promise<RateLimitLock[]> {
    try {
      return await this.options.inner.loadActive(now);
    } catch (error) {
      if (this.options.availability?.reportFailure(error)) return [];
      throw error;
    }
  }

  async save(lock: RateLimitLock): Promise<void> {
    this.enqueue(() => this.options.inner.save(lock));
  }

  async remove(filter: LockFilter): Promise<void> {
    this.enqueue(() => this.options.inner.remove(filter));
  }

  /**
   * Resolves once every write queued so far has been attempted (graceful shutdown, tests); writes
   * held while the store does not answer stay queued.
   */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops waiting for the store to come back (shutdown). */
  close(): void {
    this.stopListening();
  }

  /** Writes queued, stored, failed and dropped since creation. */
  stats(): { queued: number; written: number; failed: number; dropped: number } {
    return { queued: this.queue.length, ...this.counts };
  }

  private enqueue(write: () => Promise<void>): void {
    this.queue.push(write);
    if (this.queue.length > (this.options.capacity ?? 1000)) {
      this.queue.shift();
      this.counts.dropped += 1;
    }
    if (this.options.availability?.writable === false) return;
    this.startDraining();
  }

  private startDraining(): void {
    if (this.running) return;
    // Reset in a callback, never synchronously: `drain` may return before its first await.
    this.running = this.drain().finally(() => {
      this.running = null;
      // A write queued after the loop's last look, while the store answers, starts the next loop.
      if (this.queue.length > 0 && this.options.availability?.writable !== false) this.startDraining();
    });
  }

  private async drain(): Promise<void> {
    for (let write = this.queue.shift(); write; write = this.queue.shift()) {
      try {
        await write();
        this.counts.written += 1;
        if (this.failing) this.report(null);
      } catch (error) {
        if (!this.failing) this.report(error);
        if (this.options.availability?.reportFailure(error)) {
          // Held at the head of the queue until the store answers (`onAvailable` drains again).
          this.queue.unshift(write);
          return;
        }
        this.counts.failed += 1;
      }
      if (this.options.availability?.writable === false) return;
    }
  }

  private report(error: unknown | null): void {
    this.failing = error !== null;
    try {
      this.options.onHealthChange(error);
    } catch {
      // A throwing logger must not stop the writes.
    }
  }
}

import type { LockPersistence, RateLimitLock } from '../core/limits.js';

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
}

type LockFilter = Parameters<LockPersistence['remove']>[0];

/**
 * Keeps the request path off the database: `save` and `remove` queue the write and resolve at once;
 * the writes run one at a time, in order, in the background. A write that fails (the database is
 * down or frozen) is counted and dropped, never thrown — the in-memory state stays the truth, and
 * the next write of the same lock stores it again. `loadActive` (start-up) goes straight through.
 */
export class BackgroundLockPersistence implements LockPersistence {
  private readonly queue: (() => Promise<void>)[] = [];
  private running: Promise<void> | null = null;
  private failing = false;
  private counts = { written: 0, failed: 0, dropped: 0 };

  constructor(private readonly options: BackgroundLockPersistenceOptions) {}

  loadActive(now: number): Promise<RateLimitLock[]> {
    return this.options.inner.loadActive(now);
  }

  async save(lock: RateLimitLock): Promise<void> {
    this.enqueue(() => this.options.inner.save(lock));
  }

  async remove(filter: LockFilter): Promise<void> {
    this.enqueue(() => this.options.inner.remove(filter));
  }

  /** Resolves once every write queued so far has been attempted (graceful shutdown, tests). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
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
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      // The emptiness check and the reset below run without an await between them, so a write
      // queued at any moment is either taken by this loop or starts the next one.
      for (let write = this.queue.shift(); write; write = this.queue.shift()) {
        try {
          await write();
          this.counts.written += 1;
          if (this.failing) this.report(null);
        } catch (error) {
          this.counts.failed += 1;
          if (!this.failing) this.report(error);
        }
      }
    } finally {
      this.running = null;
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

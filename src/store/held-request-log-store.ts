import { BoundedQueue } from '../observability/bounded-queue.js';
import type { RequestLogRow } from './request-log-store.js';
import type { StoreAvailability } from './store-health.js';

/** The part of `RequestLogStore` the request log writer uses. */
export interface RequestLogRowStore {
  insertBatch(rows: readonly RequestLogRow[]): Promise<void>;
  prune(options: { olderThan: number; maxRows: number }): Promise<number>;
}

export interface HeldRequestLogStoreOptions {
  /** Where the rows go (`RequestLogStore`). */
  inner: RequestLogRowStore;
  availability: StoreAvailability;
  /** Rows held at most while the store does not answer; the oldest are dropped (and counted) beyond it. Default 10 000. */
  capacity?: number;
  /** Rows per insert when the held rows are written. Default 200. */
  batchSize?: number;
  /** Failures writing the held rows that are not an outage (those rows are dropped). */
  onError: (error: unknown) => void;
}

/**
 * Keeps the request log through a store outage without changing the writer in front of it: while
 * the store does not answer, `insertBatch` holds the rows in memory (bounded, oldest dropped first)
 * and resolves, so the writer counts them as written instead of losing them; once the store answers
 * again the held rows are written, oldest first, before any newer batch. Pruning waits meanwhile.
 */
export class HeldRequestLogStore implements RequestLogRowStore {
  private readonly held: BoundedQueue<RequestLogRow>;
  private draining: Promise<void> | null = null;
  private readonly stopListening: () => void;

  constructor(private readonly options: HeldRequestLogStoreOptions) {
    this.held = new BoundedQueue(options.capacity ?? 10_000);
    this.stopListening = options.availability.onAvailable(() => void this.drain());
  }

  /** Rows waiting for the store. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Rows dropped because the buffer was full, since start. */
  get droppedCount(): number {
    return this.held.dropped;
  }

  async insertBatch(rows: readonly RequestLogRow[]): Promise<void> {
    if (this.held.size > 0 || !this.options.availability.writable) {
      this.hold(rows);
      if (this.options.availability.writable) await this.drain();
      return;
    }
    try {
      await this.options.inner.insertBatch(rows);
    } catch (error) {
      if (!this.options.availability.reportFailure(error)) throw error;
      this.hold(rows);
    }
  }

  async prune(options: { olderThan: number; maxRows: number }): Promise<number> {
    if (!this.options.availability.writable) return 0;
    try {
      return await this.options.inner.prune(options);
    } catch (error) {
      if (this.options.availability.reportFailure(error)) return 0;
      throw error;
    }
  }

  /** Writes the held rows now (when the store answers); resolves when they are written or held again. */
  drain(): Promise<void> {
    this.draining ??= this.writeHeld().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  close(): void {
    this.stopListening();
  }

  private hold(rows: readonly RequestLogRow[]): void {
    for (const row of rows) this.held.push(row);
  }

  private async writeHeld(): Promise<void> {
    const batchSize = this.options.batchSize ?? 200;
    while (this.held.size > 0 && this.options.availability.writable) {
      const batch = this.held.take(batchSize);
      try {
        await this.options.inner.insertBatch(batch);
      } catch (error) {
        if (this.options.availability.reportFailure(error)) {
          // Back at the head, in order, ahead of what arrived meanwhile.
          const later = this.held.take(this.held.size);
          this.hold(batch);
          this.hold(later);
          return;
        }
        this.options.onError(error);
      }
    }
  }
}

import type { Clock } from '../core/clock.js';
import { ExternalChangePoller } from './external-change-poller.js';
import type { StoreChangeFeed } from './store-change-feed.js';
import type { StoreAvailability } from './store-health.js';

export interface StoreUpkeepOptions {
  changes: StoreChangeFeed;
  clock: Clock;
  availability: StoreAvailability;
  /** Background failures that are not an outage (an outage is reported once, by `availability`). */
  onError: (error: unknown) => void;
  /** False until the store's first load: there is nothing to refresh before it. */
  loaded(): boolean;
  /** How many batched updates wait to be written; nothing is flushed while there are none. */
  pendingCount(): number;
  /** Writes the batched updates; on failure keeps them for the next try and throws. */
  writePending(): Promise<void>;
  /** Reads every row into memory again, keeping the batched updates not yet written. */
  reload(): Promise<void>;
}

/**
 * The upkeep every store that keeps its rows in memory shares: one write queue that serialises
 * writes, flushes and reloads (so a reload never overtakes a write's memory update), batched
 * updates written on a timer and as soon as the database answers again after an outage, and the
 * pick-up of changes made by others through the change feed.
 */
export class StoreUpkeep {
  private queue: Promise<unknown> = Promise.resolve();
  private stopFlushing: () => void = () => undefined;
  private readonly poller: ExternalChangePoller;

  constructor(private readonly options: StoreUpkeepOptions) {
    this.poller = new ExternalChangePoller({
      changes: options.changes,
      clock: options.clock,
      availability: options.availability,
      exclusive: (task) => this.exclusive(task),
      loaded: options.loaded,
      // Pending batched updates are written first so the reload keeps them.
      refresh: async () => {
        await options.writePending();
        await options.reload();
      },
      onFailure: (error) => this.backgroundFailure(error),
    });
  }

  /** Runs `task` after every write, flush and reload already queued. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Writes the batched updates now, in the queue. */
  flush(): Promise<void> {
    return this.exclusive(() => this.options.writePending());
  }

  /**
   * Writes the batched updates every `intervalMs` while the database answers, and as soon as it
   * answers again after an outage, until `stop`.
   */
  startFlushing(intervalMs: number): void {
    this.stopFlushing();
    const stopTimer = this.options.clock.every(intervalMs, () => this.flushInBackground());
    const stopListening = this.options.availability.onAvailable(() => this.flushInBackground());
    this.stopFlushing = () => {
      stopTimer();
      stopListening();
    };
  }

  /** Reloads when others changed the store since the last look; returns whether it did. */
  pollExternalChanges(): Promise<boolean> {
    return this.poller.poll();
  }

  /** Calls `pollExternalChanges` whenever the change feed says something may have changed, until `stop`. */
  startWatching(intervalMs: number): void {
    this.poller.start(intervalMs);
  }

  /** Stops the flush timer and the watching; writes nothing. */
  stop(): void {
    this.poller.stop();
    this.stopFlushing();
    this.stopFlushing = () => undefined;
  }

  /** An outage is reported once, by the store's health; other failures go to `onError`. */
  backgroundFailure(error: unknown): void {
    if (!this.options.availability.reportFailure(error)) this.options.onError(error);
  }

  /** The batched updates wait while the database is known not to answer; they are kept meanwhile. */
  private flushInBackground(): void {
    if (!this.options.availability.writable || this.options.pendingCount() === 0) return;
    this.flush().catch((error: unknown) => this.backgroundFailure(error));
  }
}

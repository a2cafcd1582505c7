import type { Clock } from '../core/clock.js';
import type { StoreChangeFeed } from './store-change-feed.js';
import type { StoreAvailability } from './store-health.js';

/**
 * How a store that keeps its rows in memory picks up changes made by others (the CLI, other
 * instances): one poll at a time, run inside the store's own write queue so a reload never
 * interleaves with a write; the change feed says when to look, and nothing is tried while the
 * store database does not answer.
 */
export class ExternalChangePoller {
  private inFlight: Promise<boolean> | null = null;
  private stopWatching: () => void = () => undefined;

  constructor(
    private readonly options: {
      changes: StoreChangeFeed;
      clock: Clock;
      availability: StoreAvailability;
      /** The store's write queue: runs `task` after every write already queued. */
      exclusive<T>(task: () => Promise<T>): Promise<T>;
      /** False until the store's first load: there is nothing to refresh before it. */
      loaded(): boolean;
      /** Writes what the store still holds in memory, then reads everything again. */
      refresh(): Promise<void>;
      /** A poll started by the watcher failed. */
      onFailure(error: unknown): void;
    },
  ) {}

  /** Refreshes the store when others changed it since the last look; returns whether it did. */
  poll(): Promise<boolean> {
    const { exclusive, loaded, changes, refresh } = this.options;
    this.inFlight ??= exclusive(async () => {
      if (!loaded() || !(await changes.changedSinceMark())) return false;
      await refresh();
      return true;
    }).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * Polls whenever the change feed says something may have changed (SQLite: every `intervalMs`;
   * PostgreSQL: on each notification and after a reconnection) until `stop`.
   */
  start(intervalMs: number): void {
    this.stop();
    const { changes, clock, availability, onFailure } = this.options;
    this.stopWatching = changes.watch({
      clock,
      intervalMs,
      onChange: () => {
        if (!availability.writable) return;
        this.poll().catch(onFailure);
      },
    });
  }

  stop(): void {
    this.stopWatching();
    this.stopWatching = () => undefined;
  }
}

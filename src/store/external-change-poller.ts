import type { Clock } from '../core/clock.js';
import { RetryDelay } from '../core/retry-delay.js';
import type { StoreChangeFeed } from './store-change-feed.js';
import type { StoreAvailability } from './store-health.js';

/** Longest pause between two tries of a poll that keeps failing. */
const MAX_RETRY_MS = 60_000;

/**
 * How a store that keeps its rows in memory picks up changes made by others (the CLI, other
 * instances): one poll at a time, run inside the store's own write queue so a reload never
 * interleaves with a write; the change feed says when to look, and nothing is tried while the
 * store database does not answer. A feed that says so only once per change (PostgreSQL's
 * notifications) is never told twice: a poll asked for while another is already looking runs after
 * it, and the changes the feed reported while nobody could look are picked up once someone can
 * (when watching starts, when the database answers again).
 */
export class ExternalChangePoller {
  /** The poll queued that has not started looking yet: every change reported so far is its to see. */
  private waiting: Promise<boolean> | null = null;
  /**
   * A refresh failed: the feed may already count its changes as seen (the store marks it before
   * reading), so the next poll refreshes without asking the feed.
   */
  private owed = false;
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

  /**
   * Refreshes the store when others changed it since the last look; returns whether it did. Joins
   * a poll that has not started yet; one already looking may read the rows before the change that
   * prompted this call (its notification can arrive after the read began), so another one follows it.
   */
  poll(): Promise<boolean> {
    const { exclusive, loaded, changes, refresh } = this.options;
    this.waiting ??= exclusive(async () => {
      this.waiting = null;
      if (!loaded()) return false;
      if (!this.owed && !(await changes.changedSinceMark())) return false;
      try {
        await refresh();
      } catch (error) {
        this.owed = true;
        throw error;
      }
      this.owed = false;
      return true;
    });
    return this.waiting;
  }

  /**
   * Polls whenever the change feed says something may have changed (SQLite: every `intervalMs`;
   * PostgreSQL: on each notification and after a reconnection) until `stop`; also once now, for
   * the changes reported since the first load (nobody was watching), and each time the database
   * answers again, for those reported while it did not (they were not looked at). A poll that
   * failed is tried again `intervalMs` later, then at doubling intervals up to a minute while it
   * keeps failing (and when the database answers again): a change the feed reported once is not
   * dropped with it.
   */
  start(intervalMs: number): void {
    this.stop();
    const { changes, clock, availability, onFailure } = this.options;
    let cancelRetry = () => {};
    const retryDelay = new RetryDelay(intervalMs, MAX_RETRY_MS);
    // Looks that join one poll report its failure and schedule its retry once.
    let watched: Promise<boolean> | null = null;
    const look = () => {
      if (!availability.writable) return;
      const polled = this.poll();
      if (polled === watched) return;
      watched = polled;
      polled.then(
        () => retryDelay.reset(),
        (error: unknown) => {
          onFailure(error);
          cancelRetry();
          cancelRetry = clock.after(retryDelay.afterFailure(), look);
        },
      );
    };
    const stopFeed = changes.watch({ clock, intervalMs, onChange: look });
    const stopAvailable = availability.onAvailable(look);
    this.stopWatching = () => {
      stopFeed();
      stopAvailable();
      cancelRetry();
    };
    look();
  }

  stop(): void {
    this.stopWatching();
    this.stopWatching = () => undefined;
  }
}

import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { RetryDelay } from '../core/retry-delay.js';
import {
  eachPostedRow,
  type PostedRequestLogValues,
  type RequestLogValues,
  storedListColumns,
} from '../store/request-log-columns.js';
import { BoundedQueue } from './bounded-queue.js';
import type { RequestLogEntry, RequestLogSink } from './request-log-entry.js';
import { toRequestLogValues } from './to-request-log-row.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const FAILURE_LOG_INTERVAL_MS = 60_000;
/** First wait after a failed write before the timer tries again; doubles up to the maximum. */
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

/** The request log settings in force, read on every use so config changes apply without restart. */
export interface RequestLogSettings {
  /** `proxy.enable_logging`: false stores nothing (the live feed and metrics still see entries). */
  enabled: boolean;
  /** `proxy.logging.retention_days`: rows older than this are pruned. */
  retentionDays: number;
  /** `proxy.logging.max_rows`: the newest this many rows are kept. */
  maxRows: number;
  /** `proxy.logging.debug_bodies`: store request and response bodies. */
  debugBodies: boolean;
  /** `proxy.logging.max_body_chars`: stored bodies are cut to this many characters. */
  maxBodyChars: number;
}

/** The request log settings of a config document. */
export function requestLogSettings(config: SwitchyardConfig): RequestLogSettings {
  const { proxy } = config;
  return {
    enabled: proxy.enable_logging,
    retentionDays: proxy.logging.retention_days,
    maxRows: proxy.logging.max_rows,
    debugBodies: proxy.logging.debug_bodies,
    maxBodyChars: proxy.logging.max_body_chars,
  };
}

/** The part of `RequestLogStore` the writer uses. */
export interface RequestLogWriteStore {
  /** Inserts rows given as column values (`REQUEST_LOG_COLUMNS` order). */
  insertValues(rows: readonly RequestLogValues[]): Promise<void>;
  prune(options: { olderThan: number; maxRows: number }): Promise<number>;
  clear(): Promise<void>;
}

/** What the writer logs through: a failed write or prune, and how many rows a prune removed. */
export interface RequestLogWriterLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface RequestLogWriterOptions {
  store: RequestLogWriteStore;
  clock: Clock;
  logger: RequestLogWriterLogger;
  /** Current settings; called on every record and prune. */
  settings: () => RequestLogSettings;
  /** Rows held in memory waiting for the store; the oldest are dropped beyond it. Default 10 000. */
  capacity?: number;
  /** Rows per `insertBatch` call. Default 1 000. */
  batchSize?: number;
  /** Milliseconds between flushes. Default 500. */
  flushIntervalMs?: number;
  /** Milliseconds between retention prunes. Default 5 minutes. */
  pruneIntervalMs?: number;
}

/** Counters of what happened to recorded entries since the writer was created. */
export interface RequestLogWriterStats {
  /** Rows waiting in memory. */
  queued: number;
  /** Rows stored. */
  written: number;
  /** Rows dropped because the queue was full. */
  dropped: number;
  /** Rows in write attempts that failed (they are kept, within `capacity`, and written later). */
  failed: number;
}

/**
 * Stores request log entries off the request path: `record` only queues, a timer flushes batches to
 * the store, and another prunes by retention. Neither recording nor a failing store ever throws
 * into the caller; failures are logged (at most once a minute) and counted. Rows of a failed write
 * go back to the front of the queue (the oldest dropped when it is full) and the timer tries again
 * after 1 s, doubling up to 30 s while the store keeps failing.
 *
 * In the gateway this class runs in the request log worker thread (`request-log-thread.ts`), fed
 * with rows by `enqueueRows`; in-process, it is fed with entries by `record`.
 *
 * Lifecycle: `start()` begins the timers and prunes once; `close()` stops them and flushes the rest.
 */
export class RequestLogWriter implements RequestLogSink {
  private readonly queue: BoundedQueue<RequestLogValues>;
  private readonly batchSize: number;
  private stopTimers: (() => void)[] = [];
  private flushing: Promise<void> | null = null;
  private pruning: Promise<void> | null = null;
  private closed = false;
  private written = 0;
  private failed = 0;
  private lastFailureLoggedAt = Number.NEGATIVE_INFINITY;
  private failuresSinceLog = 0;
  /** While the store fails: when the timer may try again, and how long it waits after the next failure. */
  private retryAt = Number.NEGATIVE_INFINITY;
  private readonly retryDelay = new RetryDelay(RETRY_MIN_MS, RETRY_MAX_MS);

  constructor(private readonly options: RequestLogWriterOptions) {
    this.queue = new BoundedQueue(options.capacity ?? 10_000);
    this.batchSize = options.batchSize ?? 1_000;
  }

  /** Starts the flush and prune timers and prunes once now. Calling it twice does nothing more. */
  start(): void {
    if (this.closed || this.stopTimers.length > 0) return;
    const { clock } = this.options;
    this.stopTimers = [
      clock.every(this.options.flushIntervalMs ?? 500, () => {
        if (clock.now() >= this.retryAt) void this.flush();
      }),
      clock.every(this.options.pruneIntervalMs ?? 5 * 60_000, () => void this.prune()),
    ];
    void this.prune();
  }

  /** Queues the entry for storage when logging is enabled. Never throws, never waits. */
  record(entry: RequestLogEntry): void {
    if (this.closed) return;
    try {
      const settings = this.options.settings();
      if (!settings.enabled) return;
      const values = toRequestLogValues(entry, {
        keepBodies: settings.debugBodies,
        maxBodyChars: settings.maxBodyChars,
      });
      this.queue.push(storedListColumns(values));
    } catch (error) {
      this.reportFailure(error, 'request log entry could not be queued');
    }
  }

  /**
   * Queues rows already built (by the gateway thread), posted as one flat array of their column
   * values, row after row; the oldest are dropped beyond `capacity`.
   */
  enqueueValues(values: PostedRequestLogValues): void {
    if (this.closed) return;
    eachPostedRow(values, (row) => this.queue.push(row));
  }

  /** Tries the rows held after failed writes now (the store answers again), not at the next retry time. */
  retryNow(): Promise<void> {
    this.retryAt = Number.NEGATIVE_INFINITY;
    this.retryDelay.reset();
    return this.flush();
  }

  /**
   * Clears the log: once a write in progress has ended, drops what is queued and deletes every
   * stored row, so no row recorded before the call is left behind. Resolves true when done.
   */
  async clear(): Promise<boolean> {
    while (this.flushing) await this.flushing;
    this.queue.clear();
    await this.options.store.clear();
    return true;
  }

  /** Writes every queued row now (stopping at the first failed batch, which stays queued). Resolves when they are stored (or their failure logged). */
  async flush(): Promise<void> {
    // One flush at a time; a caller arriving mid-flush waits for it, then writes what came since.
    while (this.flushing) await this.flushing;
    if (this.queue.size === 0) return;
    this.flushing = this.drain();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  /** Deletes rows past `retention_days` and beyond `max_rows`. Failures are logged, not thrown. */
  async prune(): Promise<void> {
    if (this.pruning) return this.pruning;
    this.pruning = this.runPrune();
    try {
      await this.pruning;
    } finally {
      this.pruning = null;
    }
  }

  stats(): RequestLogWriterStats {
    return {
      queued: this.queue.size,
      written: this.written,
      dropped: this.queue.dropped,
      failed: this.failed,
    };
  }

  /** Stops the timers and tries once more to store what is queued. Later records are ignored. */
  async close(): Promise<void> {
    for (const stop of this.stopTimers) stop();
    this.stopTimers = [];
    this.closed = true;
    await this.flush();
    if (this.pruning) await this.pruning;
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0) {
      const batch = this.queue.take(this.batchSize);
      try {
        await this.options.store.insertValues(batch);
        this.written += batch.length;
        this.retryAt = Number.NEGATIVE_INFINITY;
        this.retryDelay.reset();
      } catch (error) {
        this.failed += batch.length;
        this.queue.unshiftAll(batch);
        this.retryAt = this.options.clock.now() + this.retryDelay.afterFailure();
        this.reportFailure(error, `request log batch of ${batch.length} rows could not be stored`);
        return;
      }
      // SQLite writes run synchronously: let requests in flight through between two batches.
      if (this.queue.size > 0) await this.options.clock.yieldToIo?.();
    }
  }

  private async runPrune(): Promise<void> {
    try {
      const settings = this.options.settings();
      const olderThan = this.options.clock.now() - settings.retentionDays * DAY_MS;
      const removed = await this.options.store.prune({ olderThan, maxRows: settings.maxRows });
      if (removed > 0) this.options.logger.debug({ removed }, 'request log pruned');
    } catch (error) {
      this.reportFailure(error, 'request log could not be pruned');
    }
  }

  /** Logs a failure, but at most once a minute: a broken disk must not flood the log twice a second. */
  private reportFailure(error: unknown, message: string): void {
    this.failuresSinceLog += 1;
    const now = this.options.clock.now();
    if (now - this.lastFailureLoggedAt < FAILURE_LOG_INTERVAL_MS) return;
    try {
      this.options.logger.error({ err: error, failures: this.failuresSinceLog }, message);
    } catch {
      // A logger that throws must not take the writer down with it.
    }
    this.lastFailureLoggedAt = now;
    this.failuresSinceLog = 0;
  }
}

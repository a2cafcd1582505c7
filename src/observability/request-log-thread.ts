import type { Clock } from '../core/clock.js';
import { flattenRows, type PostedRequestLogValues } from '../store/request-log-columns.js';
import type { StoreAvailability } from '../store/store-health.js';
import { BoundedQueue } from './bounded-queue.js';
import type { Logger } from './logger.js';
import type { RequestLogEntry } from './request-log-entry.js';
import type {
  RequestLogCommand,
  RequestLogReply,
  RequestLogRetention,
  RequestLogServiceSettings,
} from './request-log-service.js';
import type { RequestLogSettings, RequestLogWriterStats } from './request-log-writer.js';
import { toRequestLogValues } from './to-request-log-row.js';

/** What the gateway needs of a request log writer, in process (`RequestLogWriter`) or threaded. */
export interface RequestLogRecorder {
  start(): void;
  record(entry: RequestLogEntry): void;
  /** Resolves when every row recorded so far is stored (or its failure logged). */
  flush(): Promise<void>;
  prune(): Promise<void>;
  /**
   * Clears the log: drops the rows not stored yet and, after the writes already under way, deletes
   * every stored row. Resolves false when no writer was running to do it (the caller deletes them).
   */
  clear(): Promise<boolean>;
  /** Rows waiting to be stored (held through a store outage included) and rows dropped for room. */
  heldRows(): { held: number; dropped: number };
  /** Counters; with a worker, its rows are included (read from it). */
  readStats(): Promise<RequestLogWriterStats>;
  close(): Promise<void>;
}

/** The worker as the thread uses it: a `node:worker_threads` Worker, or a stand-in with the same events. */
export interface RequestLogWorkerHandle {
  postMessage(command: RequestLogCommand): void;
  on(event: 'message', listener: (reply: RequestLogReply) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

export interface RequestLogThreadOptions {
  /** Starts a worker serving the request log (`serveRequestLog`) with these settings. */
  spawn: (settings: RequestLogServiceSettings) => RequestLogWorkerHandle;
  clock: Clock;
  logger: Logger;
  /** Current settings; read on every record and every send. */
  settings: () => RequestLogSettings;
  /** Rows held here between two sends, and again in the worker; the oldest are dropped beyond it. Default 10 000. */
  capacity?: number;
  /** Rows per insert in the worker. Default 1 000. */
  batchSize?: number;
  /** Milliseconds between two sends of the queued rows to the worker. Default 20 (`SEND_INTERVAL_MS`). */
  sendIntervalMs?: number;
  /** Milliseconds between two writes in the worker. Default 100. */
  flushIntervalMs?: number;
  /**
   * Milliseconds between two prunes while logging is off and no worker runs (each starts one for
   * the prune and stops it). Default 5 minutes, the worker's own prune interval.
   */
  idlePruneIntervalMs?: number;
  /** The store's reachability: when it answers again, rows held after failed writes are written at once. */
  availability?: Pick<StoreAvailability, 'onAvailable'>;
}

type DoneReply = Extract<RequestLogReply, { type: 'done' }>;

/** A worker that failed is started again on the next send, but not sooner than this after it failed. */
const RESPAWN_DELAY_MS = 5000;

const IDLE_PRUNE_MS = 5 * 60_000;

/**
 * How long a row waits on the gateway thread: shorter than V8 takes to run two young-generation
 * collections under load, so a row is gone before it would be moved to the old generation. Held
 * for 100 ms, the rows of a saturated gateway were promoted by the thousand each second and grew
 * the old generation between full collections (BENCHMARKS.md, "the request log's rows and the old
 * generation").
 */
const SEND_INTERVAL_MS = 20;

/**
 * Records request log entries on the gateway thread and has a worker store them: `record` turns
 * the entry into a row of column values and queues it (bounded: the oldest are dropped and counted,
 * a request never waits); every `sendIntervalMs` the queued rows are posted to the worker in one
 * message, as one flat array, and the worker writes them every `flushIntervalMs`. The worker owns
 * its database connection and the one outage buffer of the request log: its bounded queue, where
 * rows of failed writes wait for the retries (`serveRequestLog`); it reports the queue's size when
 * it changes (`heldRows`). A worker that dies is logged and started again; the rows it held are
 * lost.
 */
export class RequestLogThread implements RequestLogRecorder {
  private readonly queue: BoundedQueue<PostedRequestLogValues>;
  private worker: RequestLogWorkerHandle | null = null;
  private respawnAt = Number.NEGATIVE_INFINITY;
  private readonly pending = new Map<number, (reply: DoneReply) => void>();
  private nextId = 1;
  private sentRetention: RequestLogRetention | null = null;
  private stopTimer: (() => void) | null = null;
  private closed = false;
  private stopListening: (() => void) | null = null;
  /** The worker of an idle prune while it is being closed: nothing more is posted to it. */
  private retiring: RequestLogWorkerHandle | null = null;
  private retirement: Promise<void> | null = null;
  private lastWorkerStats: RequestLogWriterStats = { queued: 0, written: 0, dropped: 0, failed: 0 };

  constructor(private readonly options: RequestLogThreadOptions) {
    this.queue = new BoundedQueue(options.capacity ?? 10_000);
  }

  /**
   * Starts the send timer, and the worker when logging is enabled. With logging off no worker runs
   * (its isolate is several MB of memory for nothing): it starts on the first send with rows, on
   * `prune`, and every `idlePruneIntervalMs` for one prune of the rows kept from before.
   * Calling it twice does nothing more.
   */
  start(): void {
    if (this.closed || this.stopTimer) return;
    if (this.options.settings().enabled) this.ensureWorker();
    const stopSends = this.options.clock.every(this.options.sendIntervalMs ?? SEND_INTERVAL_MS, () =>
      this.send(),
    );
    const stopIdlePrunes = this.options.clock.every(this.options.idlePruneIntervalMs ?? IDLE_PRUNE_MS, () => {
      void this.pruneWithoutLogging();
    });
    this.stopTimer = () => {
      stopSends();
      stopIdlePrunes();
    };
    this.stopListening =
      this.options.availability?.onAvailable(() => this.worker?.postMessage({ type: 'retry' })) ?? null;
  }

  /** Queues the entry as a row when logging is enabled. Never throws, never waits. */
  record(entry: RequestLogEntry): void {
    if (this.closed) return;
    try {
      const settings = this.options.settings();
      if (!settings.enabled) return;
      this.queue.push(
        toRequestLogValues(entry, { keepBodies: settings.debugBodies, maxBodyChars: settings.maxBodyChars }),
      );
    } catch (error) {
      this.options.logger.error({ err: error }, 'request log entry could not be queued');
    }
  }

  async flush(): Promise<void> {
    this.send();
    await this.request('flush');
  }

  async prune(): Promise<void> {
    this.send();
    this.ensureWorker();
    await this.request('prune');
  }

  async clear(): Promise<boolean> {
    this.queue.clear();
    if (!this.worker) return false;
    const reply = await this.request('clear');
    if (reply?.error !== undefined) throw new Error(`request log could not be cleared: ${reply.error}`);
    return reply !== null;
  }

  heldRows(): { held: number; dropped: number } {
    const worker = this.lastWorkerStats;
    return { held: this.queue.size + worker.queued, dropped: this.queue.dropped + worker.dropped };
  }

  async readStats(): Promise<RequestLogWriterStats> {
    await this.request('stats');
    const worker = this.lastWorkerStats;
    return {
      queued: this.queue.size + worker.queued,
      written: worker.written,
      dropped: this.queue.dropped + worker.dropped,
      failed: worker.failed,
    };
  }

  /** Stops the timer, hands the worker what is queued and waits until it has stored it and stopped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stopTimer?.();
    this.stopTimer = null;
    this.stopListening?.();
    this.stopListening = null;
    if (this.retirement) await this.retirement;
    this.send();
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await this.request('close');
    this.worker = null;
    await worker.terminate();
  }

  /**
   * With logging off and no worker running: starts one (it prunes as it starts), waits for that
   * prune and stops it again, so retention still applies to the rows stored before.
   */
  private async pruneWithoutLogging(): Promise<void> {
    if (this.closed || this.worker !== null || this.options.settings().enabled) return;
    const worker = this.ensureWorker();
    if (!worker) return;
    this.retiring = worker;
    this.retirement = this.retire(worker);
    await this.retirement;
  }

  /** Closes the worker of an idle prune; rows recorded meanwhile wait for the next one. */
  private async retire(worker: RequestLogWorkerHandle): Promise<void> {
    try {
      await this.request('close');
      // Failed and dropped meanwhile: the worker is no longer this one to stop.
      if (!this.isCurrentWorker(worker)) return;
      this.worker = null;
      await worker.terminate();
    } finally {
      this.retiring = null;
      this.retirement = null;
    }
  }

  private isCurrentWorker(worker: RequestLogWorkerHandle): boolean {
    return this.worker === worker;
  }

  /** Posts the queued rows (and changed retention settings) to the worker; starts none while logging is off and nothing is queued. */
  private send(): void {
    if (this.closed) return;
    const settings = this.options.settings();
    const worker = settings.enabled || this.queue.size > 0 ? this.ensureWorker() : this.worker;
    if (!worker || worker === this.retiring) return;
    const retention = { retentionDays: settings.retentionDays, maxRows: settings.maxRows };
    if (
      this.sentRetention?.retentionDays !== retention.retentionDays ||
      this.sentRetention.maxRows !== retention.maxRows
    ) {
      worker.postMessage({ type: 'retention', retention });
      this.sentRetention = retention;
    }
    if (this.queue.size > 0)
      worker.postMessage({ type: 'rows', values: flattenRows(this.queue.take(this.queue.size)) });
  }

  /** Sends a command and resolves with the worker's reply (null at once when there is no worker, or when it failed). */
  private request(type: 'flush' | 'prune' | 'clear' | 'stats' | 'close'): Promise<DoneReply | null> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (reply) => {
        this.lastWorkerStats = reply.stats;
        resolve(reply.id === id ? reply : null);
      });
      worker.postMessage({ type, id });
    });
  }

  private ensureWorker(): RequestLogWorkerHandle | null {
    if (this.worker || this.closed || this.options.clock.now() < this.respawnAt) return this.worker;
    const settings = this.options.settings();
    const retention = { retentionDays: settings.retentionDays, maxRows: settings.maxRows };
    try {
      const worker = this.options.spawn({
        retention,
        capacity: this.queue.capacity,
        batchSize: this.options.batchSize ?? 1000,
        flushIntervalMs: this.options.flushIntervalMs ?? 100,
      });
      worker.on('message', (reply) => this.onReply(reply));
      worker.on('error', (error) => this.onWorkerFailure(worker, error));
      worker.on('exit', (code) => this.onWorkerFailure(worker, new Error(`exited with code ${code}`)));
      this.worker = worker;
      this.sentRetention = retention;
    } catch (error) {
      this.onWorkerFailure(null, error);
    }
    return this.worker;
  }

  private onReply(reply: RequestLogReply): void {
    if (reply.type === 'log') {
      this.relayLog(reply);
      return;
    }
    if (reply.type === 'stats') {
      this.lastWorkerStats = reply.stats;
      return;
    }
    const resolve = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    resolve?.(reply);
  }

  /** Re-emits a log line of the worker through the gateway's logger, at its level, its error whole. */
  private relayLog(reply: Extract<RequestLogReply, { type: 'log' }>): void {
    try {
      const { err } = reply.fields;
      // The clone this thread received, so ours to complete.
      if (reply.errFields !== undefined && err instanceof Error) Object.assign(err, reply.errFields);
      this.options.logger[reply.level](reply.fields, reply.message);
    } catch {
      // A logger that throws must not take the request log down with it.
    }
  }

  /** A worker that failed or exited unasked: its waiters are released, a new one starts later. */
  private onWorkerFailure(worker: RequestLogWorkerHandle | null, error: unknown): void {
    if (worker !== null && this.worker !== worker) return;
    this.worker = null;
    this.sentRetention = null;
    this.respawnAt = this.options.clock.now() + RESPAWN_DELAY_MS;
    for (const resolve of this.pending.values())
      resolve({ type: 'done', id: 0, stats: this.lastWorkerStats });
    this.pending.clear();
    if (!this.closed)
      this.options.logger.error({ err: error }, 'request log worker failed; rows it held are lost');
  }
}

import type { Clock } from '../core/clock.js';
import type { RequestLogRow } from '../store/request-log-store.js';
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
import { toRequestLogRow } from './to-request-log-row.js';

/** What the gateway needs of a request log writer, in process (`RequestLogWriter`) or threaded. */
export interface RequestLogRecorder {
  start(): void;
  record(entry: RequestLogEntry): void;
  /** Resolves when every row recorded so far is stored (or its failure logged). */
  flush(): Promise<void>;
  prune(): Promise<void>;
  /** Drops rows not stored yet (the log is being cleared). Returns how many this thread held. */
  discardQueued(): number;
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
  /** Milliseconds between two sends to the worker, and between two writes there. Default 100. */
  flushIntervalMs?: number;
}

/** A worker that failed is started again on the next send, but not sooner than this after it failed. */
const RESPAWN_DELAY_MS = 5000;

/**
 * Records request log entries on the gateway thread and has a worker store them: `record` turns
 * the entry into a row of plain values and queues it (bounded: the oldest are dropped and counted,
 * a request never waits); every `flushIntervalMs` the queued rows are posted to the worker in one
 * message. The worker owns its database connection, its own bounded queue and the retries
 * (`serveRequestLog`). A worker that dies is logged and started again; the rows it held are lost.
 */
export class RequestLogThread implements RequestLogRecorder {
  private readonly queue: BoundedQueue<RequestLogRow>;
  private worker: RequestLogWorkerHandle | null = null;
  private respawnAt = Number.NEGATIVE_INFINITY;
  private readonly pending = new Map<number, (reply: Extract<RequestLogReply, { type: 'done' }>) => void>();
  private nextId = 1;
  private sentRetention: RequestLogRetention | null = null;
  private stopTimer: (() => void) | null = null;
  private closed = false;
  private lastWorkerStats: RequestLogWriterStats = { queued: 0, written: 0, dropped: 0, failed: 0 };

  constructor(private readonly options: RequestLogThreadOptions) {
    this.queue = new BoundedQueue(options.capacity ?? 10_000);
  }

  /** Starts the worker and the send timer. Calling it twice does nothing more. */
  start(): void {
    if (this.closed || this.stopTimer) return;
    this.ensureWorker();
    this.stopTimer = this.options.clock.every(this.options.flushIntervalMs ?? 100, () => this.send());
  }

  /** Queues the entry as a row when logging is enabled. Never throws, never waits. */
  record(entry: RequestLogEntry): void {
    if (this.closed) return;
    try {
      const settings = this.options.settings();
      if (!settings.enabled) return;
      this.queue.push(
        toRequestLogRow(entry, { keepBodies: settings.debugBodies, maxBodyChars: settings.maxBodyChars }),
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
    await this.request('prune');
  }

  discardQueued(): number {
    const discarded = this.queue.clear();
    void this.request('discard');
    return discarded;
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
    this.send();
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await this.request('close');
    this.worker = null;
    await worker.terminate();
  }

  /** Posts the queued rows (and changed retention settings) to the worker. */
  private send(): void {
    if (this.closed) return;
    const worker = this.ensureWorker();
    if (!worker) return;
    const settings = this.options.settings();
    const retention = { retentionDays: settings.retentionDays, maxRows: settings.maxRows };
    if (
      this.sentRetention?.retentionDays !== retention.retentionDays ||
      this.sentRetention.maxRows !== retention.maxRows
    ) {
      worker.postMessage({ type: 'retention', retention });
      this.sentRetention = retention;
    }
    if (this.queue.size > 0) worker.postMessage({ type: 'rows', rows: this.queue.take(this.queue.size) });
  }

  /** Sends a command and resolves with the worker's reply (at once when there is no worker). */
  private request(type: 'flush' | 'prune' | 'discard' | 'stats' | 'close'): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (reply) => {
        this.lastWorkerStats = reply.stats;
        resolve();
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
      this.relayLog(reply.line);
      return;
    }
    const resolve = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    resolve?.(reply);
  }

  /** Re-emits a log line of the worker through the gateway's logger, at its level. */
  private relayLog(line: string): void {
    try {
      const {
        level,
        msg,
        time: _time,
        pid: _pid,
        hostname: _host,
        service: _service,
        ...fields
      } = JSON.parse(line) as Record<string, unknown>;
      const method = typeof level === 'number' && level >= 50 ? 'error' : level === 40 ? 'warn' : 'info';
      this.options.logger[method](fields, typeof msg === 'string' ? msg : 'request log worker');
    } catch {
      // A line that is not JSON is not worth failing over.
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

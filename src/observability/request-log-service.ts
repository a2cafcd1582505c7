import { Writable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import type { Clock } from '../core/clock.js';
import type { RequestLogRow } from '../store/request-log-store.js';
import { createLogger } from './logger.js';
import {
  RequestLogWriter,
  type RequestLogWriterStats,
  type RequestLogWriteStore,
} from './request-log-writer.js';

/** How long rows are kept (`proxy.logging.retention_days`, `proxy.logging.max_rows`). */
export interface RequestLogRetention {
  retentionDays: number;
  maxRows: number;
}

/** What the gateway thread sends to the request log service. */
export type RequestLogCommand =
  | { type: 'rows'; rows: RequestLogRow[] }
  | { type: 'retention'; retention: RequestLogRetention }
  | { type: 'flush' | 'prune' | 'discard' | 'stats' | 'close'; id: number };

/** What the service sends back: a reply to a command with an id, or a log line to re-emit. */
export type RequestLogReply =
  | { type: 'done'; id: number; stats: RequestLogWriterStats; discarded?: number }
  | { type: 'log'; line: string };

/** The settings the service is started with (the worker's `workerData` minus the database). */
export interface RequestLogServiceSettings {
  retention: RequestLogRetention;
  /** Rows held waiting for the store; the oldest are dropped beyond it. */
  capacity: number;
  /** Rows per insert. */
  batchSize: number;
  /** Milliseconds between writes. */
  flushIntervalMs: number;
}

/** The port the service listens on: the worker's `parentPort`, or one end of a `MessageChannel`. */
export type RequestLogServicePort = Pick<MessagePort, 'postMessage' | 'on'>;

/**
 * The storing side of the request log, run where the database connection lives (the request log
 * worker thread, or in process when there is no worker): a `RequestLogWriter` fed with the rows
 * the gateway thread posts, answering its commands. Its log lines are posted back as `log`
 * messages, so they reach the gateway's logger. `close` stores what is queued, then calls
 * `options.close` (closing the database) before answering.
 */
export function serveRequestLog(options: {
  port: RequestLogServicePort;
  store: RequestLogWriteStore;
  clock: Clock;
  settings: RequestLogServiceSettings;
  close: () => Promise<void>;
}): void {
  const { port } = options;
  let retention = options.settings.retention;
  const lines = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      port.postMessage({ type: 'log', line: chunk.toString('utf8') } satisfies RequestLogReply);
      callback();
    },
  });
  const writer = new RequestLogWriter({
    store: options.store,
    clock: options.clock,
    logger: createLogger({ destination: lines }),
    settings: () => ({ enabled: true, debugBodies: false, maxBodyChars: 0, ...retention }),
    capacity: options.settings.capacity,
    batchSize: options.settings.batchSize,
    flushIntervalMs: options.settings.flushIntervalMs,
  });
  writer.start();
  const reply = (id: number, discarded?: number) =>
    port.postMessage({ type: 'done', id, stats: writer.stats(), discarded } satisfies RequestLogReply);
  const handle = async (command: RequestLogCommand): Promise<void> => {
    switch (command.type) {
      case 'rows':
        return writer.enqueueRows(command.rows);
      case 'retention':
        retention = command.retention;
        return;
      case 'flush':
        await writer.flush();
        return reply(command.id);
      case 'prune':
        await writer.prune();
        return reply(command.id);
      case 'discard':
        return reply(command.id, writer.discardQueued());
      case 'stats':
        return reply(command.id);
      case 'close':
        await writer.close();
        // The rows are stored (or their failure logged); a database that fails to close changes nothing.
        await options.close().catch(() => undefined);
        return reply(command.id);
    }
  };
  port.on('message', (command: RequestLogCommand) => void handle(command));
}

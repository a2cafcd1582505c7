import type { MessagePort } from 'node:worker_threads';
import type { Clock } from '../core/clock.js';
import type { PostedRequestLogValues } from '../store/request-log-columns.js';
import {
  RequestLogWriter,
  type RequestLogWriterLogger,
  type RequestLogWriterStats,
  type RequestLogWriteStore,
} from './request-log-writer.js';

/** How long rows are kept (`proxy.logging.retention_days`, `proxy.logging.max_rows`). */
export interface RequestLogRetention {
  retentionDays: number;
  maxRows: number;
}

/**
 * What the gateway thread sends to the request log service. `rows`: the column values of rows
 * (`REQUEST_LOG_COLUMNS` order), all in one flat array, row after row. `retry`: the store answers
 * again, write what failed now. `clear`: after what is queued before it, drop the queue and delete
 * every stored row.
 */
export type RequestLogCommand =
  | { type: 'rows'; values: PostedRequestLogValues }
  | { type: 'retention'; retention: RequestLogRetention }
  | { type: 'retry' }
  | { type: 'flush' | 'prune' | 'clear' | 'stats' | 'close'; id: number };

/**
 * What the service sends back: a reply to a command with an id, its counters when they changed
 * (at most once per flush interval), or a log line to re-emit. A log line's `errFields`: the own
 * enumerable string and number properties of its `err` (SQLite's `code`…) and its class's `name`,
 * which the message port's clone of an error drops; the gateway thread puts them back on the
 * cloned error.
 */
export type RequestLogReply =
  | { type: 'done'; id: number; stats: RequestLogWriterStats; error?: string }
  | { type: 'stats'; stats: RequestLogWriterStats }
  | {
      type: 'log';
      level: 'debug' | 'error';
      fields: Record<string, unknown>;
      message: string;
      errFields?: Record<string, string | number>;
    };

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
  const writer = new RequestLogWriter({
    store: options.store,
    clock: options.clock,
    logger: portLogger(port),
    settings: () => ({ enabled: true, debugBodies: false, maxBodyChars: 0, ...retention }),
    capacity: options.settings.capacity,
    batchSize: options.settings.batchSize,
    flushIntervalMs: options.settings.flushIntervalMs,
  });
  writer.start();
  let reported = writer.stats();
  // The gateway reads the rows held here (the store outage report) without asking: tell it on change.
  const stopReports = options.clock.every(options.settings.flushIntervalMs, () => {
    const stats = writer.stats();
    if (sameStats(stats, reported)) return;
    reported = stats;
    port.postMessage({ type: 'stats', stats } satisfies RequestLogReply);
  });
  const reply = (id: number) =>
    port.postMessage({ type: 'done', id, stats: writer.stats() } satisfies RequestLogReply);
  const handle = async (command: RequestLogCommand): Promise<void> => {
    switch (command.type) {
      case 'rows':
        return writer.enqueueValues(command.values);
      case 'retry':
        return writer.retryNow();
      case 'retention':
        retention = command.retention;
        return;
      case 'flush':
        await writer.flush();
        return reply(command.id);
      case 'prune':
        await writer.prune();
        return reply(command.id);
      case 'clear':
        try {
          await writer.clear();
          return reply(command.id);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const failed = { type: 'done', id: command.id, stats: writer.stats(), error: message } as const;
          return port.postMessage(failed satisfies RequestLogReply);
        }
      case 'stats':
        return reply(command.id);
      case 'close':
        stopReports();
        await writer.close();
        // The rows are stored (or their failure logged); a database that fails to close changes nothing.
        await options.close().catch(() => undefined);
        return reply(command.id);
    }
  };
  port.on('message', (command: RequestLogCommand) => void handle(command));
}

/**
 * The service's log lines, posted to the gateway thread, whose logger writes them: the worker
 * thread loads no logging library of its own. An `err` field crosses as an `Error` (the message
 * port clones errors with their message and stack), its other fields beside it (`errFields`).
 */
function portLogger(port: RequestLogServicePort): RequestLogWriterLogger {
  const post = (level: 'debug' | 'error', fields: Record<string, unknown>, message: string) => {
    const errFields = fields['err'] instanceof Error ? ownFields(fields['err']) : null;
    port.postMessage({
      type: 'log',
      level,
      fields,
      message,
      ...(errFields !== null ? { errFields } : {}),
    } satisfies RequestLogReply);
  };
  return {
    debug: (fields, message) => post('debug', fields, message),
    error: (fields, message) => post('error', fields, message),
  };
}

/**
 * The own enumerable string and number properties of `error`, and its class's `name` when that is
 * not plain `Error` (the port's clone names every error of a class of its own `Error`, so
 * better-sqlite3's `SqliteError` would lose its name); null when there is nothing to add.
 */
function ownFields(error: Error): Record<string, string | number> | null {
  const fields: Record<string, string | number> = Object.fromEntries(
    Object.entries(error).filter(
      (entry): entry is [string, string | number] =>
        typeof entry[1] === 'string' || typeof entry[1] === 'number',
    ),
  );
  if (typeof error.name === 'string' && error.name !== 'Error' && !('name' in fields))
    fields['name'] = error.name;
  return Object.keys(fields).length > 0 ? fields : null;
}

function sameStats(one: RequestLogWriterStats, other: RequestLogWriterStats): boolean {
  return (
    one.queued === other.queued &&
    one.written === other.written &&
    one.dropped === other.dropped &&
    one.failed === other.failed
  );
}

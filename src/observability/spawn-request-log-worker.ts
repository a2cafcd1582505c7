import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { Clock } from '../core/clock.js';
import type { StoreLocation } from '../store/store-location.js';
import {
  type RequestLogCommand,
  type RequestLogServiceSettings,
  serveRequestLog,
} from './request-log-service.js';
import type { RequestLogWorkerHandle } from './request-log-thread.js';
import type { RequestLogWorkerData } from './request-log-worker.js';
import type { RequestLogWriteStore } from './request-log-writer.js';

const WORKER_URL = new URL('./request-log-worker.js', import.meta.url);

/**
 * The worker's own heap is bounded: it holds at most `capacity` rows (about 5 MB at 10 000), so
 * these limits are far above its need and only stop a fault from growing the process without end.
 * A worker that runs out is reported and started again (`RequestLogThread`). V8's
 * `--max-semi-space-size` (the launcher's 8 MB) wins over `maxYoungGenerationSizeMb` in every
 * isolate, so under the launcher the worker's young generation is 2 × 8 MB like the gateway
 * thread's; giving it its own (1 MB) measured no difference in resident memory (BENCHMARKS.md).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 96 };

/**
 * True when this module runs compiled (`dist/`), where the worker's own file exists; from the
 * TypeScript sources (the unit and end-to-end tests) a worker thread could not load it.
 */
export const requestLogWorkerAvailable = import.meta.url.endsWith('.js');

/** Starts the request log worker thread on its own connection to the database at `location`. */
export function spawnRequestLogWorker(
  location: StoreLocation,
  settings: RequestLogServiceSettings,
): RequestLogWorkerHandle {
  const workerData: RequestLogWorkerData = { location, settings };
  const worker = new Worker(WORKER_URL, { workerData, name: 'request-log', resourceLimits: WORKER_LIMITS });
  // Never what keeps the process running: shutdown closes it explicitly, after flushing.
  worker.unref();
  return worker;
}

/**
 * The same service in this thread, over a `MessageChannel`, writing through `store` (the
 * gateway's own connection): where no worker thread can be started, and in tests.
 */
export function inProcessRequestLogWorker(options: {
  store: RequestLogWriteStore;
  clock: Clock;
  settings: RequestLogServiceSettings;
  /** Called when the service is closed. Default: nothing (the connection belongs to the caller). */
  close?: () => Promise<void>;
}): RequestLogWorkerHandle {
  const { port1, port2 } = new MessageChannel();
  port1.unref();
  port2.unref();
  serveRequestLog({
    port: port2,
    store: options.store,
    clock: options.clock,
    settings: options.settings,
    close: options.close ?? (() => Promise.resolve()),
  });
  return new InProcessWorker(port1, port2);
}

/** A `MessageChannel` end with the parts of a Worker's interface `RequestLogThread` uses. */
class InProcessWorker extends EventEmitter implements RequestLogWorkerHandle {
  constructor(
    private readonly port: MessagePort,
    private readonly servicePort: MessagePort,
  ) {
    super();
    port.on('message', (reply) => this.emit('message', reply));
  }

  postMessage(command: RequestLogCommand): void {
    this.port.postMessage(command);
  }

  async terminate(): Promise<number> {
    this.port.close();
    this.servicePort.close();
    return 0;
  }
}

import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../core/clock.js';
import type { RequestLogCommand } from './request-log-service.js';
import { keptLinesLogger, type LogLine, requestLogTestBed } from './request-log-test-bed.js';
import {
  RequestLogThread,
  type RequestLogThreadOptions,
  type RequestLogWorkerHandle,
} from './request-log-thread.js';
import { sampleRequestLogEntry } from './sample-request-log-entry.js';
import { inProcessRequestLogWorker } from './spawn-request-log-worker.js';

function setup(options: Pick<RequestLogThreadOptions, 'capacity' | 'availability'> = {}) {
  const { clock, store, lines, logger, settings } = requestLogTestBed({ maxBodyChars: 100 });
  const workers = { started: 0 };
  /** When each batch of rows was posted to the worker (clock time). */
  const posted: number[] = [];
  const thread = new RequestLogThread({
    spawn: (serviceSettings) => {
      workers.started++;
      const worker = inProcessRequestLogWorker({
        store,
        clock,
        settings: serviceSettings,
        close: async () => {
          store.closed = true;
        },
      });
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (command: RequestLogCommand) => {
        if (command.type === 'rows') posted.push(clock.now());
        post(command);
      };
      return worker;
    },
    clock,
    logger,
    settings: () => settings,
    ...options,
  });
  return { clock, store, lines, thread, settings, workers, posted };
}

const record = (thread: RequestLogThread, ...ids: string[]) => {
  for (const id of ids) thread.record(sampleRequestLogEntry({ id }));
};

describe('RequestLogThread', () => {
  it('hands recorded rows to the service, which stores them in order', async () => {
    const { store, thread } = setup();
    thread.start();
    record(thread, 'r1', 'r2', 'r3');
    expect(store.rows()).toEqual([]);
    await thread.flush();
    expect(store.storedIds()).toEqual(['r1', 'r2', 'r3']);
    expect(store.rows()[0]).toMatchObject({ accounts_tried: '["one@example.com"]', request_body: null });
    expect(await thread.readStats()).toEqual({ queued: 0, written: 3, dropped: 0, failed: 0 });
    await thread.close();
  });

  it('sends what was recorded on its timer, without being asked to flush', async () => {
    const { clock, store, thread } = setup();
    thread.start();
    record(thread, 'timed');
    await clock.advance(100);
    // The service writes on its own 100 ms tick once the rows have arrived.
    await thread.readStats();
    await clock.advance(100);
    expect((await thread.readStats()).written).toBe(1);
    expect(store.storedIds()).toEqual(['timed']);
    await thread.close();
  });

  it('hands rows to the worker within 20 ms of their request, well before the worker writes them', async () => {
    const { clock, store, lines, thread, posted } = setup();
    thread.start();
    const recordedAt = clock.now();
    record(thread, 'young');
    await clock.advance(20);
    // Held longer, a saturated gateway's rows outlived two young-generation collections and were
    // promoted to the old generation by the thousand each second.
    expect(posted).toEqual([recordedAt + 20]);
    // The worker writes on its own 100 ms tick once the rows have arrived.
    expect((await thread.readStats()).written).toBe(0);
    await clock.advance(100);
    expect((await thread.readStats()).written).toBe(1);
    expect(store.storedIds()).toEqual(['young']);
    expect(lines).toEqual([]);
    await thread.close();
  });

  it('keeps at most `capacity` rows between two sends, dropping the oldest and counting them', async () => {
    const { store, thread } = setup({ capacity: 2 });
    thread.start();
    record(thread, 'r1', 'r2', 'r3', 'r4');
    expect((await thread.readStats()).dropped).toBe(2);
    await thread.flush();
    expect(store.storedIds()).toEqual(['r3', 'r4']);
  });

  it('keeps the rows of a failing write, bounded, logs the failure and stores them once the store works', async () => {
    const { store, thread, lines } = setup({ capacity: 2 });
    thread.start();
    store.failInserts = true;
    record(thread, 'r1', 'r2');
    await expect(thread.flush()).resolves.toBeUndefined();
    expect(await thread.readStats()).toMatchObject({ queued: 2, written: 0, failed: 2 });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'request log batch of 2 rows could not be stored',
        // The worker's error reaches the gateway's log as the logger writes any error, with its stack
        // and its own fields such as SQLite's `code` and its class's name, which the message port's
        // clone alone drops.
        err: expect.objectContaining({
          type: 'Error',
          name: 'SqliteError',
          message: 'disk I/O error',
          code: 'SQLITE_IOERR',
          stack: expect.stringContaining('FakeRequestLogStore.insertValues'),
        }),
      }),
    );
    record(thread, 'r3');
    await thread.flush();
    expect((await thread.readStats()).dropped).toBe(1);
    store.failInserts = false;
    await thread.flush();
    expect(store.storedIds()).toEqual(['r2', 'r3']);
  });

  it('reports the rows the worker holds through a failing store without being asked, and writes them when told the store answers', async () => {
    let available = () => undefined as unknown;
    const { clock, store, thread } = setup({
      availability: {
        onAvailable: (listener) => {
          available = listener;
          return () => undefined;
        },
      },
    });
    thread.start();
    store.failInserts = true;
    record(thread, 'r1', 'r2');
    await thread.flush();
    await clock.advance(100);
    await vi.waitFor(() => expect(thread.heldRows()).toEqual({ held: 2, dropped: 0 }));
    store.failInserts = false;
    available();
    // Well before the writer's own retry (1 s after the failure).
    await vi.waitFor(() => expect(store.storedIds()).toEqual(['r1', 'r2']));
    await clock.advance(100);
    await vi.waitFor(() => expect(thread.heldRows()).toEqual({ held: 0, dropped: 0 }));
    await thread.close();
  });

  it('clears the log in the worker, after what was sent before, and drops what this thread still held', async () => {
    const { store, thread } = setup();
    thread.start();
    record(thread, 'stored');
    await thread.flush();
    record(thread, 'queued');
    await expect(thread.clear()).resolves.toBe(true);
    await thread.flush();
    expect(store.clears).toBe(1);
    expect(store.storedIds()).toEqual([]);
    await thread.close();
    await expect(thread.clear()).resolves.toBe(false);
  });

  it('on close stores every row recorded before it, then closes the service', async () => {
    const { store, thread } = setup();
    thread.start();
    record(thread, 'before-close-1', 'before-close-2');
    await thread.close();
    expect(store.storedIds()).toEqual(['before-close-1', 'before-close-2']);
    expect(store.closed).toBe(true);
    record(thread, 'after-close');
    await thread.flush();
    expect(store.storedIds()).toEqual(['before-close-1', 'before-close-2']);
  });

  it('stores nothing while enable_logging is off', async () => {
    const { store, thread, settings } = setup();
    thread.start();
    settings.enabled = false;
    record(thread, 'off');
    await thread.flush();
    settings.enabled = true;
    record(thread, 'on');
    await thread.flush();
    expect(store.storedIds()).toEqual(['on']);
  });

  it('starts no worker while enable_logging is off, and one for the first row once it is on', async () => {
    const { store, thread, settings, clock, workers } = setup();
    settings.enabled = false;
    thread.start();
    record(thread, 'off');
    await clock.advance(1000);
    expect(workers.started).toBe(0);
    settings.enabled = true;
    record(thread, 'on');
    await clock.advance(100);
    expect(workers.started).toBe(1);
    await thread.flush();
    expect(store.storedIds()).toEqual(['on']);
  });

  it('with enable_logging off, starts a worker every idle prune interval to prune, then stops it', async () => {
    const { store, thread, settings, clock, workers } = setup();
    settings.enabled = false;
    thread.start();
    await clock.advance(5 * 60_000);
    await vi.waitFor(() => expect(store.closed).toBe(true));
    expect(store.prunes).toHaveLength(1);
    expect(workers.started).toBe(1);
    store.closed = false;
    await clock.advance(5 * 60_000);
    await vi.waitFor(() => expect(store.closed).toBe(true));
    expect(store.prunes).toHaveLength(2);
    expect(workers.started).toBe(2);
  });

  it('posts nothing to the worker of an idle prune while it closes; rows recorded then go to the next worker', async () => {
    const clock = new FakeClock();
    const settings = { enabled: false, retentionDays: 1, maxRows: 10, debugBodies: false, maxBodyChars: 1 };
    const workers: SilentWorker[] = [];
    const thread = new RequestLogThread({
      spawn: () => {
        const worker = new SilentWorker();
        workers.push(worker);
        return worker;
      },
      clock,
      logger: keptLinesLogger([]),
      settings: () => settings,
    });
    thread.start();
    await clock.advance(5 * 60_000);
    const pruning = workers[0];
    const close = pruning?.commands.find((command) => command.type === 'close');
    expect(close).toBeDefined();
    settings.enabled = true;
    record(thread, 'during-prune');
    await clock.advance(200);
    expect(pruning?.commands.some((command) => command.type === 'rows')).toBe(false);
    pruning?.emit('message', { type: 'done', id: close && 'id' in close ? close.id : 0, stats: noStats });
    await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(100);
    expect(workers).toHaveLength(2);
    expect(workers[1]?.commands.some((command) => command.type === 'rows')).toBe(true);
  });

  it('survives a worker that dies: waiters are released, the failure logged, a new worker started later', async () => {
    const clock = new FakeClock();
    const lines: LogLine[] = [];
    const workers: SilentWorker[] = [];
    const thread = new RequestLogThread({
      spawn: () => {
        const worker = new SilentWorker();
        workers.push(worker);
        return worker;
      },
      clock,
      logger: keptLinesLogger(lines),
      settings: () => ({ enabled: true, retentionDays: 1, maxRows: 10, debugBodies: false, maxBodyChars: 1 }),
    });
    thread.start();
    const flushed = thread.flush();
    workers[0]?.emit('exit', 1);
    await expect(flushed).resolves.toBeUndefined();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'request log worker failed; rows it held are lost' }),
    );
    await clock.advance(4900);
    expect(workers).toHaveLength(1);
    await clock.advance(200);
    expect(workers).toHaveLength(2);
  });
});

const noStats = { queued: 0, written: 0, dropped: 0, failed: 0 };

/** A worker that never answers (its thread is stuck or gone). */
class SilentWorker extends EventEmitter implements RequestLogWorkerHandle {
  commands: RequestLogCommand[] = [];

  postMessage(command: RequestLogCommand): void {
    this.commands.push(command);
  }

  async terminate(): Promise<number> {
    return 0;
  }
}

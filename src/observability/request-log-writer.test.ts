import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/schema.js';
import { requestLogTestBed } from './request-log-test-bed.js';
import {
  type RequestLogSettings,
  RequestLogWriter,
  type RequestLogWriterOptions,
  requestLogSettings,
} from './request-log-writer.js';
import { sampleRequestLogEntry } from './sample-request-log-entry.js';

const DAY_MS = 86_400_000;

function setup(overrides: Partial<RequestLogWriterOptions> = {}, settings: Partial<RequestLogSettings> = {}) {
  const { clock, store, lines, logger, settings: current } = requestLogTestBed(settings);
  const writer = new RequestLogWriter({
    store,
    clock,
    logger,
    settings: () => current,
    ...overrides,
  });
  return { clock, store, lines, writer, settings: current };
}

/** Lets the promise chains started by a timer callback run to completion. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('requestLogSettings', () => {
  it('reads proxy.enable_logging and proxy.logging.*', () => {
    const config = defaultConfig();
    expect(requestLogSettings(config)).toEqual({
      enabled: config.proxy.enable_logging,
      retentionDays: config.proxy.logging.retention_days,
      maxRows: config.proxy.logging.max_rows,
      debugBodies: config.proxy.logging.debug_bodies,
      maxBodyChars: config.proxy.logging.max_body_chars,
    });
  });
});

describe('RequestLogWriter', () => {
  it('stores nothing on record, then everything queued in one batch at the next 500 ms tick', async () => {
    const { clock, store, writer } = setup();
    writer.start();
    writer.record(sampleRequestLogEntry({ id: 'req_a' }));
    writer.record(sampleRequestLogEntry({ id: 'req_b' }));
    await clock.advance(499);
    await settle();
    expect(store.batches).toEqual([]);
    await clock.advance(1);
    await settle();
    expect(store.batches.map((batch) => batch.map((row) => row.id))).toEqual([['req_a', 'req_b']]);
    expect(writer.stats()).toEqual({ queued: 0, written: 2, dropped: 0, failed: 0 });
  });

  it('splits a long queue into batches of batchSize, oldest first', async () => {
    const { store, writer } = setup({ batchSize: 2 });
    for (const id of ['r1', 'r2', 'r3', 'r4', 'r5']) writer.record(sampleRequestLogEntry({ id }));
    await writer.flush();
    expect(store.batches.map((batch) => batch.map((row) => row.id))).toEqual([
      ['r1', 'r2'],
      ['r3', 'r4'],
      ['r5'],
    ]);
  });

  it('keeps at most `capacity` rows waiting, dropping the oldest and counting them', async () => {
    const { store, writer } = setup({ capacity: 3 });
    for (const id of ['r1', 'r2', 'r3', 'r4', 'r5']) writer.record(sampleRequestLogEntry({ id }));
    expect(writer.stats()).toMatchObject({ queued: 3, dropped: 2 });
    await writer.flush();
    expect(store.storedIds()).toEqual(['r3', 'r4', 'r5']);
  });

  it('stores nothing while enable_logging is off, and resumes as soon as it is on again', async () => {
    const { store, writer, settings } = setup({}, { enabled: false });
    writer.record(sampleRequestLogEntry({ id: 'off' }));
    await writer.flush();
    expect(store.batches).toEqual([]);
    settings.enabled = true;
    writer.record(sampleRequestLogEntry({ id: 'on' }));
    await writer.flush();
    expect(store.storedIds()).toEqual(['on']);
  });

  it('drops bodies unless debug_bodies is on, then keeps them cut to max_body_chars', async () => {
    const { store, writer, settings } = setup({}, { debugBodies: false, maxBodyChars: 5 });
    const entry = { requestBody: '{"model":"x"}', responseBody: 'ok' };
    writer.record(sampleRequestLogEntry({ id: 'plain', ...entry }));
    settings.debugBodies = true;
    writer.record(sampleRequestLogEntry({ id: 'debug', ...entry }));
    await writer.flush();
    const [plain, debug] = store.batches.flat();
    expect([plain?.request_body, plain?.response_body]).toEqual([null, null]);
    expect([debug?.request_body, debug?.response_body]).toEqual(['{"mod', 'ok']);
  });

  it('prunes at start and every 5 minutes with the retention settings in force', async () => {
    const { clock, store, writer, settings } = setup({}, { retentionDays: 7, maxRows: 5000 });
    const start = clock.now();
    writer.start();
    await settle();
    expect(store.prunes).toEqual([{ olderThan: start - 7 * DAY_MS, maxRows: 5000 }]);
    settings.retentionDays = 1;
    settings.maxRows = 2000;
    await clock.advance(5 * 60_000);
    await settle();
    expect(store.prunes).toHaveLength(2);
    expect(store.prunes[1]).toEqual({ olderThan: start + 5 * 60_000 - DAY_MS, maxRows: 2000 });
  });

  it('logs a failing insert instead of throwing, keeps its rows and stores them once the store works again', async () => {
    const { store, writer, lines } = setup();
    store.failInserts = true;
    writer.record(sampleRequestLogEntry({ id: 'kept' }));
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(writer.stats()).toMatchObject({ failed: 1, written: 0, queued: 1 });
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, msg: 'request log batch of 1 rows could not be stored' }),
    ]);
    store.failInserts = false;
    writer.record(sampleRequestLogEntry({ id: 'later' }));
    await writer.flush();
    expect(store.storedIds()).toEqual(['kept', 'later']);
    expect(writer.stats()).toMatchObject({ written: 2, queued: 0, dropped: 0 });
  });

  it('retries a failed write on the timer after 1 s, doubling the wait while the store keeps failing', async () => {
    const { clock, store, writer } = setup({ flushIntervalMs: 100 });
    const attempts: number[] = [];
    const insert = store.insertValues.bind(store);
    store.insertValues = async (rows) => {
      attempts.push(clock.now());
      return insert(rows);
    };
    const start = clock.now();
    store.failInserts = true;
    writer.start();
    writer.record(sampleRequestLogEntry({ id: 'patient' }));
    for (let step = 0; step < 35; step++) {
      await clock.advance(100);
      await settle();
    }
    // Tried at 100 ms, then 1 s and 2 s after each failure (on the next 100 ms tick).
    expect(attempts.map((at) => at - start)).toEqual([100, 1100, 3100]);
    store.failInserts = false;
    for (let step = 0; step < 45; step++) {
      await clock.advance(100);
      await settle();
    }
    expect(store.storedIds()).toEqual(['patient']);
    expect(attempts.map((at) => at - start)).toEqual([100, 1100, 3100, 7100]);
    await writer.close();
  });

  it('keeps at most `capacity` rows while the store fails, dropping the oldest and counting them', async () => {
    const { store, writer } = setup({ capacity: 2 });
    store.failInserts = true;
    writer.record(sampleRequestLogEntry({ id: 'r1' }));
    writer.record(sampleRequestLogEntry({ id: 'r2' }));
    await writer.flush();
    writer.record(sampleRequestLogEntry({ id: 'r3' }));
    expect(writer.stats()).toMatchObject({ queued: 2, dropped: 1 });
    store.failInserts = false;
    await writer.flush();
    expect(store.storedIds()).toEqual(['r2', 'r3']);
  });

  it('logs repeated failures at most once a minute, with how many happened', async () => {
    const { clock, store, writer, lines } = setup();
    store.failInserts = true;
    for (let second = 0; second < 3; second++) {
      writer.record(sampleRequestLogEntry({ id: `r${second}` }));
      await writer.flush();
      clock.set(clock.now() + 1000);
    }
    expect(lines).toHaveLength(1);
    clock.set(clock.now() + 60_000);
    writer.record(sampleRequestLogEntry({ id: 'later' }));
    await writer.flush();
    expect(lines).toHaveLength(2);
    expect(lines[1]?.failures).toBe(3);
  });

  it('logs a failing prune instead of throwing', async () => {
    const { store, writer, lines } = setup();
    store.failPrunes = true;
    await expect(writer.prune()).resolves.toBeUndefined();
    expect(lines[0]).toMatchObject({ level: 50, msg: 'request log could not be pruned' });
  });

  it('never throws from record, even when reading the settings fails', () => {
    const { writer } = setup({
      settings: () => {
        throw new Error('config unavailable');
      },
    });
    expect(() => writer.record(sampleRequestLogEntry())).not.toThrow();
  });

  it('never runs two inserts at once: a flush requested mid-flush waits, then writes what came since', async () => {
    const { store, writer } = setup();
    let release = () => {};
    let running = 0;
    let mostAtOnce = 0;
    const insert = store.insertValues.bind(store);
    store.insertValues = async (rows) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      if (rows[0]?.[0] === 'first') await new Promise<void>((resolve) => (release = resolve));
      await insert(rows);
      running -= 1;
    };
    writer.record(sampleRequestLogEntry({ id: 'first' }));
    const first = writer.flush();
    writer.record(sampleRequestLogEntry({ id: 'second' }));
    let secondDone = false;
    const second = writer.flush().then(() => {
      secondDone = true;
    });
    await settle();
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(mostAtOnce).toBe(1);
    expect(store.batches.map((batch) => batch.map((row) => row.id))).toEqual([['first'], ['second']]);
  });

  it('clear waits for the write under way, then drops the queue and deletes every stored row', async () => {
    const { store, writer } = setup();
    let release: () => void = () => undefined;
    const insert = store.insertValues.bind(store);
    store.insertValues = async (rows) => {
      if (rows[0]?.[0] === 'in-flight') await new Promise<void>((resolve) => (release = resolve));
      await insert(rows);
    };
    writer.record(sampleRequestLogEntry({ id: 'in-flight' }));
    const flushing = writer.flush();
    writer.record(sampleRequestLogEntry({ id: 'queued' }));
    const cleared = writer.clear();
    await Promise.resolve();
    expect(store.clears).toBe(0);
    release();
    await expect(cleared).resolves.toBe(true);
    await flushing;
    await writer.flush();
    expect(store.clears).toBe(1);
    expect(store.storedIds()).toEqual([]);
    expect(writer.stats().queued).toBe(0);
  });

  it('close stores what is queued, stops its timers and ignores later records', async () => {
    const { clock, store, writer } = setup();
    writer.start();
    writer.record(sampleRequestLogEntry({ id: 'last' }));
    await writer.close();
    expect(store.storedIds()).toEqual(['last']);
    expect(clock.pendingTimers()).toBe(0);
    writer.record(sampleRequestLogEntry({ id: 'after' }));
    await writer.flush();
    expect(store.storedIds()).toEqual(['last']);
  });
});

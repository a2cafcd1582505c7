import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import type { UsageDelta } from '../store/usage-store.js';
import { silentLogger } from './logger.js';
import { sampleRequestLogEntry } from './sample-request-log-entry.js';
import { UsageRecorder } from './usage-recorder.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 10, 30);

function fakeStore(options: { failures?: number } = {}) {
  let failures = options.failures ?? 0;
  const batches: UsageDelta[][] = [];
  const pruned: number[] = [];
  return {
    batches,
    pruned,
    async addBatch(deltas: readonly UsageDelta[]) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('database is down');
      }
      batches.push([...deltas]);
    },
    async prune(olderThan: number) {
      pruned.push(olderThan);
      return 0;
    },
  };
}

const usage = (input: number, output: number) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: 1,
  cacheWriteTokens: 2,
  reasoningTokens: 3,
});

describe('UsageRecorder', () => {
  it('sums requests per hour, key, account and model into one delta each, and writes them on flush', async () => {
    const store = fakeStore();
    const recorder = new UsageRecorder({
      store,
      clock: new FakeClock(T0),
      logger: silentLogger(),
      retentionDays: () => 400,
    });

    recorder.record(sampleRequestLogEntry({ time: T0, clientKeyId: 'k', usage: usage(10, 5) }));
    recorder.record(
      sampleRequestLogEntry({ time: T0 + 60_000, clientKeyId: 'k', usage: usage(20, 5), status: 502 }),
    );
    recorder.record(sampleRequestLogEntry({ time: T0 + HOUR, clientKeyId: 'k', usage: null, status: 429 }));
    recorder.record(sampleRequestLogEntry({ time: T0, clientKeyId: null, usage: usage(1, 1) }));
    expect(store.batches).toEqual([]);

    await recorder.flush();

    expect(store.batches).toHaveLength(1);
    const hour = Date.UTC(2026, 0, 1, 10);
    expect(store.batches[0]).toEqual([
      {
        hour,
        clientKeyId: 'k',
        accountId: 'account-1',
        model: 'gpt-4o-2024-08-06',
        requests: 2,
        errors: 1,
        inputTokens: 30,
        outputTokens: 10,
        cacheReadTokens: 2,
        cacheWriteTokens: 4,
        reasoningTokens: 6,
      },
      expect.objectContaining({
        hour: hour + HOUR,
        clientKeyId: 'k',
        requests: 1,
        errors: 1,
        inputTokens: 0,
      }),
      expect.objectContaining({ hour, clientKeyId: null, requests: 1, inputTokens: 1 }),
    ]);
    await recorder.flush();
    expect(store.batches).toHaveLength(1);
  });

  it('keeps the sums of a failed write and adds them to the next one', async () => {
    const store = fakeStore({ failures: 1 });
    const recorder = new UsageRecorder({
      store,
      clock: new FakeClock(T0),
      logger: silentLogger(),
      retentionDays: () => 400,
    });

    recorder.record(sampleRequestLogEntry({ time: T0, usage: usage(10, 5) }));
    await recorder.flush();
    recorder.record(sampleRequestLogEntry({ time: T0, usage: usage(1, 1) }));
    await recorder.flush();

    expect(store.batches).toEqual([
      [expect.objectContaining({ requests: 2, inputTokens: 11, outputTokens: 6 })],
    ]);
  });

  it('writes every second and prunes past the retention on its timers, and flushes on close', async () => {
    const store = fakeStore();
    const clock = new FakeClock(T0);
    const recorder = new UsageRecorder({ store, clock, logger: silentLogger(), retentionDays: () => 35 });
    recorder.start();
    recorder.record(sampleRequestLogEntry({ time: T0, usage: usage(10, 5) }));

    await clock.advance(1000);
    await recorder.flush();
    recorder.record(sampleRequestLogEntry({ time: T0, usage: usage(1, 1) }));
    await recorder.close();

    expect(store.batches.map((batch) => batch[0]?.inputTokens)).toEqual([10, 1]);
    expect(store.pruned[0]).toBe(Date.UTC(2026, 0, 1, 10) - 35 * 24 * HOUR);
  });
});

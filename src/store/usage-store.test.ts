import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import type { OpenedDatabase } from './opened-database.js';
import { type UsageDelta, UsageStore } from './usage-store.js';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 2, 1);

function delta(overrides: Partial<UsageDelta>): UsageDelta {
  return {
    hour: DAY0,
    clientKeyId: 'key-a',
    accountId: 'acct-1',
    model: 'gpt-4o',
    requests: 1,
    errors: 0,
    inputTokens: 100,
    outputTokens: 10,
    cacheReadTokens: 40,
    cacheWriteTokens: 5,
    reasoningTokens: 2,
    ...overrides,
  };
}

describeEachStoreBackend('UsageStore', (backend) => {
  let location: string;
  let opened: OpenedDatabase;
  let usage: UsageStore;

  beforeEach(async () => {
    location = await backend.newLocation();
    opened = await backend.open(location);
    usage = new UsageStore(opened.db);
  });

  afterEach(async () => {
    await opened.close();
  });

  it('adds deltas of the same hour, key, account and model into one row', async () => {
    await usage.addBatch([delta({}), delta({ requests: 2, errors: 1, inputTokens: 50 })]);
    await usage.addBatch([delta({ outputTokens: 5 })]);

    expect(await backend.raw(location, 'select * from usage_hourly')).toHaveLength(1);
    expect(await usage.query({ since: DAY0, by: 'key', bucket: 'hour' })).toEqual([
      {
        start: DAY0,
        group: 'key-a',
        model: 'gpt-4o',
        requests: 4,
        errors: 1,
        inputTokens: 250,
        outputTokens: 25,
        cacheReadTokens: 120,
        cacheWriteTokens: 15,
        reasoningTokens: 6,
      },
    ]);
  });

  it('groups by key, account or model, per hour or per UTC day, split by model', async () => {
    await usage.addBatch([
      delta({ hour: DAY0 + HOUR, inputTokens: 1 }),
      delta({ hour: DAY0 + 5 * HOUR, inputTokens: 2, accountId: 'acct-2' }),
      delta({ hour: DAY0 + 5 * HOUR, inputTokens: 4, model: 'claude-sonnet-4-5' }),
      delta({ hour: DAY0 + 25 * HOUR, inputTokens: 8, clientKeyId: null }),
    ]);

    const byKeyPerDay = await usage.query({ since: DAY0, by: 'key', bucket: 'day' });
    const byAccount = await usage.query({ since: DAY0, by: 'account', bucket: 'day' });
    const byModelPerHour = await usage.query({ since: DAY0, by: 'model', bucket: 'hour' });

    const summary = (rows: typeof byKeyPerDay) =>
      rows.map((row) => `${(row.start - DAY0) / HOUR}h ${row.group} ${row.model} ${row.inputTokens}`).sort();
    expect(summary(byKeyPerDay)).toEqual([
      '0h key-a claude-sonnet-4-5 4',
      '0h key-a gpt-4o 3',
      '24h null gpt-4o 8',
    ]);
    expect(summary(byAccount)).toEqual([
      '0h acct-1 claude-sonnet-4-5 4',
      '0h acct-1 gpt-4o 1',
      '0h acct-2 gpt-4o 2',
      '24h acct-1 gpt-4o 8',
    ]);
    expect(summary(byModelPerHour)).toEqual([
      '1h gpt-4o gpt-4o 1',
      '25h gpt-4o gpt-4o 8',
      '5h claude-sonnet-4-5 claude-sonnet-4-5 4',
      '5h gpt-4o gpt-4o 2',
    ]);
  });

  it('filters by time range, key, account and model', async () => {
    await usage.addBatch([
      delta({ hour: DAY0, inputTokens: 1 }),
      delta({ hour: DAY0 + 2 * HOUR, inputTokens: 2, clientKeyId: 'key-b' }),
      delta({ hour: DAY0 + 3 * HOUR, inputTokens: 4, accountId: 'acct-9', model: 'o3' }),
    ]);

    const total = async (query: Partial<Parameters<UsageStore['query']>[0]>) =>
      (await usage.query({ since: DAY0, by: 'key', bucket: 'hour', ...query })).reduce(
        (sum, row) => sum + row.inputTokens,
        0,
      );

    expect(await total({ since: DAY0 + HOUR + 1 })).toBe(6);
    expect(await total({ until: DAY0 + 3 * HOUR })).toBe(3);
    expect(await total({ clientKeyId: 'key-b' })).toBe(2);
    expect(await total({ accountId: 'acct-9' })).toBe(4);
    expect(await total({ model: 'o3' })).toBe(4);
  });

  it('prunes the hours before a cutoff', async () => {
    await usage.addBatch([
      delta({ hour: DAY0 }),
      delta({ hour: DAY0 + HOUR }),
      delta({ hour: DAY0 + 2 * HOUR }),
    ]);

    expect(await usage.prune(DAY0 + HOUR)).toBe(1);
    expect((await usage.query({ since: 0, by: 'key', bucket: 'hour' })).map((row) => row.start)).toEqual([
      DAY0 + HOUR,
      DAY0 + 2 * HOUR,
    ]);
  });
});

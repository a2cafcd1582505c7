import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../store/usage-store.js';
import { configuredPrices, PriceTable } from '../usage/price-table.js';
import { buildUsageReport, usageStoreQuery } from './usage-report.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 8, 10, 30);

function row(overrides: Partial<UsageRow>): UsageRow {
  return {
    start: Date.UTC(2026, 0, 7),
    group: 'key-a',
    model: 'm-1',
    requests: 1,
    errors: 0,
    inputTokens: 1_000_000,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    ...overrides,
  };
}

describe('usageStoreQuery', () => {
  it('reads spans and ISO dates, and picks hour buckets up to two days, day buckets beyond', () => {
    const base = { by: 'key' as const };

    expect(usageStoreQuery({ ...base, since: '24h' }, NOW)).toEqual({
      since: Date.UTC(2026, 0, 7, 10),
      by: 'key',
      bucket: 'hour',
    });
    expect(usageStoreQuery({ ...base, since: '7d', key: 'k', model: 'm' }, NOW)).toEqual({
      since: Date.UTC(2026, 0, 1),
      by: 'key',
      bucket: 'day',
      clientKeyId: 'k',
      model: 'm',
    });
    expect(usageStoreQuery({ ...base, since: '2026-01-05T12:00:00Z', bucket: 'hour' }, NOW).since).toBe(
      Date.UTC(2026, 0, 5, 12),
    );
  });

  it('refuses a range of more than 1000 buckets, and a start in the future', () => {
    expect(() => usageStoreQuery({ by: 'key', since: '60d', bucket: 'hour' }, NOW)).toThrow(/bucket=day/);
    expect(() => usageStoreQuery({ by: 'key', since: '2027-01-01T00:00:00Z' }, NOW)).toThrow(/past/);
  });
});

describe('buildUsageReport', () => {
  const prices = new PriceTable(
    configuredPrices({ 'm-1': { input: 2, output: 10 }, 'm-2': { input: 1, output: 1 } }),
  );
  const query = { since: Date.UTC(2026, 0, 6), by: 'key' as const, bucket: 'day' as const };

  it('sums per group and bucket, prices each model, fills empty buckets and orders by cost', () => {
    const report = buildUsageReport({
      rows: [
        row({ start: Date.UTC(2026, 0, 6), model: 'm-1' }),
        row({ start: Date.UTC(2026, 0, 7), model: 'm-2', outputTokens: 1_000_000, errors: 1 }),
        row({ group: null, model: 'm-2', inputTokens: 5_000_000 }),
      ],
      query,
      now: NOW,
      prices,
      label: (_by, id) => (id === null ? 'none' : `name of ${id}`),
    });

    expect(report.buckets).toEqual([
      '2026-01-06T00:00:00.000Z',
      '2026-01-07T00:00:00.000Z',
      '2026-01-08T00:00:00.000Z',
    ]);
    expect(report.totals).toMatchObject({
      requests: 3,
      errors: 1,
      input_tokens: 7_000_000,
      estimated_cost: 9,
    });
    expect(report.groups.map((group) => [group.label, group.totals.estimated_cost])).toEqual([
      ['none', 5],
      ['name of key-a', 4],
    ]);
    const keyA = report.groups.find((group) => group.id === 'key-a');
    expect(keyA?.series.map((bucket) => bucket.estimated_cost)).toEqual([2, 2, 0]);
    expect(report).toMatchObject({ estimated: true, currency: 'USD', unpriced_models: [] });
  });

  it('names the models without a price and counts their cost as 0', () => {
    const report = buildUsageReport({
      rows: [row({ model: 'mystery' }), row({ model: null, inputTokens: 0 })],
      query,
      now: NOW,
      prices,
      label: () => '',
    });

    expect(report.unpriced_models).toEqual(['mystery']);
    expect(report.totals.estimated_cost).toBe(0);
    expect(report.totals.requests).toBe(2);
  });

  it('has one bucket per hour in hour mode, the current one included', () => {
    const report = buildUsageReport({
      rows: [],
      query: { since: NOW - (NOW % HOUR) - 2 * HOUR, by: 'model', bucket: 'hour' },
      now: NOW,
      prices,
      label: () => '',
    });

    expect(report.buckets).toHaveLength(3);
    expect(report.groups).toEqual([]);
  });
});

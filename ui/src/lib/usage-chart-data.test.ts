import { describe, expect, it } from 'vitest';
import type { UsageGroupView, UsageReportView } from '../api/types.js';
import { costBars, OTHERS, tokenSeries } from './usage-chart-data.js';

const BUCKETS = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'];

function totals(input: number, cost = 0) {
  return {
    requests: 1,
    errors: 0,
    input_tokens: input,
    output_tokens: 1,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    estimated_cost: cost,
  };
}

function group(label: string, inputs: [number, number], cost: number): UsageGroupView {
  return {
    id: label,
    label,
    totals: totals(inputs[0] + inputs[1], cost),
    series: inputs.map((input, index) => ({ start: BUCKETS[index] ?? '', ...totals(input) })),
  };
}

function report(groups: UsageGroupView[]): UsageReportView {
  return {
    by: 'key',
    bucket: 'day',
    since: BUCKETS[0] ?? '',
    until: '2026-01-02T12:00:00.000Z',
    estimated: true,
    currency: 'USD',
    buckets: BUCKETS,
    totals: totals(0),
    groups,
    unpriced_models: [],
  };
}

describe('usage chart data', () => {
  it('stacks tokens per bucket by group, folding the smallest groups into Others', () => {
    const series = tokenSeries(
      report([group('a', [10, 20], 3), group('b', [1, 2], 2), group('c', [5, 5], 1), group('d', [1, 1], 0)]),
      2,
    );

    expect(series.names).toEqual(['a', 'b', OTHERS]);
    expect(series.points).toEqual([
      { start: BUCKETS[0], a: 11, b: 2, [OTHERS]: 8 },
      { start: BUCKETS[1], a: 21, b: 3, [OTHERS]: 8 },
    ]);
  });

  it('shows one more group rather than an Others of one, and numbers repeated labels', () => {
    const series = tokenSeries(
      report([group('a', [1, 1], 1), group('a', [2, 2], 0), group('b', [3, 3], 0)]),
      2,
    );

    expect(series.names).toEqual(['a', 'a (2)', 'b']);
  });

  it('lists the estimated cost per group, the rest summed', () => {
    const bars = costBars(
      report([group('a', [1, 1], 3), group('b', [1, 1], 2), group('c', [1, 1], 1), group('d', [1, 1], 0.5)]),
      2,
    );

    expect(bars).toEqual([
      { name: 'a', cost: 3 },
      { name: 'b', cost: 2 },
      { name: OTHERS, cost: 1.5 },
    ]);
  });
});

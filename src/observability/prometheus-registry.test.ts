import { describe, expect, it } from 'vitest';
import {
  escapeLabelValue,
  formatSampleValue,
  type Labels,
  PrometheusRegistry,
} from './prometheus-registry.js';
import { SeriesTable } from './series-table.js';

describe('PrometheusRegistry', () => {
  it('renders a labelled counter with HELP and TYPE lines, one line per label set', () => {
    const registry = new PrometheusRegistry();
    const counter = registry.counter({
      name: 'jobs_total',
      help: 'Jobs done.',
      labelNames: ['kind', 'result'],
    });
    counter.inc({ kind: 'a', result: 'ok' });
    counter.inc({ kind: 'a', result: 'ok' }, 2);
    counter.inc({ result: 'failed', kind: 'b' });
    expect(registry.render()).toBe(
      [
        '# HELP jobs_total Jobs done.',
        '# TYPE jobs_total counter',
        'jobs_total{kind="a",result="ok"} 3',
        'jobs_total{kind="b",result="failed"} 1',
        '',
      ].join('\n'),
    );
  });

  it('renders cumulative histogram buckets with +Inf, sum and count', () => {
    const registry = new PrometheusRegistry();
    const histogram = registry.histogram({ name: 'wait_seconds', help: 'Waits.', buckets: [0.1, 1] });
    histogram.observe(undefined, 0.05);
    histogram.observe(undefined, 0.1);
    histogram.observe(undefined, 0.5);
    histogram.observe(undefined, 7);
    expect(registry.render()).toBe(
      [
        '# HELP wait_seconds Waits.',
        '# TYPE wait_seconds histogram',
        'wait_seconds_bucket{le="0.1"} 2',
        'wait_seconds_bucket{le="1"} 3',
        'wait_seconds_bucket{le="+Inf"} 4',
        'wait_seconds_sum 7.65',
        'wait_seconds_count 4',
        '',
      ].join('\n'),
    );
  });

  it('renders gauges from their collect callback at render time', () => {
    const registry = new PrometheusRegistry();
    let value = 1;
    registry.gauge({
      name: 'open',
      help: 'Open things.',
      labelNames: ['state'],
      collect: () => [{ labels: { state: 'x' }, value }],
    });
    value = 4;
    expect(registry.render()).toContain('open{state="x"} 4\n');
  });

  it('escapes backslashes, quotes and line feeds in label values and HELP text', () => {
    const registry = new PrometheusRegistry();
    const counter = registry.counter({
      name: 'odd_total',
      help: 'Line one\nback\\slash',
      labelNames: ['who'],
    });
    counter.inc({ who: 'a"b\\c\nd' });
    const text = registry.render();
    expect(text).toContain('# HELP odd_total Line one\\nback\\\\slash\n');
    expect(text).toContain('odd_total{who="a\\"b\\\\c\\nd"} 1\n');
  });

  it('renders a missing label as the empty string', () => {
    const registry = new PrometheusRegistry();
    registry.counter({ name: 'hits_total', help: 'Hits.', labelNames: ['account'] }).inc();
    expect(registry.render()).toContain('hits_total{account=""} 1\n');
  });

  it('rejects duplicate or malformed names, negative counter steps and unsorted buckets', () => {
    const registry = new PrometheusRegistry();
    const counter = registry.counter({ name: 'once_total', help: 'x' });
    expect(() => registry.counter({ name: 'once_total', help: 'x' })).toThrow('already registered');
    expect(() => registry.counter({ name: 'bad-name', help: 'x' })).toThrow('Invalid metric name');
    expect(() => counter.inc(undefined, -1)).toThrow(RangeError);
    expect(() => registry.histogram({ name: 'h', help: 'x', buckets: [1, 1] })).toThrow('ascending');
  });
});

describe('escapeLabelValue and formatSampleValue', () => {
  it.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
  ])('escapes %j as %j', (value, expected) => {
    expect(escapeLabelValue(value)).toBe(expected);
  });

  it.each([
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [Number.NaN, 'NaN'],
    [0.25, '0.25'],
    [42, '42'],
  ])('formats %s as %s', (value, expected) => {
    expect(formatSampleValue(value)).toBe(expected);
  });
});

describe('SeriesTable', () => {
  it('gives different label sets different series, even when values contain separators', () => {
    const names = ['a', 'b'];
    const sets: Labels[] = [
      { a: '1:x', b: '' },
      { a: '1', b: ':x' },
      { a: '', b: '1:x' },
      { a: '3:1:x', b: '' },
      { a: '', b: '' },
      { a: 'x' },
    ];
    const table = new SeriesTable<{ labels: Labels }>(names);
    for (const labels of sets) table.obtain(labels, () => ({ labels }));
    expect(table.all).toHaveLength(sets.length);
    for (const labels of sets) expect(table.find(labels)?.labels).toBe(labels);
  });

  it('treats a missing label like the empty string, as rendering does', () => {
    const table = new SeriesTable<{ id: number }>(['a', 'b']);
    const series = table.obtain({ a: 'x' }, () => ({ id: 1 }));
    expect(table.find({ a: 'x', b: '' })).toBe(series);
    const unlabelled = new SeriesTable<{ id: number }>(['a']);
    expect(unlabelled.obtain(undefined, () => ({ id: 2 }))).toBe(
      unlabelled.obtain({ a: '' }, () => ({ id: 3 })),
    );
  });

  it('keeps one series for a metric without labels', () => {
    const table = new SeriesTable<{ id: number }>([]);
    const series = table.obtain(undefined, () => ({ id: 1 }));
    expect(table.obtain({ other: 'x' }, () => ({ id: 2 }))).toBe(series);
    expect(table.all).toEqual([series]);
  });
});

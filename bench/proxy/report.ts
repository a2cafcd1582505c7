import { median } from './latency-summary.js';
import type { BenchParameters, RowResult } from './measure.js';
import { CEILING_ROW } from './scenarios.js';

/** Where and how a run happened, for proxy.json and the report header. */
export interface RunInfo {
  date: string;
  /** The commit measured (`+changes` when src/ had uncommitted changes). */
  commit: string | null;
  node: string;
  cpu: string;
  cores: number;
  /** 1-minute load average before the run (the machine is shared). */
  loadAverage: number;
  /** 1-minute load average at the start of each round. */
  loadAverages: number[];
  durationSeconds: number;
}

/** One goal of the issue, checked on the Switchyard pass-through row. */
export interface GoalCheck {
  goal: string;
  measured: string;
  /** Null when a number it needs is missing. */
  met: boolean | null;
}

const SWITCHYARD_ROW = 'switchyard';
const PORTKEY_ROW = 'portkey';

function byId(rows: readonly RowResult[], id: string | null): RowResult | undefined {
  return rows.find((row) => row.id === id);
}

/**
 * Latency this row adds over its baseline (the mock) at one percentile, in µs: the median over
 * rounds of the difference within each round, so a round spoilt by other load on the machine does
 * not decide it. Null when the two share no round.
 */
export function added(rows: readonly RowResult[], row: RowResult, key: 'p50' | 'p99'): number | null {
  const baseline = byId(rows, row.baseline)?.latency?.rounds ?? [];
  const differences = (row.latency?.rounds ?? []).flatMap((round) => {
    const same = baseline.find((candidate) => candidate.round === round.round);
    return same ? [round[key] - same[key]] : [];
  });
  return differences.length === 0 ? null : median(differences);
}

function addedFirstByte(rows: readonly RowResult[], row: RowResult): number | null {
  const baseline = byId(rows, row.baseline)?.streamFirstByte;
  return row.streamFirstByte && baseline ? row.streamFirstByte.p50 - baseline.p50 : null;
}

/**
 * Saturation of `row` relative to `to`: the median over rounds of the ratio within each round (every
 * measured row runs once per round, so round i of both is index i), for the same reason as `added`.
 */
export function ratio(row: RowResult, to: RowResult | undefined): number | null {
  const own = row.saturation?.rounds ?? [];
  const reference = to?.saturation?.rounds ?? [];
  const ratios = own.flatMap((value, round) => {
    const other = reference[round];
    return other ? [value / other] : [];
  });
  return ratios.length === 0 ? null : median(ratios);
}

/** How many times the CPU time per request of `to` that of `row` is (CPU-bound throughput ratio). */
function cpuRatio(row: RowResult, to: RowResult | undefined): number | null {
  const own = row.saturation?.cpuUsPerRequest;
  const reference = to?.saturation?.cpuUsPerRequest;
  return own && reference ? reference / own : null;
}

/** The goals for Switchyard pass-through, against the rows measured in the same run. */
export function checkGoals(rows: readonly RowResult[]): GoalCheck[] {
  const switchyard = byId(rows, SWITCHYARD_ROW);
  if (!switchyard) return [];
  const ceiling = byId(rows, CEILING_ROW);
  const portkey = byId(rows, PORTKEY_ROW);
  const toCeiling = ratio(switchyard, ceiling);
  const toPortkey = ratio(switchyard, portkey);
  const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(0)} %`);
  const times = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} ×`);
  const p50 = added(rows, switchyard, 'p50');
  const p99 = added(rows, switchyard, 'p99');
  const rss = switchyard.peakRssMb;
  const check = (value: number | null, passes: (value: number) => boolean) =>
    value === null ? null : passes(value);
  return [
    {
      goal: 'saturation ≥ 70 % of the bare proxy',
      measured: `${percent(toCeiling)} (by CPU time per request: ${percent(cpuRatio(switchyard, ceiling))})`,
      met: check(toCeiling, (value) => value >= 0.7),
    },
    {
      goal: 'saturation ≥ 10 × Portkey',
      measured: `${times(toPortkey)} (by CPU time per request: ${times(cpuRatio(switchyard, portkey))})`,
      met: check(toPortkey, (value) => value >= 10),
    },
    {
      goal: 'added p50 ≤ 500 µs at the fixed rate',
      measured: p50 === null ? 'n/a' : `${Math.round(p50)} µs`,
      met: check(p50, (value) => value <= 500),
    },
    {
      goal: 'added p99 ≤ 3 000 µs at the fixed rate',
      measured: p99 === null ? 'n/a' : `${Math.round(p99)} µs`,
      met: check(p99, (value) => value <= 3000),
    },
    {
      goal: 'peak RSS ≤ 150 MB',
      measured: rss === null ? 'n/a' : `${rss.toFixed(0)} MB`,
      met: check(rss, (value) => value <= 150),
    },
  ];
}

const integer = (value: number | null | undefined) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '–'
    : Math.round(value).toLocaleString('en-US');

function tableRow(rows: readonly RowResult[], row: RowResult): string {
  const toCeiling = ratio(row, byId(rows, CEILING_ROW));
  const cells =
    row.outcome !== 'measured'
      ? [row.outcome === 'skipped' ? 'skipped' : 'not available', ...Array(11).fill('')]
      : [
          integer(row.saturation?.requestsPerSecond),
          toCeiling === null ? '–' : toCeiling.toFixed(2),
          integer(row.saturation?.cpuUsPerRequest),
          integer(row.latency?.p50),
          integer(row.latency?.p99),
          integer(row.latency?.p999),
          integer(added(rows, row, 'p50')),
          integer(added(rows, row, 'p99')),
          row.peakRssMb === null ? '–' : row.peakRssMb.toFixed(0),
          integer(row.streamFirstByte?.p50),
          integer(addedFirstByte(rows, row)),
        ];
  return `| ${row.label} | ${cells.join(' | ')} |`;
}

function loadRange(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  return `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
}

/** The results as markdown: header, table, notes per row, goals. */
export function renderReport(options: {
  rows: readonly RowResult[];
  parameters: BenchParameters;
  info: RunInfo;
}): string {
  const { rows, parameters, info } = options;
  const lines = [
    '# Proxy benchmark',
    '',
    `${info.date}, commit ${info.commit ?? 'unknown'}, Node ${info.node}, ${info.cpu} (${info.cores} cores), ${info.durationSeconds.toFixed(0)} s. Load average (other work on this shared machine): ${info.loadAverage.toFixed(1)} before the run, ${loadRange(info.loadAverages)} at the start of the rounds.`,
    '',
    `Saturation: ${parameters.connections} connections, closed loop, median of ${parameters.rounds} rounds of ${parameters.saturationMs / 1000} s; × bare proxy = median over rounds of the ratio within the round; CPU µs/req = the target process's own CPU time (user + system) per request under that load, steadier than req/s on a busy machine.`,
    `Latency: open loop at ${parameters.rate.toLocaleString('en-US')} req/s, send to last byte, ${parameters.rounds} rounds of ${parameters.latencyMs / 1000} s pooled; added = median over rounds of (row − mock at the same percentile in the same round).`,
    `Stream TTFB: ${parameters.streamRequests} streamed requests per round one after another, median time to the first body byte.`,
    '',
    '| target | req/s at saturation | × bare proxy | CPU µs/req | p50 µs | p99 µs | p99.9 µs | added p50 µs | added p99 µs | peak RSS MB | stream TTFB p50 µs | TTFB added µs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => tableRow(rows, row)),
    '',
  ];
  const notes = rows.flatMap((row) => [
    ...row.notes.map((note) => `- ${row.label}: ${note}`),
    ...(row.firstFailure
      ? [
          `- ${row.label}: ${row.saturation?.failed ?? 0} requests failed under saturation and ${row.latency?.failed ?? 0} at the fixed rate; the first: ${row.firstFailure}`,
        ]
      : []),
  ]);
  if (notes.length > 0) lines.push(...notes, '');
  const goals = checkGoals(rows);
  if (goals.length > 0) {
    lines.push(
      'Goals for Switchyard pass-through (c):',
      '',
      '| goal | measured | met |',
      '| --- | ---: | :---: |',
    );
    for (const goal of goals) {
      lines.push(
        `| ${goal.goal} | ${goal.measured} | ${goal.met === null ? '–' : goal.met ? 'yes' : 'no'} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

import { renderClusterComparisons } from './cluster-report.js';
import { added, byId, integer, ratio } from './comparisons.js';
import type { LongRunResult } from './long-run.js';
import type { BenchParameters, RowResult } from './measure.js';
import { CEILING_ROW, isBeforeRow } from './scenarios.js';

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

function addedFirstByte(rows: readonly RowResult[], row: RowResult): number | null {
  const baseline = byId(rows, row.baseline)?.streamFirstByte;
  return row.streamFirstByte && baseline ? row.streamFirstByte.p50 - baseline.p50 : null;
}

/** How many times the CPU time per request of `to` that of `row` is (CPU-bound throughput ratio). */
function cpuRatio(row: RowResult, to: RowResult | undefined): number | null {
  const own = row.saturation?.cpuUsPerRequest;
  const reference = to?.saturation?.cpuUsPerRequest;
  return own && reference ? reference / own : null;
}

/** The goals for Switchyard pass-through, against the rows measured in the same run. */
export function checkGoals(rows: readonly RowResult[], long: LongRunResult | null = null): GoalCheck[] {
  const switchyard = byId(rows, SWITCHYARD_ROW);
  if (!switchyard) return [];
  const ceiling = byId(rows, CEILING_ROW);
  const portkey = byId(rows, PORTKEY_ROW);
  const toCeiling = ratio(switchyard, ceiling);
  const toPortkey = ratio(switchyard, portkey);
  const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(0)} %`);
  const times = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)} ×`);
  const cpu = switchyard.saturation?.cpuUsPerRequest ?? null;
  const ceilingCpu = ceiling?.saturation?.cpuUsPerRequest ?? null;
  const cpuToCeiling = cpu !== null && ceilingCpu ? cpu / ceilingCpu : null;
  const p99 = added(rows, switchyard, 'p99');
  const rss = switchyard.peakRssMb;
  const translationCpu = rows
    .filter((row) => row.translation && !isBeforeRow(row.id))
    .map((row) => (row.saturation?.cpuUsPerRequest && cpu ? row.saturation.cpuUsPerRequest / cpu : null));
  const worstTranslation =
    translationCpu.length > 0 && translationCpu.every((value) => value !== null)
      ? Math.max(...(translationCpu as number[]))
      : null;
  const check = (value: number | null, passes: (value: number) => boolean) =>
    value === null ? null : passes(value);
  return [
    {
      goal: 'CPU per request ≤ 1.5 × the bare proxy (request log on)',
      measured: `${times(cpuToCeiling)} (${integer(cpu)} against ${integer(ceilingCpu)} µs)`,
      met: check(cpuToCeiling, (value) => value <= 1.5),
    },
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
      goal: 'added p99 ≤ 1 000 µs at the fixed rate, request log on',
      measured: p99 === null ? 'n/a' : `${Math.round(p99)} µs`,
      met: check(p99, (value) => value <= 1000),
    },
    {
      goal: 'peak RSS ≤ 150 MB',
      measured: rss === null ? 'n/a' : `${rss.toFixed(0)} MB`,
      met: check(rss, (value) => value <= 150),
    },
    {
      goal: 'flat RSS over the long row (last sample within 10 % of the 20 s one)',
      measured: long ? rssSamples(long) : 'not run (`--long`)',
      met: long ? long.flat : null,
    },
    {
      goal: 'translation rows within 1.2 × pass-through CPU per request',
      measured: worstTranslation === null ? 'n/a' : `worst ${times(worstTranslation)}`,
      met: check(worstTranslation, (value) => value <= 1.2),
    },
  ];
}

function rssSamples(long: LongRunResult): string {
  return long.samples
    .map(
      (sample) =>
        `${Math.round(sample.atMs / 1000)} s: ${sample.rssMb === null ? '–' : sample.rssMb.toFixed(0)}`,
    )
    .join(', ');
}

/** The long row: latency over the whole run and RSS every few seconds. */
function renderLongRun(long: LongRunResult): string[] {
  const { parameters } = long;
  return [
    `Long row: ${long.label}, open loop at ${parameters.rate.toLocaleString('en-US')} req/s for ${parameters.durationMs / 1000} s (request log on), RSS every ${parameters.sampleEveryMs / 1000} s.`,
    '',
    '| achieved req/s | failed | p50 µs | p99 µs | p99.9 µs | peak RSS MB | RSS MB over time | flat |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |',
    `| ${integer(long.achievedRate)}${long.stoppedEarly ? ' (stopped early: fell 10 s behind)' : ''} | ${long.failed} | ${integer(long.latency.p50)} | ${integer(long.latency.p99)} | ${integer(long.latency.p999)} | ${long.peakRssMb === null ? '–' : long.peakRssMb.toFixed(0)} | ${rssSamples(long)} | ${long.flat === null ? '–' : long.flat ? 'yes' : 'no'} |`,
    '',
  ];
}

function tableRow(rows: readonly RowResult[], row: RowResult): string {
  const toCeiling = ratio(row, byId(rows, CEILING_ROW));
  const cells =
    row.outcome !== 'measured'
      ? [row.outcome === 'skipped' ? 'skipped' : 'not available', ...Array(13).fill('')]
      : [
          integer(row.saturation?.requestsPerSecond),
          toCeiling === null ? '–' : toCeiling.toFixed(2),
          integer(row.saturation?.cpuUsPerRequest),
          integer(row.latency?.p50),
          integer(row.latency?.p99),
          integer(row.latency?.p999),
          integer(added(rows, row, 'p50')),
          integer(added(rows, row, 'p99')),
          integer(added(rows, row, 'p999')),
          row.peakRssMb === null ? '–' : row.peakRssMb.toFixed(0),
          `${megabytes(row.idleRssMb.start)} / ${megabytes(row.idleRssMb.after)}`,
          integer(row.streamFirstByte?.p50),
          integer(addedFirstByte(rows, row)),
        ];
  return `| ${row.label} | ${cells.join(' | ')} |`;
}

function megabytes(value: number | null): string {
  return value === null ? '–' : value.toFixed(0);
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
  /** The long row, when it was run (`--long`). */
  long?: LongRunResult | null;
}): string {
  const { rows, parameters, info } = options;
  const long = options.long ?? null;
  const lines = [
    '# Proxy benchmark',
    '',
    `${info.date}, commit ${info.commit ?? 'unknown'}, Node ${info.node}, ${info.cpu} (${info.cores} cores), ${info.durationSeconds.toFixed(0)} s. Load average (other work on this shared machine): ${info.loadAverage.toFixed(1)} before the run, ${loadRange(info.loadAverages)} at the start of the rounds.`,
    '',
    `Warm-up: each row at saturation for at least ${parameters.minWarmupMs / 1000} s (the one-off compile of the hot path is not per-request cost), then until throughput stops rising, at most ${parameters.warmupMs / 1000} s; each row's slices are in the JSON.`,
    `Saturation: ${parameters.connections} connections, closed loop, median of ${parameters.rounds} rounds of ${parameters.saturationMs / 1000} s; × bare proxy = median over rounds of the ratio within the round; CPU µs/req = the target process's own CPU time (user + system) per request under that load, steadier than req/s on a busy machine.`,
    `Latency: open loop at ${parameters.rate.toLocaleString('en-US')} req/s, send to last byte, ${parameters.rounds} rounds of ${parameters.latencyMs / 1000} s pooled; added = median over rounds of (row − mock at the same percentile in the same round).`,
    `Stream TTFB: ${parameters.streamRequests} streamed requests per round one after another, median time to the first body byte.`,
    'Idle RSS: once started and answering, before any load / after the rounds and 3 s without load.',
    '',
    '| target | req/s at saturation | × bare proxy | CPU µs/req | p50 µs | p99 µs | p99.9 µs | added p50 µs | added p99 µs | added p99.9 µs | peak RSS MB | idle RSS MB | stream TTFB p50 µs | TTFB added µs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
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
  if (long) lines.push(...renderLongRun(long));
  lines.push(...renderClusterComparisons(rows));
  const goals = checkGoals(rows, long);
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

import { byId, integer, ratio, roundDifference } from './comparisons.js';
import type { RowResult } from './measure.js';

/** The rows the cluster comparisons read (ids of `SCENARIOS`). */
export const MEMORY_ROW = 'switchyard';
export const SHARED_ROW = 'switchyard-redis-postgres';
export const CLUSTER_ROW = 'switchyard-three-instances';

/** One line of the cluster table: a goal of issue 11, or a figure it asks for without a goal. */
export interface ClusterComparison {
  comparison: string;
  measured: string;
  /** The goal, or null for a figure without one. */
  goal: string | null;
  /** Null without a goal, or when a number it needs is missing. */
  met: boolean | null;
}

/**
 * Issue 11's figures, from rows of the same run: what Redis state + PostgreSQL store add to one
 * instance over memory + SQLite (p50 and p99 as same-round differences, CPU per request and its
 * ratio; goals ≤ 500 µs p50 and ≤ 15 % CPU), and the aggregate saturation of three instances as a
 * ratio to one (median of same-round ratios) with their summed CPU per request. Empty when neither
 * shared-backend row was measured.
 */
export function checkCluster(rows: readonly RowResult[]): ClusterComparison[] {
  const memory = byId(rows, MEMORY_ROW);
  const shared = byId(rows, SHARED_ROW);
  const cluster = byId(rows, CLUSTER_ROW);
  const result: ClusterComparison[] = [];
  if (shared && memory) result.push(...sharedAgainstMemory(shared, memory));
  if (cluster) result.push(...threeAgainstOne({ cluster, shared, memory }));
  return result;
}

function sharedAgainstMemory(shared: RowResult, memory: RowResult): ClusterComparison[] {
  const p50 = roundDifference(shared, memory, 'p50');
  const p99 = roundDifference(shared, memory, 'p99');
  const cpu = shared.saturation?.cpuUsPerRequest ?? null;
  const memoryCpu = memory.saturation?.cpuUsPerRequest ?? null;
  const extra = cpu !== null && memoryCpu ? cpu / memoryCpu - 1 : null;
  const backend = shared.saturation?.backendCpuUsPerRequest ?? null;
  const total = cpu !== null && backend !== null ? cpu + backend : null;
  const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(0)} %`;
  return [
    {
      comparison: 'p50 added by Redis + PostgreSQL, one instance (g − c)',
      measured: p50 === null ? 'n/a (no latency round in common)' : `${integer(p50)} µs`,
      goal: '≤ 500 µs',
      met: p50 === null ? null : p50 <= 500,
    },
    {
      comparison: 'p99 added by Redis + PostgreSQL, one instance (g − c)',
      measured: p99 === null ? 'n/a (no latency round in common)' : `${integer(p99)} µs`,
      goal: null,
      met: null,
    },
    {
      comparison: 'CPU per request, Redis + PostgreSQL against memory + SQLite (g / c)',
      measured: extra === null ? 'n/a' : `${integer(cpu)} against ${integer(memoryCpu)} µs: ${signed(extra)}`,
      goal: '≤ +15 %',
      met: extra === null ? null : extra <= 0.15,
    },
    {
      comparison: 'CPU per request of the Redis and PostgreSQL servers under (g)’s load, not in the row',
      measured:
        total === null || !memoryCpu
          ? 'n/a'
          : `${integer(backend)} µs; with the instance’s, ${integer(total)} against ${integer(memoryCpu)} µs: ${signed(total / memoryCpu - 1)}`,
      goal: null,
      met: null,
    },
  ];
}

function threeAgainstOne(rows: {
  cluster: RowResult;
  shared: RowResult | undefined;
  memory: RowResult | undefined;
}): ClusterComparison[] {
  const { cluster, shared, memory } = rows;
  const times = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)} ×`);
  return [
    {
      comparison: 'three instances on Redis + PostgreSQL, aggregate req/s at saturation (h)',
      measured: `${integer(cluster.saturation?.requestsPerSecond)} req/s: ${times(ratio(cluster, shared))} one instance on Redis + PostgreSQL (g), ${times(ratio(cluster, memory))} one on memory + SQLite (c)`,
      goal: null,
      met: null,
    },
    {
      comparison: 'CPU per request, three instances summed (h) against one (g)',
      measured: `${integer(cluster.saturation?.cpuUsPerRequest)} against ${integer(shared?.saturation?.cpuUsPerRequest)} µs (Redis + PostgreSQL: ${integer(cluster.saturation?.backendCpuUsPerRequest)} against ${integer(shared?.saturation?.backendCpuUsPerRequest)} µs)`,
      goal: null,
      met: null,
    },
  ];
}

/** The cluster table as markdown lines (none when there is nothing to compare). */
export function renderClusterComparisons(rows: readonly RowResult[]): string[] {
  const comparisons = checkCluster(rows);
  if (comparisons.length === 0) return [];
  return [
    'Cluster mode (issue 11): Redis state + PostgreSQL store against memory + SQLite, and three instances against one, same run:',
    '',
    '| comparison | measured | goal | met |',
    '| --- | ---: | ---: | :---: |',
    ...comparisons.map(
      (line) =>
        `| ${line.comparison} | ${line.measured} | ${line.goal ?? '–'} | ${line.met === null ? '–' : line.met ? 'yes' : 'no'} |`,
    ),
    '',
  ];
}

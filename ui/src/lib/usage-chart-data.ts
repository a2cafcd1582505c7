/** The Usage page's chart data from a `/api/usage` report: the biggest groups by name, the rest as "Others". */
import type { UsageReportView } from '../api/types.js';

export const OTHERS = 'Others';

/** Tokens (input + output) per bucket, one series per group. */
export interface TokenSeries {
  /** Series names in stacking order: the biggest groups, then `Others` when there are more. */
  names: string[];
  /** One entry per bucket: `start` (ISO) and tokens per series name. */
  points: Array<Record<string, number | string>>;
}

/** Group labels are not unique (an id that lost its name shows as the id): number repeats. */
function uniqueNames(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label} (${count})`;
  });
}

export function tokenSeries(report: UsageReportView, top = 5): TokenSeries {
  const names = uniqueNames(report.groups.map((group) => group.label));
  const shown = report.groups.length > top + 1 ? top : report.groups.length;
  const seriesNames = names.slice(0, shown);
  if (report.groups.length > shown) seriesNames.push(OTHERS);
  const points = report.buckets.map((start, index) => {
    const point: Record<string, number | string> = { start };
    for (const name of seriesNames) point[name] = 0;
    report.groups.forEach((group, position) => {
      const bucket = group.series[index];
      if (!bucket) return;
      const name = position < shown ? (names[position] ?? group.label) : OTHERS;
      point[name] = Number(point[name] ?? 0) + bucket.input_tokens + bucket.output_tokens;
    });
    return point;
  });
  return { names: seriesNames, points };
}

/** Estimated cost per group, biggest first, the rest summed as `Others`. */
export function costBars(report: UsageReportView, top = 8): Array<{ name: string; cost: number }> {
  const names = uniqueNames(report.groups.map((group) => group.label));
  const bars = report.groups.map((group, index) => ({
    name: names[index] ?? group.label,
    cost: group.totals.estimated_cost,
  }));
  if (bars.length <= top + 1) return bars;
  const others = bars.slice(top).reduce((sum, bar) => sum + bar.cost, 0);
  return [...bars.slice(0, top), { name: OTHERS, cost: others }];
}

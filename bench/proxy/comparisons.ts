import { median } from './latency-summary.js';
import type { RowResult } from './measure.js';

/** The row with id `id`, if measured in this run. */
export function byId(rows: readonly RowResult[], id: string | null): RowResult | undefined {
  return rows.find((row) => row.id === id);
}

/**
 * How much higher `row`'s latency is than `other`'s at one percentile, in µs: the median over
 * rounds of the difference within each round, so a round spoilt by other load on the machine does
 * not decide it. Null when the two share no round.
 */
export function roundDifference(
  row: RowResult,
  other: RowResult | undefined,
  key: 'p50' | 'p99' | 'p999',
): number | null {
  const reference = other?.latency?.rounds ?? [];
  const differences = (row.latency?.rounds ?? []).flatMap((round) => {
    const same = reference.find((candidate) => candidate.round === round.round);
    return same ? [round[key] - same[key]] : [];
  });
  return differences.length === 0 ? null : median(differences);
}

/** Latency this row adds over its baseline (the mock) at one percentile: see `roundDifference`. */
export function added(
  rows: readonly RowResult[],
  row: RowResult,
  key: 'p50' | 'p99' | 'p999',
): number | null {
  return roundDifference(row, byId(rows, row.baseline), key);
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

/** Whole µs with thousands separators, or `–` when missing. */
export const integer = (value: number | null | undefined) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '–'
    : Math.round(value).toLocaleString('en-US');

import type { Clock } from '../../src/core/clock.js';
import { type LatencySummary, summarizeLatencies } from './latency-summary.js';
import { openLoop } from './load-generator.js';
import type { MeasuredTarget } from './measure.js';

/** How long and how hard the long row runs. */
export interface LongRunParameters {
  /** Fixed request rate, req/s. */
  rate: number;
  durationMs: number;
  /** RSS is read this often (and once at the start). */
  sampleEveryMs: number;
  /** The sample the last one is compared with, as the end of warm-up. */
  flatFromMs: number;
}

export const LONG_RUN: LongRunParameters = {
  rate: 1000,
  durationMs: 60_000,
  sampleEveryMs: 5000,
  flatFromMs: 20_000,
};

/** One long open-loop run against one row: latency over the whole run and RSS over time. */
export interface LongRunResult {
  id: string;
  label: string;
  parameters: LongRunParameters;
  achievedRate: number;
  failed: number;
  /** The load stopped before the end: more than 10 s of requests were in flight. */
  stoppedEarly: boolean;
  latency: LatencySummary;
  /** RSS in MB, read every `sampleEveryMs` from the start of the load. */
  samples: { atMs: number; rssMb: number | null }[];
  /** The last sample within 10 % of the one at `flatFromMs`; null when either is missing. */
  flat: boolean | null;
  peakRssMb: number | null;
}

/** The last RSS sample within 10 % of the sample at `flatFromMs`. */
export function isFlat(samples: LongRunResult['samples'], flatFromMs: number): boolean | null {
  const from = samples.find((sample) => sample.atMs >= flatFromMs)?.rssMb;
  const last = samples.at(-1)?.rssMb;
  if (from === undefined || from === null || last === undefined || last === null) return null;
  return Math.abs(last - from) <= 0.1 * from;
}

/** Runs the long row: `parameters.rate` req/s for `durationMs`, sampling the target's RSS. */
export async function longRun(
  row: MeasuredTarget,
  options: { parameters: LongRunParameters; clock: Clock },
): Promise<LongRunResult> {
  const { parameters, clock } = options;
  const started = clock.now();
  const samples: LongRunResult['samples'] = [{ atMs: 0, rssMb: row.target.process.rssMb() }];
  const stop = clock.every(parameters.sampleEveryMs, () => {
    samples.push({ atMs: clock.now() - started, rssMb: row.target.process.rssMb() });
  });
  try {
    // A target that falls behind for a while must not end the run: allow a deep backlog.
    const load = await openLoop(row.client, {
      rate: parameters.rate,
      durationMs: parameters.durationMs,
      clock,
      maxInFlight: parameters.rate * 10,
    });
    return {
      id: row.result.id,
      label: row.result.label,
      parameters,
      achievedRate: load.achievedRate,
      failed: load.failed,
      stoppedEarly: load.overloaded,
      latency: summarizeLatencies(load.latenciesUs),
      samples,
      flat: isFlat(samples, parameters.flatFromMs),
      peakRssMb: row.target.process.peakRssMb(),
    };
  } finally {
    stop();
  }
}

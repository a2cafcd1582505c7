import type { Clock } from '../../src/core/clock.js';
import { type LatencySummary, median, summarizeLatencies } from './latency-summary.js';
import { closedLoop, LoadClient, openLoop, streamFirstBytes } from './load-generator.js';
import type { Scenario } from './scenarios.js';
import { type RunningTarget, startTarget, type TargetContext } from './targets.js';
import { requestBodies, requestPath } from './wire-samples.js';

/** How long and how hard each measurement runs. */
export interface BenchParameters {
  /** Measurement rounds; each round visits every row in turn (rotated), results are pooled or medians. */
  rounds: number;
  /**
   * Shortest closed-loop warm-up per row before the first round. Under saturation V8 goes on
   * compiling Switchyard's hot path (on its helper threads) for 10–15 s, long after throughput
   * looks flat: rounds that start sooner count part of that one-off compile as per-request CPU.
   */
  minWarmupMs: number;
  /**
   * Longest warm-up: past `minWarmupMs`, load runs on in 1 s slices until throughput stops rising
   * by more than 10 %.
   */
  warmupMs: number;
  /** Concurrent connections of the saturation (closed-loop) load. */
  connections: number;
  /** Saturation load per row and round. */
  saturationMs: number;
  /** Fixed request rate of the latency (open-loop) load, req/s. */
  rate: number;
  /** Fixed-rate load per row and round. */
  latencyMs: number;
  /** Streamed requests, one after another, per row and round. */
  streamRequests: number;
}

export interface RowResult {
  id: string;
  label: string;
  baseline: string | null;
  /** The row translates between protocols (its scenario's `translation`): the translation goal's rows. */
  translation: boolean;
  /** `skipped`: needs translation the gateway lacks; `unavailable`: could not start or answer. */
  outcome: 'measured' | 'skipped' | 'unavailable';
  notes: string[];
  /** req/s of each warm-up slice. */
  warmup: number[];
  /**
   * Median over rounds of completed req/s with `connections` connections (per-round values kept),
   * and the target process's CPU time per completed request over all rounds, in µs: less sensitive
   * to a busy machine than req/s.
   */
  saturation: {
    requestsPerSecond: number;
    rounds: number[];
    failed: number;
    cpuUsPerRequest: number | null;
    /**
     * CPU time per completed request of the servers the target depends on (Redis and PostgreSQL
     * for the shared-backend rows), counted apart from the target's own; null for other rows.
     */
    backendCpuUsPerRequest: number | null;
  } | null;
  /**
   * Send-to-last-byte latency at `rate` req/s in µs: all rounds pooled, and each round's own
   * percentiles (tagged with the round number, so rows can be compared round by round).
   */
  latency: (LatencySummary & { achievedRate: number; failed: number; rounds: RoundLatency[] }) | null;
  /** Stream time to first body byte, all rounds pooled, in µs. */
  streamFirstByte: LatencySummary | null;
  /** Peak RSS of the target's process after all rounds. */
  peakRssMb: number | null;
  /** RSS once started and answering, before any load; and again after the rounds and 3 s without load. */
  idleRssMb: { start: number | null; after: number | null };
  firstFailure: string | null;
}

/** The latency percentiles of one round. */
export type RoundLatency = LatencySummary & { round: number };

/** How long the targets stay without load before their idle RSS is read after the rounds. */
const IDLE_WAIT_MS = 3000;

/** A row's result with its still running target and load client. */
export interface MeasuredTarget {
  result: RowResult;
  target: RunningTarget;
  client: LoadClient;
}

/** What a run measured: one result per scenario, and the machine's load while it ran. */
export interface BenchRun {
  rows: RowResult[];
  /** 1-minute load average at the start of each round. */
  loadAverages: number[];
}

interface ActiveRow {
  scenario: Scenario;
  target: RunningTarget;
  client: LoadClient;
  result: RowResult;
  streams: boolean;
  saturation: number[];
  saturationFailed: number;
  saturationCompleted: number;
  /** Null once the process's CPU time could not be read. */
  saturationCpuSeconds: number | null;
  /** The same for the target's backend servers; null when it has none. */
  backendCpuSeconds: number | null;
  latencies: number[];
  latencyRounds: RoundLatency[];
  latencyFailed: number;
  achievedRates: number[];
  firstBytes: number[];
}

/** Every answer of the mock contains this text, whatever the protocol or translation in between. */
const ANSWER_MARK = 'Hello!';

/**
 * True when the gateway refused a request because it cannot translate between the client's
 * protocol and the accounts' yet: HTTP 400 with the `unsupported_translation` code (OpenAI error
 * shape) or its message (the Anthropic error shape carries no code).
 */
export function isTranslationUnavailable(status: number, text: string): boolean {
  return status === 400 && /unsupported_translation|No account of a matching protocol/.test(text);
}

/** Runs every scenario against its target and returns one result per scenario, in table order. */
export async function runBenchmark(options: {
  scenarios: readonly Scenario[];
  parameters: BenchParameters;
  context: TargetContext;
  clock: Clock;
  log: (line: string) => void;
  /** The machine's 1-minute load average (os.loadavg()[0]). */
  loadAverage: () => number;
  /** Runs after the rounds while the targets still run (the long row). */
  afterRounds?: (rows: readonly MeasuredTarget[]) => Promise<void>;
}): Promise<BenchRun> {
  const { parameters, log } = options;
  const results: RowResult[] = [];
  const loadAverages: number[] = [];
  const active: ActiveRow[] = [];
  try {
    for (const scenario of options.scenarios) {
      const prepared = await prepareRow(scenario, options);
      results.push(prepared.result);
      if (prepared.row) active.push(prepared.row);
    }
    for (const row of active) {
      const rates = await warmUp(row.client, parameters, closedLoop);
      row.result.warmup = rates;
      log(`  warm-up ${row.scenario.id}: ${rates.map((rate) => Math.round(rate)).join(', ')} req/s`);
    }
    for (let round = 0; round < parameters.rounds; round++) {
      loadAverages.push(options.loadAverage());
      log(`round ${round + 1}/${parameters.rounds} (load average ${loadAverages.at(-1)?.toFixed(2)})`);
      await measureRound({ rows: rotate(active, round), round, parameters, clock: options.clock });
    }
    for (const row of active) finish(row, parameters.rate);
    for (const row of active) {
      const doubt = await row.target.check?.();
      if (doubt) row.result.notes.push(doubt);
    }
    await options.clock.sleep(IDLE_WAIT_MS);
    for (const row of active) row.result.idleRssMb.after = row.target.process.rssMb();
    if (options.afterRounds)
      await options.afterRounds(active.map(({ result, target, client }) => ({ result, target, client })));
  } finally {
    for (const row of active) {
      await row.client.close();
      await row.target.stop();
    }
  }
  return { rows: results, loadAverages };
}

function emptyResult(scenario: Scenario): RowResult {
  return {
    id: scenario.id,
    label: scenario.label,
    baseline: scenario.baseline,
    translation: scenario.translation ?? false,
    outcome: 'measured',
    notes: scenario.note ? [scenario.note] : [],
    warmup: [],
    saturation: null,
    latency: null,
    streamFirstByte: null,
    peakRssMb: null,
    idleRssMb: { start: null, after: null },
    firstFailure: null,
  };
}

/** Starts the row's target and checks it answers like the mock before any load is sent. */
async function prepareRow(
  scenario: Scenario,
  options: { parameters: BenchParameters; context: TargetContext; log: (line: string) => void },
): Promise<{ result: RowResult; row: ActiveRow | null }> {
  const result = emptyResult(scenario);
  const unavailable = (outcome: RowResult['outcome'], note: string) => {
    options.log(`  ${scenario.label}: ${note}`);
    result.outcome = outcome;
    result.notes.push(note);
    return { result, row: null };
  };
  let target: RunningTarget;
  try {
    target = await startTarget(scenario.target, options.context);
  } catch (error) {
    return unavailable('unavailable', `could not start: ${(error as Error).message.split('\n')[0]}`);
  }
  const client = new LoadClient(
    {
      origins: target.origins,
      path: requestPath(scenario.client),
      headers: target.headers(scenario.client),
      bodies: requestBodies(scenario.client, false),
      streamBodies: requestBodies(scenario.client, true),
    },
    options.parameters.connections,
  );
  const problem = await probe(scenario, client);
  if (problem.kind !== 'ok') {
    await client.close();
    await target.stop();
    return unavailable(problem.kind, problem.note);
  }
  if (problem.streamNote) result.notes.push(problem.streamNote);
  result.idleRssMb.start = target.process.rssMb();
  const pids = target.origins.length > 1 ? target.process.name : `pid ${target.process.pid}`;
  options.log(`  ${scenario.label}: ready at ${target.origins.join(', ')}, ${pids}`);
  const row: ActiveRow = {
    scenario,
    target,
    client,
    result,
    streams: scenario.streams && problem.streamNote === null,
    saturation: [],
    saturationFailed: 0,
    saturationCompleted: 0,
    saturationCpuSeconds: 0,
    backendCpuSeconds: target.backendCpuSeconds ? 0 : null,
    latencies: [],
    latencyRounds: [],
    latencyFailed: 0,
    achievedRates: [],
    firstBytes: [],
  };
  return { result, row };
}

type ProbeOutcome =
  | { kind: 'ok'; streamNote: string | null }
  | { kind: 'skipped' | 'unavailable'; note: string };

/** One plain and (for streaming rows) one streamed request, each must carry the mock's answer. */
async function probe(scenario: Scenario, client: LoadClient): Promise<ProbeOutcome> {
  try {
    const plain = await client.probe(false);
    if (scenario.translation && isTranslationUnavailable(plain.status, plain.text)) {
      return { kind: 'skipped', note: 'translation not available yet' };
    }
    if (plain.status !== 200 || !plain.text.includes(ANSWER_MARK)) {
      return { kind: 'unavailable', note: `answered HTTP ${plain.status}: ${plain.text.slice(0, 200)}` };
    }
    if (!scenario.streams) return { kind: 'ok', streamNote: null };
    const streamed = await client.probe(true);
    if (streamed.status !== 200 || !streamed.text.includes(ANSWER_MARK)) {
      return {
        kind: 'ok',
        streamNote: `streams not measured: HTTP ${streamed.status}: ${streamed.text.slice(0, 200)}`,
      };
    }
    return { kind: 'ok', streamNote: null };
  } catch (error) {
    return { kind: 'unavailable', note: `request failed: ${(error as Error).message}` };
  }
}

/**
 * Closed-loop slices for at least `minWarmupMs`, then until two in a row are no more than 10 %
 * faster than the best before them (a single slow slice on a busy machine must not end it early),
 * for at most `warmupMs`; returns each slice's req/s.
 */
export async function warmUp<Client>(
  client: Client,
  parameters: Pick<BenchParameters, 'minWarmupMs' | 'warmupMs' | 'connections'>,
  load: (
    client: Client,
    options: { connections: number; durationMs: number },
  ) => Promise<{ requestsPerSecond: number }>,
): Promise<number[]> {
  const sliceMs = Math.min(1000, parameters.warmupMs / 3);
  const rates: number[] = [];
  let flat = 0;
  for (
    let spent = 0;
    spent < parameters.warmupMs && (spent < parameters.minWarmupMs || flat < 2);
    spent += sliceMs
  ) {
    const { requestsPerSecond } = await load(client, {
      connections: parameters.connections,
      durationMs: sliceMs,
    });
    flat = rates.length > 0 && requestsPerSecond <= Math.max(...rates) * 1.1 ? flat + 1 : 0;
    rates.push(requestsPerSecond);
  }
  return rates;
}

/** Each round measures saturation, then fixed-rate latency, then stream first byte, row after row. */
async function measureRound(options: {
  rows: readonly ActiveRow[];
  round: number;
  parameters: BenchParameters;
  clock: Clock;
}): Promise<void> {
  const { rows, parameters } = options;
  for (const row of rows) {
    const cpuBefore = row.target.process.cpuSeconds();
    const backendBefore = row.target.backendCpuSeconds?.() ?? null;
    const throughput = await closedLoop(row.client, {
      connections: parameters.connections,
      durationMs: parameters.saturationMs,
    });
    const cpuAfter = row.target.process.cpuSeconds();
    const backendAfter = row.target.backendCpuSeconds?.() ?? null;
    row.saturation.push(throughput.requestsPerSecond);
    row.saturationFailed += throughput.failed;
    row.saturationCompleted += throughput.completed;
    row.saturationCpuSeconds = addCpu(row.saturationCpuSeconds, cpuBefore, cpuAfter);
    row.backendCpuSeconds = addCpu(row.backendCpuSeconds, backendBefore, backendAfter);
  }
  for (const row of rows) {
    // Below the rate the queue grows without bound: there is no latency to speak of.
    if (median(row.saturation) < parameters.rate) continue;
    const load = await openLoop(row.client, {
      rate: parameters.rate,
      durationMs: parameters.latencyMs,
      clock: options.clock,
    });
    row.latencies.push(...load.latenciesUs);
    row.latencyRounds.push({ ...summarizeLatencies(load.latenciesUs), round: options.round });
    row.latencyFailed += load.failed;
    row.achievedRates.push(load.achievedRate);
  }
  for (const row of rows) {
    if (!row.streams) continue;
    const streams = await streamFirstBytes(row.client, { count: parameters.streamRequests });
    row.firstBytes.push(...streams.firstBytesUs);
  }
}

/** `total` plus the CPU seconds between two readings; null once any of them is missing. */
function addCpu(total: number | null, before: number | null, after: number | null): number | null {
  return total === null || before === null || after === null ? null : total + after - before;
}

/** CPU seconds over `completed` requests in µs per request; null when either is missing. */
function perRequestUs(seconds: number | null, completed: number): number | null {
  return seconds === null || completed === 0 ? null : (seconds * 1e6) / completed;
}

/** Folds a row's rounds into its result; reads peak RSS while the target still runs. */
function finish(row: ActiveRow, rate: number): void {
  const { result } = row;
  result.saturation = {
    requestsPerSecond: median(row.saturation),
    rounds: row.saturation,
    failed: row.saturationFailed,
    cpuUsPerRequest: perRequestUs(row.saturationCpuSeconds, row.saturationCompleted),
    backendCpuUsPerRequest: perRequestUs(row.backendCpuSeconds, row.saturationCompleted),
  };
  if (row.latencyRounds.length > 0) {
    result.latency = {
      ...summarizeLatencies(row.latencies),
      achievedRate: median(row.achievedRates),
      failed: row.latencyFailed,
      rounds: row.latencyRounds,
    };
    if (result.saturation.requestsPerSecond < 1.5 * rate) {
      result.notes.push('latency measured close to saturation: it includes queueing');
    }
  } else {
    result.notes.push('latency at the fixed rate not measured: it saturates below that rate');
  }
  if (row.firstBytes.length > 0) result.streamFirstByte = summarizeLatencies(row.firstBytes);
  result.peakRssMb = row.target.process.peakRssMb();
  result.firstFailure = row.client.firstFailure();
}

/** The rows starting at `round` (mod length), so no row is always measured first or last. */
function rotate<T>(rows: readonly T[], round: number): T[] {
  const start = rows.length === 0 ? 0 : round % rows.length;
  return [...rows.slice(start), ...rows.slice(0, start)];
}

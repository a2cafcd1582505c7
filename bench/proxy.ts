/**
 * Proxy benchmark (`npm run bench:proxy`): the mock upstream directly, a bare Node proxy (the
 * practical ceiling), Switchyard pass-through, Portkey's gateway, the translation rows, and
 * Switchyard on Redis + PostgreSQL (one instance, and three sharing the load), each in its own
 * process on 127.0.0.1, measured in one run in interleaved rounds: req/s at saturation, latency
 * percentiles at a fixed rate in µs, peak RSS and stream time to first byte. Prints the table and
 * writes bench/results/proxy.md and proxy.json. The options are in `USAGE` (`--help`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock.js';
import { LONG_RUN, type LongRunResult, longRun } from './proxy/long-run.js';
import type { BenchParameters } from './proxy/measure.js';
import { runBenchmark } from './proxy/measure.js';
import { ProcessGroup } from './proxy/process-group.js';
import { renderReport } from './proxy/report.js';
import { needsSharedServices, SCENARIOS, selectScenarios } from './proxy/scenarios.js';
import { type StartedServices, startSharedServices } from './proxy/shared-services.js';
import { startMock } from './proxy/targets.js';

const USAGE = `Usage: npm run bench:proxy -- [options]

  --rounds N       measurement rounds (default 5; 1 with --quick)
  --quick          one short round (1 s warm-up, 0.5 s per load); prints the table, writes nothing
  --warmup S       seconds of saturation each row runs before the rounds, at least (default 20: V8
                   compiles Switchyard's hot path for 10–15 s under load); then up to 10 s more
                   until throughput stops rising
  --only ID,ID     only these rows (by id; the rows they are compared with are added):
                   ${SCENARIOS.map((scenario) => scenario.id).join(', ')}
  --no-cluster     skip the Redis + PostgreSQL rows (${SCENARIOS.filter(needsSharedServices)
    .map((scenario) => scenario.id)
    .join(', ')}): no redis-server or PostgreSQL needed
  --long           after the rounds, 60 s at 1 000 req/s on Switchyard pass-through, RSS every 5 s
  --before DIR     run the pass-through rows (request log on and off) and the translation rows again on
                   the Switchyard build in DIR (a checkout with dist/), each right after its own
  --cpu-prof DIR   profile the Switchyard processes (and the bare proxy, in DIR/bare-proxy); profiles are written when they stop
  --node-arg ARG   an option for the Switchyard processes' node, repeatable (e.g. --node-arg=--max-semi-space-size=8)
  --help           this text

The Redis + PostgreSQL rows start a throwaway redis-server and PostgreSQL cluster (initdb/pg_ctl
in a temporary directory, as the postgres user when run as root); when they are missing the
benchmark stops with the install command.
`;

const FULL: BenchParameters = {
  rounds: 5,
  minWarmupMs: 20_000,
  warmupMs: 30_000,
  connections: 32,
  saturationMs: 2000,
  rate: 1000,
  latencyMs: 2000,
  streamRequests: 150,
};

const QUICK: BenchParameters = {
  rounds: 1,
  minWarmupMs: 0,
  warmupMs: 1000,
  connections: 32,
  saturationMs: 500,
  rate: 1000,
  latencyMs: 500,
  streamRequests: 20,
};

/** The commit measured, with `+changes` when src/ differs from it; null outside a git checkout. */
function gitCommit(): string | null {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim();
    return changed ? `${commit}+changes` : commit;
  } catch {
    return null;
  }
}

/** The command line's options (`USAGE`); an unknown option throws. */
function readOptions() {
  return parseArgs({
    options: {
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      only: { type: 'string' },
      long: { type: 'boolean', default: false },
      before: { type: 'string' },
      'no-cluster': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      'node-arg': { type: 'string', multiple: true },
    },
  }).values;
}

/** Writes the report and the raw results to bench/results/. */
function writeResults(report: string, results: object, log: (line: string) => void): void {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/proxy.md', report);
  writeFileSync('bench/results/proxy.json', `${JSON.stringify(results, null, 2)}\n`);
  log('wrote bench/results/proxy.md and bench/results/proxy.json');
}

async function main(): Promise<void> {
  const values = readOptions();
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const scenarios = selectScenarios({
    only: values.only,
    before: values.before ? resolve(values.before) : undefined,
    cluster: !values['no-cluster'],
  });
  const parameters = { ...(values.quick ? QUICK : FULL) };
  if (values.rounds) parameters.rounds = Number(values.rounds);
  if (values.warmup !== undefined) {
    const seconds = Number(values.warmup);
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new Error(`--warmup must be a number of seconds (0 or more), got ${values.warmup}`);
    parameters.minWarmupMs = seconds * 1000;
    parameters.warmupMs = parameters.minWarmupMs + 10_000;
  }
  const root = process.cwd();
  const startedAt = systemClock.now();
  const loadAverage = loadavg()[0] ?? 0;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const group = new ProcessGroup(systemClock);
  // Ctrl-C must go through process.exit so the group's exit hook kills the children.
  process.on('SIGINT', () => process.exit(130));
  let shared: StartedServices | null = null;
  try {
    if (scenarios.some(needsSharedServices)) {
      log('starting a throwaway redis-server and PostgreSQL');
      shared = await startSharedServices();
    }
    log('starting the mock upstream and the targets');
    const mock = await startMock(group);
    const cpuProfileDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
    let long: LongRunResult | null = null;
    const { rows, loadAverages } = await runBenchmark({
      scenarios,
      parameters,
      context: {
        group,
        clock: systemClock,
        mock,
        root,
        cpuProfileDir,
        nodeArgs: values['node-arg'] ?? [],
        ...(shared ? { services: shared.services } : {}),
      },
      clock: systemClock,
      log,
      loadAverage: () => loadavg()[0] ?? 0,
      afterRounds: async (measured) => {
        const passThrough = measured.find((row) => row.result.id === 'switchyard');
        if (!values.long || !passThrough) return;
        log(`long row: ${LONG_RUN.durationMs / 1000} s at ${LONG_RUN.rate} req/s`);
        long = await longRun(passThrough, { parameters: LONG_RUN, clock: systemClock });
      },
    });
    const info = {
      date: new Date(startedAt).toISOString(),
      commit: gitCommit(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      cores: cpus().length,
      loadAverage,
      loadAverages,
      durationSeconds: (systemClock.now() - startedAt) / 1000,
    };
    const report = renderReport({ rows, parameters, info, long });
    process.stdout.write(`\n${report}`);
    if (!values.quick) writeResults(report, { ...info, parameters, rows, long }, log);
  } finally {
    await group.stopAll();
    await shared?.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:proxy failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});

/**
 * Proxy benchmark (`npm run bench:proxy`): the mock upstream directly, a bare Node proxy (the
 * practical ceiling), Switchyard pass-through, Portkey's gateway and the translation rows, each in
 * its own process on 127.0.0.1, measured in one run in interleaved rounds: req/s at saturation,
 * latency percentiles at a fixed rate in µs, peak RSS and stream time to first byte. Prints the
 * table and writes bench/results/proxy.md and proxy.json.
 *
 * Options: `--rounds N`, `--quick` (one short round, nothing written), `--cpu-prof DIR` (profile the
 * Switchyard processes; the profiles are written when they stop), `--only id,id` (rows by id; the
 * baseline rows they need are added), `--long` (after the rounds, the long row: 60 s at 1 000 req/s
 * on Switchyard pass-through with RSS sampled every 5 s), `--before DIR` (adds a row running the
 * Switchyard build in DIR, another checkout with its `dist/`, after each pass-through row — with
 * the request log on and off — for before/after in one run), `--node-arg ARG` (repeatable: an
 * option for the Switchyard processes' `node`, e.g. `--node-arg=--max-semi-space-size=8`).
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
import { CEILING_ROW, SCENARIOS, type Scenario } from './proxy/scenarios.js';
import { startMock } from './proxy/targets.js';

const FULL: BenchParameters = {
  rounds: 5,
  warmupMs: 12_000,
  connections: 32,
  saturationMs: 2000,
  rate: 1000,
  latencyMs: 2000,
  streamRequests: 150,
};

const QUICK: BenchParameters = {
  rounds: 1,
  warmupMs: 1000,
  connections: 32,
  saturationMs: 500,
  rate: 1000,
  latencyMs: 500,
  streamRequests: 20,
};

/** The pass-through rows `--before` runs again on the other build. */
const BEFORE_ROWS: ReadonlySet<string> = new Set(['switchyard', 'switchyard-no-log']);

/** The chosen rows plus the baselines and the ceiling row their numbers are relative to. */
function selectScenarios(only: string | undefined, before: string | undefined): Scenario[] {
  const all = before ? withBeforeRow(before) : SCENARIOS;
  if (!only) return [...all];
  const wanted = new Set(only.split(',').map((id) => id.trim()));
  wanted.add(CEILING_ROW);
  if (before) for (const id of BEFORE_ROWS) if (wanted.has(id)) wanted.add(`${id}-before`);
  for (const scenario of SCENARIOS) {
    if (wanted.has(scenario.id) && scenario.baseline) wanted.add(scenario.baseline);
  }
  return all.filter((scenario) => wanted.has(scenario.id));
}

/** The scenarios with the pass-through rows run again on the build in `root`, each right after its own. */
function withBeforeRow(root: string): Scenario[] {
  return SCENARIOS.flatMap((scenario) =>
    BEFORE_ROWS.has(scenario.id) && scenario.target.kind === 'switchyard'
      ? [
          scenario,
          {
            ...scenario,
            id: `${scenario.id}-before`,
            label: `${scenario.label}, build in ${root}`,
            target: { ...scenario.target, root: resolve(root) },
            note: 'the same as (c) on another build (`--before`): before/after side by side',
          },
        ]
      : [scenario],
  );
}

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      only: { type: 'string' },
      long: { type: 'boolean', default: false },
      before: { type: 'string' },
      'node-arg': { type: 'string', multiple: true },
    },
  });
  const parameters = { ...(values.quick ? QUICK : FULL) };
  if (values.rounds) parameters.rounds = Number(values.rounds);
  const root = process.cwd();
  const startedAt = systemClock.now();
  const loadAverage = loadavg()[0] ?? 0;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const group = new ProcessGroup(systemClock);
  // Ctrl-C must go through process.exit so the group's exit hook kills the children.
  process.on('SIGINT', () => process.exit(130));
  try {
    log('starting the mock upstream and the targets');
    const mock = await startMock(group);
    const cpuProfileDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
    let long: LongRunResult | null = null;
    const { rows, loadAverages } = await runBenchmark({
      scenarios: selectScenarios(values.only, values.before),
      parameters,
      context: { group, mock, root, cpuProfileDir, nodeArgs: values['node-arg'] ?? [] },
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
    if (values.quick) return;
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/proxy.md', report);
    writeFileSync(
      'bench/results/proxy.json',
      `${JSON.stringify({ ...info, parameters, rows, long }, null, 2)}\n`,
    );
    log('wrote bench/results/proxy.md and bench/results/proxy.json');
  } finally {
    await group.stopAll();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:proxy failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});

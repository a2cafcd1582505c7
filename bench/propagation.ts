/**
 * Propagation benchmark (`npm run bench:propagation`): how long a change made on one cluster
 * instance takes to apply on the others, on a throwaway Redis and PostgreSQL. Rate-limit locks and
 * re-bindings are timed into another instance's lock mirror and binding lease (the design's target:
 * 100 ms), the fixed account into its mirror (1 s); the scheduling mode and
 * account changes across three `switchyard start` processes (target: 1 s). Times are measured here,
 * never asserted in a test. Prints the table and writes bench/results/propagation.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock.js';
import { measureClusterPropagation } from './propagation/cluster-propagation.js';
import { measureLockPropagation, type PropagationSample } from './propagation/lock-propagation.js';
import { startSharedServices } from './proxy/shared-services.js';

const USAGE = `Usage: npm run bench:propagation -- [options]

  --trials N   changes timed per kind (default 30 locks, 10 admin changes; N for both)
  --help       this text

Starts a throwaway redis-server and PostgreSQL cluster (as bench:proxy does) and three gateway
processes from dist/; writes bench/results/propagation.md.
`;

/** The value at `fraction` (0..1) of the sorted delays. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

function row(sample: PropagationSample): string {
  const { targetMs } = sample;
  const sorted = [...sample.delaysMs].sort((a, b) => a - b);
  const max = sorted.at(-1) ?? Number.NaN;
  const cells = [0.5, 0.95].map((fraction) => percentile(sorted, fraction).toFixed(1));
  const met = max <= targetMs ? 'met' : 'missed';
  return `| ${sample.change} | ${sorted.length} | ${cells.join(' | ')} | ${max.toFixed(1)} | ${targetMs} (${met}) |`;
}

function render(locks: PropagationSample[], admin: PropagationSample[], started: Date): string {
  return [
    '# Propagation between cluster instances',
    '',
    `Run ${started.toISOString()} on ${cpus().length} cores (load average ${loadavg()[0]?.toFixed(2)} at the end), Node ${process.version}.`,
    'Milliseconds from the write returning on one instance to the change being seen on the others',
    '(the slowest of them). Locks, re-bindings and the fixed account: two state stores on one Redis,',
    'read through the scheduler’s own snapshot (`readForPick`; the re-binding and the fixed account',
    'through the reader’s lease on the session’s binding). Admin changes: three `switchyard start` processes on one Redis and one',
    'PostgreSQL database, polled through their admin API (each poll is an HTTP round trip, so the',
    'figures include up to one poll’s time).',
    '',
    '| change | trials | p50 ms | p95 ms | max ms | target ms |',
    '|---|---:|---:|---:|---:|---|',
    ...[...locks, ...admin].map(row),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { trials: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const trials = values.trials === undefined ? null : Number(values.trials);
  if (trials !== null && !(Number.isInteger(trials) && trials > 0)) {
    throw new Error(`--trials must be a positive integer, got ${values.trials}`);
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = new Date(systemClock.now());
  log('starting a throwaway redis-server and PostgreSQL');
  const shared = await startSharedServices();
  process.on('SIGINT', () => process.exit(130));
  try {
    const { services } = shared;
    log('timing rate-limit locks between two state stores');
    const locks = await measureLockPropagation({
      redisUrl: services.redisUrl,
      keyPrefix: services.newKeyPrefix(),
      trials: trials ?? 30,
    });
    log('timing admin changes across three gateway processes');
    const admin = await measureClusterPropagation({
      redisUrl: services.redisUrl,
      keyPrefix: services.newKeyPrefix(),
      postgresUrl: await services.newDatabase(),
      trials: trials ?? 10,
    });
    const report = render(locks, admin, started);
    process.stdout.write(report);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/propagation.md', report);
    log('wrote bench/results/propagation.md');
  } finally {
    await shared.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:propagation failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});

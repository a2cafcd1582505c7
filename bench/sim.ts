/**
 * `npm run bench:sim`: the scheduling simulation of issues 3 and 10. Runs Switchyard's scheduler
 * modes and the baselines over the same seeded workload at three load points, then the per-window
 * scenario (short request windows, concurrent conversations) in three variants; prints markdown
 * tables and writes bench/results/sim.md and bench/results/sim.json.
 *
 * Options: --seed <n>, --protect <percent> (threshold of the `+protect` rows), --sweep 1,5,10,20
 * (other thresholds to run Balance+protect at; `--sweep none` for none), --hours <n> (arrival
 * window of the main scenario), --loads 1.25,1,0.8, --per-window none (skip that scenario),
 * --out <directory>.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock.js';
import { perWindowSection } from './sim/per-window-report.js';
import { renderMarkdown } from './sim/report.js';
import { runBenchmark } from './sim/run-benchmark.js';
import { runPerWindow } from './sim/run-per-window.js';
import { defaultParameters, HOUR_MS, perWindowVariants } from './sim/sim-parameters.js';

/** The quota-protection threshold of the `+protect` rows, percent (see bench/results/sim-summary.md). */
const DEFAULT_PROTECTION_PERCENTAGE = 2;

/** Other thresholds Balance+protect is run at, to show what the choice costs. */
const DEFAULT_SWEEP = '1,5,10,20';

function numberList(text: string): number[] {
  return text === 'none' ? [] : text.split(',').map(Number);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      protect: { type: 'string' },
      sweep: { type: 'string' },
      hours: { type: 'string' },
      loads: { type: 'string' },
      'per-window': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const defaults = defaultParameters();
  const parameters = defaultParameters({
    seed: values.seed === undefined ? defaults.seed : Number(values.seed),
    durationMs: values.hours === undefined ? defaults.durationMs : Number(values.hours) * HOUR_MS,
  });
  const capacityOverLoad = numberList(values.loads ?? '1.25,1,0.8');
  const protectionPercentage =
    values.protect === undefined ? DEFAULT_PROTECTION_PERCENTAGE : Number(values.protect);
  const started = systemClock.now();
  const result = await runBenchmark({
    parameters,
    capacityOverLoad,
    protectionPercentage,
    sweepPercentages: numberList(values.sweep ?? DEFAULT_SWEEP),
    onResult: ({ capacityOverLoad: load, metrics }) =>
      process.stderr.write(`  capacity = ${load} × load: ${metrics.policy} done\n`),
  });
  const perWindow =
    values['per-window'] === 'none'
      ? []
      : await runPerWindow({
          variants: perWindowVariants({ seed: parameters.seed }),
          onResult: ({ variant, metrics }) => process.stderr.write(`  ${variant}: ${metrics.policy} done\n`),
        });
  const meta = { date: new Date(systemClock.now()).toISOString(), node: process.version };
  const markdown =
    perWindow.length === 0
      ? renderMarkdown(result, meta)
      : `${renderMarkdown(result, meta)}\n${perWindowSection(perWindow)}\n`;
  process.stdout.write(markdown);
  const outDirectory = values.out ?? fileURLToPath(new URL('../../bench/results/', import.meta.url));
  await mkdir(outDirectory, { recursive: true });
  await writeFile(join(outDirectory, 'sim.md'), markdown);
  await writeFile(
    join(outDirectory, 'sim.json'),
    `${JSON.stringify({ ...meta, ...result, perWindow }, null, 2)}\n`,
  );
  process.stderr.write(
    `Wrote ${join(outDirectory, 'sim.md')} and sim.json in ${(systemClock.now() - started) / 1000} s\n`,
  );
}

await main();

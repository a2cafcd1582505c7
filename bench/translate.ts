/**
 * Translation benchmark (`npm run bench:translate`): the synchronous time one request body holds
 * the event loop on its way upstream (parse, session id, decode, convert, serialize — see
 * `translate/pipeline.ts`), per megabyte, for pathological shapes of every client protocol sent to
 * every provider kind, at two body sizes. A linear path has the same time per megabyte at both
 * sizes; the ratio column shows the growth. Writes bench/results/translate.json and translate.md.
 * Goal: at most a few tens of milliseconds per megabyte for every shape and pair.
 *
 * Options: `--sizes 1,8` (megabytes), `--repeat 5` (runs per cell; the fastest counts), `--shapes a,b`
 * (a subset), `--output path` (without extension; default bench/results/translate).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ProviderKind } from '../src/core/account.js';
import type { ClientProtocol } from '../src/core/client-protocol.js';
import { isPassThrough, PROVIDER_KINDS, runRequestPath } from './translate/pipeline.js';
import { buildBody, CLIENT_PROTOCOLS, SHAPES, type Shape, sizeFor } from './translate/shapes.js';

const MB = 1024 * 1024;
/** Goal: ms of event-loop time per MB of body, for any shape. */
const GOAL_MS_PER_MB = 50;

interface Cell {
  protocol: ClientProtocol;
  provider: ProviderKind;
  shape: Shape;
  /** Per size: body MB and the fastest run's wall-clock and CPU ms. */
  runs: { mb: number; ms: number; cpuMs: number }[];
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

/**
 * The fastest of `repeat` runs, in wall-clock ms (what the event loop is held for) and in CPU ms of
 * the process (less disturbed by other processes on a busy machine; includes GC helper threads).
 */
function measure(options: { protocol: ClientProtocol; provider: ProviderKind; raw: Buffer; repeat: number }) {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let run = 0; run < options.repeat; run++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    runRequestPath(options);
    wall = Math.min(wall, performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

function runCell(cell: Omit<Cell, 'runs'>, sizes: number[], repeat: number): Cell {
  const runs: Cell['runs'] = [];
  // Warm the code paths up on a small body first, so the first size does not pay for compilation.
  const warm = Buffer.from(JSON.stringify(buildBody(cell.protocol, cell.shape, 64)));
  for (let index = 0; index < 20; index++) runRequestPath({ ...cell, raw: warm });
  for (const mb of sizes) {
    const n = sizeFor(cell.protocol, cell.shape, mb * MB);
    const raw = Buffer.from(JSON.stringify(buildBody(cell.protocol, cell.shape, n)));
    const { wall, cpu } = measure({ ...cell, raw, repeat });
    runs.push({ mb: raw.length / MB, ms: wall, cpuMs: cpu });
  }
  return { ...cell, runs };
}

const perMb = (run: { mb: number; ms: number }) => run.ms / run.mb;
const cpuPerMb = (run: { mb: number; cpuMs: number }) => run.cpuMs / run.mb;

/** ms/MB at the largest size ÷ ms/MB at the smallest, by CPU time (steadier on a shared machine). */
function growth(cell: Cell): number {
  const first = cell.runs[0];
  const last = cell.runs.at(-1);
  return first && last ? cpuPerMb(last) / cpuPerMb(first) : 1;
}

function table(cells: Cell[], sizes: number[]): string {
  const largest = sizes.at(-1);
  const header = [
    '| client → provider | shape |',
    ...sizes.map((size) => ` ms/MB at ${size} MB |`),
    ` CPU ms/MB at ${largest} MB | growth |`,
  ].join('');
  const rule = `| --- | --- |${sizes.map(() => ' ---: |').join('')} ---: | ---: |`;
  const rows = cells.map((cell) => {
    const mode = isPassThrough(cell.protocol, cell.provider) ? ' (pass-through)' : '';
    const last = cell.runs.at(-1);
    return `| ${cell.protocol} → ${cell.provider}${mode} | ${cell.shape} |${cell.runs
      .map((run) => ` ${perMb(run).toFixed(1)} |`)
      .join('')} ${last ? cpuPerMb(last).toFixed(1) : '–'} | ${growth(cell).toFixed(2)} |`;
  });
  return [header, rule, ...rows].join('\n');
}

function report(cells: Cell[], sizes: number[]): string {
  const worst = (measureOf: (run: Cell['runs'][number]) => number) =>
    cells.reduce((max, cell) => Math.max(max, ...cell.runs.map(measureOf)), 0);
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  return [
    '# Translation benchmark',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${load}.`,
    '',
    'Synchronous time of the request path (parse, session id, decode, convert, serialize the upstream',
    'body) per megabyte of client body, fastest of the runs: wall-clock (what the event loop is held',
    'for) at each size, and CPU time at the largest. Growth = CPU ms/MB at the largest size ÷ at the',
    'smallest: about 1 for a linear path, the size ratio for a quadratic one.',
    '',
    table(cells, sizes),
    '',
    `Worst cell: ${worst(perMb).toFixed(1)} ms/MB wall-clock, ${worst(cpuPerMb).toFixed(1)} ms/MB CPU (goal ≤ ${GOAL_MS_PER_MB}); ` +
      `largest growth ${Math.max(...cells.map(growth)).toFixed(2)}.`,
    '',
  ].join('\n');
}

function main(): void {
  const sizes = option('sizes', '1,8').split(',').map(Number);
  const repeat = Number(option('repeat', '5'));
  const shapes = option('shapes', SHAPES.join(',')).split(',') as Shape[];
  const output = option('output', 'bench/results/translate');
  const cells: Cell[] = [];
  for (const protocol of CLIENT_PROTOCOLS) {
    for (const provider of PROVIDER_KINDS) {
      for (const shape of shapes) {
        const cell = runCell({ protocol, provider, shape }, sizes, repeat);
        cells.push(cell);
        console.log(
          `${protocol} → ${provider} ${shape}: ${cell.runs.map((run) => `${perMb(run).toFixed(1)} ms/MB`).join(', ')}`,
        );
      }
    }
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`${output}.json`, `${JSON.stringify({ sizes, cells }, null, 2)}\n`);
  writeFileSync(`${output}.md`, report(cells, sizes));
}

main();

/**
 * Translation benchmark (`npm run bench:translate`): the synchronous time one request body holds
 * the event loop on its way upstream (parse, session id, decode, convert, serialize — see
 * `translate/pipeline.ts`), per megabyte, for pathological shapes of every client protocol sent to
 * every provider kind, at two body sizes. A linear path has the same time per megabyte at both
 * sizes; the ratio column shows the growth. Writes bench/results/translate.json and translate.md.
 * Goal: at most a few tens of milliseconds per megabyte for every shape and pair.
 *
 * Options: `--sizes 1,4` (megabytes), `--repeat 3` (runs per cell; the fastest counts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ProviderKind } from '../src/core/account.js';
import type { ClientProtocol } from '../src/providers/provider-adapter.js';
import { isPassThrough, PROVIDER_KINDS, runRequestPath } from './translate/pipeline.js';
import { buildBody, CLIENT_PROTOCOLS, SHAPES, type Shape, sizeFor } from './translate/shapes.js';

const MB = 1024 * 1024;
/** Goal: ms of event-loop time per MB of body, for any shape. */
const GOAL_MS_PER_MB = 50;

interface Cell {
  protocol: ClientProtocol;
  provider: ProviderKind;
  shape: Shape;
  /** Per size: body MB and the fastest run's ms. */
  runs: { mb: number; ms: number }[];
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

function measure(options: { protocol: ClientProtocol; provider: ProviderKind; raw: Buffer; repeat: number }) {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < options.repeat; run++) {
    const start = performance.now();
    runRequestPath(options);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function runCell(cell: Omit<Cell, 'runs'>, sizes: number[], repeat: number): Cell {
  const runs: Cell['runs'] = [];
  // Warm the code paths up on a small body first, so the first size does not pay for compilation.
  const warm = Buffer.from(JSON.stringify(buildBody(cell.protocol, cell.shape, 64)));
  for (let index = 0; index < 20; index++) runRequestPath({ ...cell, raw: warm });
  for (const mb of sizes) {
    const n = sizeFor(cell.protocol, cell.shape, mb * MB);
    const raw = Buffer.from(JSON.stringify(buildBody(cell.protocol, cell.shape, n)));
    runs.push({ mb: raw.length / MB, ms: measure({ ...cell, raw, repeat }) });
  }
  return { ...cell, runs };
}

const perMb = (run: { mb: number; ms: number }) => run.ms / run.mb;

function table(cells: Cell[], sizes: number[]): string {
  const header = [
    '| client → provider | shape |',
    ...sizes.map((size) => ` ms/MB at ${size} MB |`),
    ' growth |',
  ].join('');
  const rule = `| --- | --- |${sizes.map(() => ' ---: |').join('')} ---: |`;
  const rows = cells.map((cell) => {
    const first = cell.runs[0];
    const last = cell.runs.at(-1);
    const growth = first && last ? (perMb(last) / perMb(first)).toFixed(2) : '–';
    const mode = isPassThrough(cell.protocol, cell.provider) ? ' (pass-through)' : '';
    return `| ${cell.protocol} → ${cell.provider}${mode} | ${cell.shape} |${cell.runs
      .map((run) => ` ${perMb(run).toFixed(1)} |`)
      .join('')} ${growth} |`;
  });
  return [header, rule, ...rows].join('\n');
}

function report(cells: Cell[], sizes: number[]): string {
  const worst = cells.reduce((max, cell) => Math.max(max, ...cell.runs.map(perMb)), 0);
  const growths = cells.map((cell) => {
    const first = cell.runs[0];
    const last = cell.runs.at(-1);
    return first && last ? perMb(last) / perMb(first) : 1;
  });
  return [
    '# Translation benchmark',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}.`,
    '',
    'Synchronous time of the request path (parse, session id, decode, convert, serialize the upstream',
    'body) per megabyte of client body, fastest of the runs; growth = ms/MB at the largest size ÷ ms/MB',
    'at the smallest (1.0 is linear; a quadratic path shows the size ratio).',
    '',
    table(cells, sizes),
    '',
    `Worst cell: ${worst.toFixed(1)} ms/MB (goal ≤ ${GOAL_MS_PER_MB}); largest growth ${Math.max(...growths).toFixed(2)}.`,
    '',
  ].join('\n');
}

function main(): void {
  const sizes = option('sizes', '1,4').split(',').map(Number);
  const repeat = Number(option('repeat', '3'));
  const cells: Cell[] = [];
  for (const protocol of CLIENT_PROTOCOLS) {
    for (const provider of PROVIDER_KINDS) {
      for (const shape of SHAPES) {
        const cell = runCell({ protocol, provider, shape }, sizes, repeat);
        cells.push(cell);
        console.log(
          `${protocol} → ${provider} ${shape}: ${cell.runs.map((run) => `${perMb(run).toFixed(1)} ms/MB`).join(', ')}`,
        );
      }
    }
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/translate.json', `${JSON.stringify({ sizes, cells }, null, 2)}\n`);
  writeFileSync('bench/results/translate.md', report(cells, sizes));
}

main();

/**
 * Where the CPU time of a proxied request goes, layer by layer (`npm run bench:layers`): the bare
 * Node proxy, the same bare proxy on Fastify, Switchyard pass-through (request log on and off) and
 * Switchyard translating (OpenAI client → Anthropic account, Anthropic client → OpenAI account),
 * each in its own process in front of the benchmark's mock upstream, loaded at saturation in
 * interleaved rounds while Linux `perf` samples the process's stacks. Every sample is put in one
 * layer (`proxy/perf-layers.ts`: kernel, garbage collection, undici, Fastify, Node's streams and
 * HTTP, Switchyard's own code by folder …) and the layers are given as µs of CPU per request, side
 * by side, with each process's CPU per request read from /proc (main thread and other threads,
 * user and system). Writes bench/results/layers.md and layers.json (`--no-perf`: layers-no-perf.*). Needs `perf` (Debian:
 * `apt-get install linux-perf`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock.js';
import { format, ROWS_USAGE, type Row, type RowCpu, selectRows, translationRatios } from './layers/rows.js';
import { closedLoop, LoadClient } from './proxy/load-generator.js';
import { addLayerSamples, type LayerSamples, layerSamples, parsePerfScript } from './proxy/perf-layers.js';
import { ProcessGroup, readThreadCpu, type ThreadCpu, totalCpu } from './proxy/process-group.js';
import { type RunningTarget, startMock, startTarget } from './proxy/targets.js';
import { requestBodies, requestPath, type WireProtocol } from './proxy/wire-samples.js';

const USAGE = `Usage: npm run bench:layers -- [options]

  --rounds N      measured rounds (default 3)
  --seconds S     seconds of load per target and round (default 4)
  --warmup S      seconds of load per target before the rounds, not measured (default 20:
                  V8 compiles Switchyard's hot path for 10–15 s under load)
  --frequency HZ  perf sampling frequency (default 1999)
  --only ID,ID    only these rows (by id): ${ROWS_USAGE}
  --no-perf       no perf: only the CPU per request from /proc, without the cost of sampling
                  (written to bench/results/layers-no-perf.md instead of layers.md)
  --help          this text

Without --no-perf it needs Linux perf (Debian: apt-get install linux-perf) and permission to attach to the benchmark's own
processes (root, or kernel.perf_event_paranoid <= 1).
`;

const CONNECTIONS = 32;

/** What one row gathered over the measured rounds. */
interface Measured {
  requests: number;
  seconds: number;
  cpu: ThreadCpu;
  /** Samples of the row's process by thread kind and layer (counts). */
  samples: LayerSamples;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      frequency: { type: 'string' },
      only: { type: 'string' },
      'no-perf': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const number = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`--${name} must be a positive number, got "${value}"`);
    return parsed;
  };
  return {
    help: values.help === true,
    rounds: Math.round(number('rounds', values.rounds, 3)),
    seconds: number('seconds', values.seconds, 4),
    warmup: number('warmup', values.warmup, 20),
    frequency: Math.round(number('frequency', values.frequency, 1999)),
    perf: values['no-perf'] !== true,
    rows: selectRows(values.only),
  };
}

/** Fails with the install command when perf is missing or cannot attach. */
function checkPerf(): void {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('bench:layers needs Linux perf: apt-get install linux-perf');
  }
}

async function startPerf(pid: number, file: string, frequency: number): Promise<ChildProcess> {
  const perf = spawn(
    'perf',
    ['record', '-q', '-e', 'cpu-clock', '-F', String(frequency), '-g', '-p', String(pid), '-o', file],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let errors = '';
  perf.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  // perf needs a moment to attach; an early exit is a refusal (permissions, no such process).
  const exited = await Promise.race([
    new Promise<boolean>((done) => perf.once('exit', () => done(true))),
    systemClock.sleep(500).then(() => false),
  ]);
  if (exited) throw new Error(`perf record could not attach to process ${pid}: ${errors.trim()}`);
  return perf;
}

async function stopPerf(perf: ChildProcess): Promise<void> {
  const exited = new Promise<void>((done) => perf.once('exit', () => done()));
  perf.kill('SIGINT');
  await exited;
}

function addCpu(into: ThreadCpu, after: ThreadCpu, before: ThreadCpu): void {
  into.main.user += after.main.user - before.main.user;
  into.main.system += after.main.system - before.main.system;
  into.other.user += after.other.user - before.other.user;
  into.other.system += after.other.system - before.other.system;
}

/** One measured window on one row: the load, the process's CPU and perf's samples. */
async function measureWindow(options: {
  target: RunningTarget;
  client: WireProtocol;
  seconds: number;
  /** perf's sampling frequency; null: no perf, CPU from /proc only. */
  frequency: number | null;
  workDir: string;
  measured: Measured | null;
}): Promise<void> {
  const { target, measured } = options;
  const client = new LoadClient(
    {
      origins: target.origins,
      path: requestPath(options.client),
      headers: target.headers(options.client),
      bodies: requestBodies(options.client, false),
      streamBodies: requestBodies(options.client, true),
    },
    CONNECTIONS,
  );
  try {
    if (!measured) {
      await closedLoop(client, { connections: CONNECTIONS, durationMs: options.seconds * 1000 });
      return;
    }
    const file = join(options.workDir, `perf-${target.process.pid}.data`);
    const perf =
      options.frequency === null ? null : await startPerf(target.process.pid, file, options.frequency);
    const before = readThreadCpu(target.process.pid);
    const started = process.hrtime.bigint();
    const load = await closedLoop(client, { connections: CONNECTIONS, durationMs: options.seconds * 1000 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = readThreadCpu(target.process.pid);
    if (perf) await stopPerf(perf);
    if (load.failed > 0) throw new Error(`${load.failed} requests failed: ${client.firstFailure() ?? ''}`);
    if (!before || !after) throw new Error(`cannot read the CPU time of process ${target.process.pid}`);
    addCpu(measured.cpu, after, before);
    measured.requests += load.completed;
    measured.seconds += seconds;
    if (!perf) return;
    const script = execFileSync('perf', ['script', '-F', 'pid,tid,ip,sym', '-i', file], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    rmSync(file, { force: true });
    const counted = layerSamples(parsePerfScript(script), target.process.pid);
    if (counted.total === 0) throw new Error(`perf recorded no samples of process ${target.process.pid}`);
    addLayerSamples(measured.samples, counted);
  } finally {
    await client.close();
  }
}

/** How many of the bare proxy's costliest shared functions the report lists. */
const SAME_FUNCTIONS_LISTED = 15;

/**
 * The library functions (undici, Node's own) that both the bare proxy and Switchyard run on their
 * main thread, µs per request in each: the same code doing the same work per request, so a ratio
 * above 1 is what Switchyard's process does to code that is not its own (more calls, or slower ones:
 * colder caches, less batching per event-loop turn).
 */
function sameFunctions(
  rows: readonly Row[],
  results: Map<string, Measured>,
  perRequest: (row: Row, count: number) => number,
): string[] {
  const bare = rows.find((row) => row.id === 'bare-proxy');
  const switchyard = rows.find((row) => row.id === 'switchyard');
  const bareSamples = bare && results.get(bare.id)?.samples.functions;
  const switchyardSamples = switchyard && results.get(switchyard.id)?.samples.functions;
  if (!bare || !switchyard || !bareSamples || !switchyardSamples) return [];
  const shared = [...bareSamples.entries()]
    .filter(([name]) => switchyardSamples.has(name))
    .map(([name, count]) => ({
      name,
      bare: perRequest(bare, count),
      switchyard: perRequest(switchyard, switchyardSamples.get(name) ?? 0),
    }))
    .sort((a, b) => b.bare - a.bare);
  const sum = (pick: (entry: (typeof shared)[number]) => number) =>
    shared.reduce((total, entry) => total + pick(entry), 0);
  const lines = [
    '',
    `## The same library functions in ${bare.label} and ${switchyard.label} (main thread, µs of CPU per request)`,
    '',
    `| function | ${bare.label} | ${switchyard.label} | ratio |`,
    '| --- | ---: | ---: | ---: |',
  ];
  for (const entry of shared.slice(0, SAME_FUNCTIONS_LISTED)) {
    lines.push(
      `| \`${entry.name}\` | ${entry.bare.toFixed(2)} | ${entry.switchyard.toFixed(2)} | ${(entry.switchyard / entry.bare).toFixed(2)} |`,
    );
  }
  const bareTotal = sum((entry) => entry.bare);
  const switchyardTotal = sum((entry) => entry.switchyard);
  lines.push(
    `| **all ${shared.length} shared functions** | **${bareTotal.toFixed(1)}** | **${switchyardTotal.toFixed(1)}** | **${(switchyardTotal / bareTotal).toFixed(2)}** |`,
  );
  return lines;
}

function render(options: {
  rows: readonly Row[];
  results: Map<string, Measured>;
  frequency: number;
  /** Whether perf sampled the targets (else only the /proc table). */
  sampled: boolean;
  header: string;
}): string {
  const { rows, results, frequency, sampled } = options;
  const perRequest = (row: Row, count: number) => {
    const measured = results.get(row.id);
    return measured ? (count * 1e6) / frequency / Math.max(1, measured.requests) : 0;
  };
  const lines: string[] = [options.header, ''];
  lines.push('## CPU per request, from /proc (µs)', '');
  lines.push(
    '| target | req/s | total | main thread user | main thread system | other threads user | other threads system |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const measured = results.get(row.id);
    if (!measured) continue;
    const per = (seconds: number) => (seconds * 1e6) / Math.max(1, measured.requests);
    const { main, other } = measured.cpu;
    const total = totalCpu(measured.cpu);
    lines.push(
      `| ${row.label} | ${Math.round(measured.requests / Math.max(measured.seconds, 1e-9)).toLocaleString('en-US')} | ${format(per(total))} | ${format(per(main.user))} | ${format(per(main.system))} | ${format(per(other.user))} | ${format(per(other.system))} |`,
    );
  }
  const cpu = new Map<string, RowCpu>(
    [...results].map(([id, measured]) => [
      id,
      { requests: measured.requests, cpuSeconds: totalCpu(measured.cpu) },
    ]),
  );
  lines.push(...translationRatios(rows, cpu));
  if (!sampled)
    return `${lines.join('\n')}\n\nRun with \`--no-perf\`: no perf samples, CPU from /proc only.\n`;
  for (const [title, pick] of [
    ['main thread', (measured: Measured) => measured.samples.main],
    ['other threads (V8 helpers, the request log worker)', (measured: Measured) => measured.samples.other],
  ] as const) {
    const layers = new Map<string, number>();
    for (const row of rows) {
      const measured = results.get(row.id);
      if (!measured) continue;
      for (const [layer, count] of pick(measured))
        layers.set(layer, Math.max(layers.get(layer) ?? 0, perRequest(row, count)));
    }
    const ordered = [...layers.entries()].sort((a, b) => b[1] - a[1]).map(([layer]) => layer);
    lines.push('', `## By layer, ${title} (µs of CPU per request, from perf samples)`, '');
    lines.push(`| layer | ${rows.map((row) => row.label).join(' | ')} |`);
    lines.push(`| --- |${rows.map(() => ' ---: |').join('')}`);
    const totals = rows.map(() => 0);
    for (const layer of ordered) {
      const cells = rows.map((row, index) => {
        const value = perRequest(row, pick(results.get(row.id) as Measured).get(layer) ?? 0);
        totals[index] = (totals[index] ?? 0) + value;
        return value;
      });
      if (cells.every((value) => value < 0.05)) continue;
      lines.push(`| ${layer} | ${cells.map(format).join(' | ')} |`);
    }
    lines.push(`| **all** | ${totals.map((value) => `**${format(value)}**`).join(' | ')} |`);
  }
  lines.push(...sameFunctions(rows, results, perRequest));
  lines.push(
    '',
    `Layers: \`bench/proxy/perf-layers.ts\`. A sample counts for the innermost JavaScript function on its stack (V8 builtins and C++ called from it included) unless it was taken in the kernel or in V8's garbage collector. perf samples at ${frequency} Hz with call graphs while the load runs; the sampling costs the targets some CPU, alike for all. JavaScript frames are named from V8's \`--perf-basic-prof\` map, which can name a few samples after code that was moved.`,
  );
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.perf) checkPerf();
  const root = process.cwd();
  const workDir = join(tmpdir(), `switchyard-layers-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const group = new ProcessGroup(systemClock);
  const targets = new Map<string, RunningTarget>();
  const results = new Map<string, Measured>();
  const load = loadavg();
  const startedAt = new Date();
  try {
    const mock = await startMock(group);
    // Every target names its JIT-compiled functions for perf (/tmp/perf-<pid>.map); V8 then also
    // writes an isolate-*.log into its working directory: the work directory, removed at the end.
    if (options.perf) {
      process.env['NODE_OPTIONS'] = `${process.env['NODE_OPTIONS'] ?? ''} --perf-basic-prof`.trim();
    }
    process.chdir(workDir);
    const context = { group, clock: systemClock, mock, root };
    for (const row of options.rows) targets.set(row.id, await startTarget(row.spec, context));
    for (let round = 0; round <= options.rounds; round++) {
      process.stderr.write(round === 0 ? 'warm-up round\n' : `round ${round}/${options.rounds}\n`);
      for (const row of options.rows) {
        const target = targets.get(row.id) as RunningTarget;
        let measured: Measured | null = null;
        if (round > 0) {
          measured = results.get(row.id) ?? {
            requests: 0,
            seconds: 0,
            cpu: { main: { user: 0, system: 0 }, other: { user: 0, system: 0 } },
            samples: { main: new Map(), other: new Map(), functions: new Map(), total: 0 },
          };
          results.set(row.id, measured);
        }
        await measureWindow({
          target,
          client: row.client ?? 'openai',
          seconds: round === 0 ? options.warmup : options.seconds,
          frequency: options.perf ? options.frequency : null,
          workDir,
          measured,
        });
      }
    }
  } finally {
    for (const target of targets.values()) {
      const pid = target.process.pid;
      await target.stop();
      rmSync(join(tmpdir(), `perf-${pid}.map`), { force: true });
    }
    await group.stopAll();
    process.chdir(root);
    rmSync(workDir, { recursive: true, force: true });
  }
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const header = [
    '# Where a proxied request’s CPU time goes',
    '',
    `${startedAt.toISOString()}, commit ${commit}, Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'} (${cpus().length} cores). Load average before the run ${load[0]?.toFixed(1)}. ${options.rounds} rounds of ${options.seconds} s per target at saturation (${CONNECTIONS} connections, closed loop, non-streamed OpenAI Chat Completions requests — Anthropic Messages for the row with an Anthropic client — to the benchmark's mock upstream), after a warm-up of ${options.warmup} s each; \`npm run bench:layers\`.`,
  ].join('\n');
  const report = render({
    rows: options.rows,
    results,
    frequency: options.frequency,
    sampled: options.perf,
    header,
  });
  process.stdout.write(report);
  const dir = resolve(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const name = options.perf ? 'layers' : 'layers-no-perf';
  writeFileSync(join(dir, `${name}.md`), report);
  const json = Object.fromEntries(
    [...results].map(([id, measured]) => [
      id,
      {
        requests: measured.requests,
        seconds: measured.seconds,
        cpuSeconds: measured.cpu,
        samples: {
          total: measured.samples.total,
          main: Object.fromEntries(measured.samples.main),
          other: Object.fromEntries(measured.samples.other),
          functions: Object.fromEntries(measured.samples.functions),
        },
      },
    ]),
  );
  writeFileSync(
    join(dir, `${name}.json`),
    `${JSON.stringify({ frequencyHz: options.frequency, results: json }, null, 2)}\n`,
  );
  process.stderr.write(`wrote bench/results/${name}.md and bench/results/${name}.json\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:layers failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});

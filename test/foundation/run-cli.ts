/**
 * Runs the real `switchyard` command (`bin/switchyard.js`, which loads the compiled `dist/`) as a
 * child process, the way a user does. `npm test` builds `dist/` before the tests run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock } from '../../src/core/clock.js';

const BIN = resolve(import.meta.dirname, '../../bin/switchyard.js');
const COMPILED_CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');

function spawnCli(args: string[], options: { env?: Record<string, string>; stdin: boolean }): ChildProcess {
  if (!existsSync(COMPILED_CLI)) throw new Error(`${COMPILED_CLI} is missing: run \`npm run build\` first`);
  return spawn(process.execPath, [BIN, ...args], {
    env: childEnvironment(options.env),
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}

/** How a finished command ended and what it printed. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Written to the child's standard input, which is then closed. */
  stdin?: string;
  /** Added to the environment (every SWITCHYARD_* variable of the test process is removed first). */
  env?: Record<string, string>;
  /** The child is killed after this long. Default 15 s. */
  timeoutMs?: number;
}

// The test's own environment must not configure the gateway under test (every setting is a variable).
function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHYARD_')),
  );
  return { ...environment, NO_COLOR: '1', ...extra };
}

function collect(child: ChildProcess, timeoutMs: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const cancel = systemClock.after(timeoutMs, () => child.kill('SIGKILL'));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      cancel();
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `switchyard ...args` to completion. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, { env: options.env, stdin: true });
  child.stdin?.end(options.stdin ?? '');
  return collect(child, options.timeoutMs ?? 15_000);
}

/** A `switchyard start` child process that has printed its banner. */
export interface CliGateway {
  url: string;
  apiKey: string;
  /** Everything printed on standard output until the banner was complete. */
  banner: string;
  child: ChildProcess;
  /** Resolves when the child exits (with everything it printed). */
  exited: Promise<CliResult>;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

/** Starts `switchyard start --data-dir DIR --port 0 ...extraArgs` and waits for the banner. */
export async function startCliGateway(options: {
  dataDir: string;
  extraArgs?: string[];
  env?: Record<string, string>;
}): Promise<CliGateway> {
  const args = ['start', '--data-dir', options.dataDir, '--port', '0', ...(options.extraArgs ?? [])];
  const child = spawnCli(args, { env: options.env, stdin: false });
  const exited = collect(child, 60_000);
  let output = '';
  const banner = await new Promise<string>((resolvePromise, reject) => {
    const onData = (chunk: string) => {
      output += chunk;
      if (output.includes('Press Ctrl-C to stop.')) {
        child.stdout?.off('data', onData);
        resolvePromise(output);
      }
    };
    child.stdout?.on('data', onData);
    exited.then((result) =>
      reject(new Error(`switchyard start exited with ${result.code} before listening: ${result.stderr}`)),
    );
  });
  const url = /Proxy base URL:\s+(http:\/\/\S+)/.exec(banner)?.[1];
  const apiKey = /API key:\s+(\S+)/.exec(banner)?.[1];
  if (!url || !apiKey) throw new Error(`unexpected banner:\n${banner}`);
  return {
    url,
    apiKey,
    banner,
    child,
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A fresh temporary directory and the function that removes it. */
export async function temporaryDirectory(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'switchyard-foundation-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * `switchyard demo` as a user runs it: the compiled CLI (`npm test` builds dist/ first) as a child
 * process, queried through its admin API while its simulated clients run, then stopped with Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { httpCall } from '../support/http-call.js';

const BIN = resolve(import.meta.dirname, '../../bin/switchyard.js');
const COMPILED_CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');

interface LogEntry {
  status: number;
  account_email: string | null;
  session_id: string | null;
  attempts: number;
  accounts_tried: string[];
}

interface RunningDemo {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let demo: RunningDemo | undefined;
afterAll(() => {
  if (demo && demo.child.exitCode === null) demo.child.kill('SIGKILL');
});

function startDemo(args: string[]): RunningDemo {
  if (!existsSync(COMPILED_CLI)) throw new Error(`${COMPILED_CLI} is missing: run \`npm run build\` first`);
  const environment: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete environment['SWITCHYARD_HOME'];
  const child = spawn(process.execPath, [BIN, 'demo', ...args], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) =>
    child.on('close', (code, signal) => resolvePromise({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Polls `probe` every 250 ms until it returns a value, or fails after `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = systemClock.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (systemClock.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await systemClock.sleep(250);
  }
}

describe('switchyard demo', () => {
  it('serves simulated conversations from several accounts, rotates on 429, and cleans up on Ctrl-C', async () => {
    demo = startDemo(['--port', '0', '--rate', '20']);
    const running = demo;
    const banner = await eventually(async () => {
      if (running.child.exitCode !== null) throw new Error(`demo exited early:\n${running.output()}`);
      return running.output().includes('Press Ctrl-C to stop.') ? running.output() : undefined;
    }, 15_000);
    const url = /Web UI:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(banner)?.[1];
    const apiKey = /API key:\s+(sk-\S+)/.exec(banner)?.[1];
    const dataDir = /Data directory:\s+(\S+)/.exec(banner)?.[1];
    expect(url && apiKey && dataDir, banner).toBeTruthy();
    expect(existsSync(dataDir ?? '')).toBe(true);
    expect(banner).toMatch(/ultra@demo ULTRA .*pro@demo PRO .*free-1@demo FREE .*free-2@demo FREE/);
    const admin = { authorization: `Bearer ${apiKey}` };

    const { logs, locks } = await eventually(async () => {
      const page = await httpCall(`${url}/api/logs?limit=500`, { headers: admin });
      const entries = (page.json as { logs: LogEntry[] }).logs;
      const limits = await httpCall(`${url}/api/proxy/rate-limits`, { headers: admin });
      const active = (limits.json as { rate_limits: Array<{ account_email: string }> }).rate_limits;
      const served = new Set(
        entries.filter((entry) => entry.status === 200).map((entry) => entry.account_email),
      );
      const rotated = entries.some((entry) => entry.attempts >= 2) || active.length > 0;
      return served.size >= 2 && rotated ? { logs: entries, locks: active } : undefined;
    }, 20_000);

    // Sticky sessions: the conversations carry session ids and are spread over several accounts.
    expect(new Set(logs.map((entry) => entry.session_id)).size).toBeGreaterThanOrEqual(2);
    expect(logs.every((entry) => entry.session_id?.startsWith('sid-'))).toBe(true);
    // A 429 from the simulated upstream either moved a request on (attempts ≥ 2) or left a lock.
    const rotations = logs.filter((entry) => entry.attempts >= 2 && entry.accounts_tried.length >= 2);
    expect(rotations.length + locks.length).toBeGreaterThan(0);

    running.child.kill('SIGINT');
    const exit = await running.exited;
    expect(exit, running.output()).toEqual({ code: 0, signal: null });
    expect(existsSync(dataDir ?? '')).toBe(false);
  });

  it('refuses an invalid rate with a clear message', async () => {
    const run = startDemo(['--rate', '0']);
    const exit = await run.exited;
    expect(exit.code).not.toBe(0);
    expect(run.output()).toMatch(/--rate.*must be a number above 0/);
  });
});

/**
 * Process plumbing for the throwaway test services (`services.ts`): finding binaries, free ports,
 * running a command as the `postgres` user when we are root, signalling a whole process tree, and
 * killing every server still running when the test process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import path from 'node:path';
import { systemClock } from '../../src/core/clock.js';

/** The Debian packages that provide each binary, for the install hint. */
const PACKAGE_OF: Record<string, string> = {
  'redis-server': 'redis-server',
  initdb: 'postgresql',
  pg_ctl: 'postgresql',
  postgres: 'postgresql',
};

/**
 * The absolute path of `name`: the first match on PATH, then in `/usr/lib/postgresql/<version>/bin`
 * (newest version first), where Debian keeps the PostgreSQL server binaries off PATH.
 * Throws with the exact install command when it is nowhere.
 */
export function findBinary(name: string): string {
  const directories = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  for (const directory of [...directories, ...postgresBinDirectories()]) {
    const candidate = path.join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  const pkg = PACKAGE_OF[name] ?? name;
  throw new Error(
    `${name} was not found on PATH or in /usr/lib/postgresql/*/bin. Install it with:\n` +
      `  sudo apt-get update && sudo apt-get install -y ${pkg}`,
  );
}

function postgresBinDirectories(): string[] {
  const root = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = readdirSync(root);
  } catch {
    return [];
  }
  return versions
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(root, version, 'bin'));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const isRoot = process.getuid?.() === 0;

/**
 * `command args` as the `postgres` user when running as root (initdb and postgres refuse to run as
 * root), else as ourselves. Resolves with the output; rejects with it when the exit code is not 0.
 */
export function runCommand(command: string, args: string[], options: { asPostgres?: boolean } = {}) {
  const [file, argv] =
    options.asPostgres && isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return new Promise<string>((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** `pid` and every process descended from it (read from /proc), parents first. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid ...": comm may contain spaces, so split after the last ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const tree: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.shift() as number;
    tree.push(next);
    pending.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** Sends `signal` to `pid` and its descendants; processes that already exited are ignored. */
export function signalTree(pid: number, signal: NodeJS.Signals): void {
  for (const member of processTree(pid)) {
    try {
      process.kill(member, signal);
    } catch {
      // Gone already.
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` every 20 ms until it returns true; throws `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = systemClock.now() + timeoutMs;
  while (!(await check())) {
    if (systemClock.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await systemClock.sleep(20);
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` and answers `probe` with `expect`. */
export function answers(port: number, probe: string, expect: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let received = '';
    const done = (result: boolean) => {
      cancel();
      socket.destroy();
      resolve(result);
    };
    const cancel = systemClock.after(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      if (received.includes(expect)) done(true);
    });
    socket.connect(port, '127.0.0.1', () => {
      if (probe) socket.write(probe);
      else done(true);
    });
  });
}

/** Spawns a long-running server process with its output kept for error messages. */
export function spawnServer(command: string, args: string[], options: { cwd: string }) {
  const child: ChildProcess = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** Pids to SIGKILL if the test process exits without stopping its servers (a crash, a timeout). */
const orphans = new Set<() => number | null>();
let exitHookInstalled = false;

/** Makes sure the server whose main pid `pid()` returns does not outlive this process. */
export function killOnExit(pid: () => number | null): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const current of orphans) {
        const value = current();
        if (value !== null) signalTree(value, 'SIGKILL');
      }
    });
  }
  orphans.add(pid);
  return () => orphans.delete(pid);
}

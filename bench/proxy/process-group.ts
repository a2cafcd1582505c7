import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Clock } from '../../src/core/clock.js';

export interface ServerProcessOptions {
  /** Shown in errors and the report. */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ready when this matches the output (stdout and stderr); its groups are kept as `ready`. */
  readyPattern?: RegExp;
  /** Or ready once this resolves true; polled every 100 ms. */
  probe?: () => Promise<boolean>;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
}

/** One server child process: its pid, what its ready line said, its memory, and how to stop it. */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** The match of `readyPattern`, or null when readiness came from `probe`. */
  readonly ready: RegExpMatchArray | null;
  /** Peak resident set size so far (VmHWM from /proc), in MB; null once exited or off Linux. */
  peakRssMb(): number | null;
  /** Resident set size now (VmRSS from /proc), in MB; null once exited or off Linux. */
  rssMb(): number | null;
  /** User + system CPU time used so far, in seconds; null once exited or off Linux. */
  cpuSeconds(): number | null;
  /** The last few kilobytes the process printed. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

const OUTPUT_KEEP = 8192;

/**
 * Starts server child processes and makes sure none outlives the benchmark: `stopAll` stops them in
 * order, and a process `exit` hook SIGKILLs whatever is left when the benchmark dies on an error.
 */
export class ProcessGroup {
  private readonly children = new Set<ChildProcess>();
  private readonly killLeftovers = () => {
    for (const child of this.children) child.kill('SIGKILL');
  };

  constructor(private readonly clock: Clock) {
    process.on('exit', this.killLeftovers);
  }

  async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    let output = '';
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        this.children.delete(child);
        resolve();
      }),
    );
    const ready = new Promise<RegExpMatchArray | null>((resolve) => {
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP);
        const match = options.readyPattern ? output.match(options.readyPattern) : null;
        if (match) resolve(match);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
    });
    const server: ServerProcess = {
      name: options.name,
      pid: child.pid ?? -1,
      ready: null,
      peakRssMb: () => (child.exitCode === null ? readPeakRssMb(child.pid ?? -1) : null),
      rssMb: () => (child.exitCode === null ? readRssMb(child.pid ?? -1, 'VmRSS') : null),
      cpuSeconds: () => (child.exitCode === null ? readCpuSeconds(child.pid ?? -1) : null),
      output: () => output,
      stop: () => this.stopChild(child, exited),
    };
    try {
      const match = await this.waitUntilReady({ options, ready, exited });
      return { ...server, ready: match };
    } catch (error) {
      await server.stop();
      throw new Error(`${options.name} did not start: ${(error as Error).message}\n${output.slice(-2000)}`);
    }
  }

  /** Stops every process still running, in start order. */
  async stopAll(): Promise<void> {
    for (const child of [...this.children]) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await this.stopChild(child, gone);
    }
    process.off('exit', this.killLeftovers);
  }

  private async waitUntilReady(state: {
    options: ServerProcessOptions;
    ready: Promise<RegExpMatchArray | null>;
    exited: Promise<void>;
  }): Promise<RegExpMatchArray | null> {
    const { options } = state;
    const deadline = this.clock.now() + (options.timeoutMs ?? 30_000);
    let exited = false;
    void state.exited.then(() => {
      exited = true;
    });
    if (options.readyPattern) {
      let cancel = () => {};
      const timedOut = new Promise<never>((_, reject) => {
        cancel = this.clock.after(deadline - this.clock.now(), () => reject(new Error('timed out')));
      });
      const died = state.exited.then(() => Promise.reject(new Error('exited before it was ready')));
      // A later, normal exit must not surface as an unhandled rejection.
      died.catch(() => {});
      try {
        return await Promise.race([state.ready, timedOut, died]);
      } finally {
        cancel();
      }
    }
    for (;;) {
      if (exited) throw new Error('exited before it was ready');
      if (await (options.probe?.() ?? Promise.resolve(false)).catch(() => false)) return null;
      if (this.clock.now() > deadline) throw new Error('timed out');
      await this.clock.sleep(100);
    }
  }

  private async stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const cancel = this.clock.after(5000, () => child.kill('SIGKILL'));
    await exited;
    cancel();
  }
}

/**
 * Several server processes seen as one (the instances of a cluster row): CPU time and memory are
 * the sums over the members (peak RSS: the sum of each member's peak), null when any member's is;
 * `pid` is the first member's; `stop` stops them all.
 */
export function processSet(name: string, members: readonly ServerProcess[]): ServerProcess {
  const sum = (read: (member: ServerProcess) => number | null) => {
    let total = 0;
    for (const member of members) {
      const value = read(member);
      if (value === null) return null;
      total += value;
    }
    return total;
  };
  return {
    name: `${name} (pids ${members.map((member) => member.pid).join(', ')})`,
    pid: members[0]?.pid ?? -1,
    ready: null,
    peakRssMb: () => sum((member) => member.peakRssMb()),
    rssMb: () => sum((member) => member.rssMb()),
    cpuSeconds: () => sum((member) => member.cpuSeconds()),
    output: () => members.map((member) => `${member.name}:\n${member.output()}`).join('\n'),
    stop: async () => {
      await Promise.all(members.map((member) => member.stop()));
    },
  };
}

/** VmHWM of /proc/<pid>/status in MB, or null when it cannot be read. */
export function readPeakRssMb(pid: number): number | null {
  return readRssMb(pid, 'VmHWM');
}

/** A memory field of /proc/<pid>/status (VmHWM: peak, VmRSS: now) in MB, or null when it cannot be read. */
export function readRssMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1];
    return kilobytes === undefined ? null : Number(kilobytes) / 1024;
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc/<pid>/stat times: USER_HZ, 100 on every mainstream Linux. */
const USER_HZ = 100;

/** utime and stime of a /proc `stat` file's text, in seconds. */
function statTimes(stat: string): { user: number; system: number } {
  // Fields after the command name, which may itself contain spaces: state is [0], utime [11], stime [12].
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / USER_HZ, system: Number(fields[12]) / USER_HZ };
}

/** utime + stime of /proc/<pid>/stat in seconds, or null when it cannot be read. */
export function readCpuSeconds(pid: number): number | null {
  try {
    const { user, system } = statTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return user + system;
  } catch {
    return null;
  }
}

/** CPU time so far of a process's threads, s: its main thread and all others, user and system apart. */
export interface ThreadCpu {
  main: { user: number; system: number };
  other: { user: number; system: number };
}

/** User and system time of every thread together, in the unit of `cpu`. */
export function totalCpu(cpu: ThreadCpu): number {
  return cpu.main.user + cpu.main.system + cpu.other.user + cpu.other.system;
}

/**
 * Per-thread CPU of `pid` from /proc/<pid>/task/<tid>/stat, or null when it cannot be read. Threads
 * that ended before the call are not counted: read it while the process runs, before and after.
 */
export function readThreadCpu(pid: number): ThreadCpu | null {
  try {
    const cpu: ThreadCpu = { main: { user: 0, system: 0 }, other: { user: 0, system: 0 } };
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let times: { user: number; system: number };
      try {
        times = statTimes(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      } catch {
        continue; // the thread ended meanwhile
      }
      const into = tid === String(pid) ? cpu.main : cpu.other;
      into.user += times.user;
      into.system += times.system;
    }
    return cpu;
  } catch {
    return null;
  }
}

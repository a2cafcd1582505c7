/** The resident set size (RSS) of another process, for tests that watch a gateway child's memory. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** RSS of process `pid` in bytes: `/proc/<pid>/status` on Linux, `ps` elsewhere. */
export async function residentSetBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kilobytes) return Number(kilobytes) * 1024;
  } catch {
    // not Linux: ask ps
  }
  const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
  const kilobytes = Number(stdout.trim());
  if (!Number.isFinite(kilobytes) || kilobytes <= 0) throw new Error(`no RSS for process ${pid}`);
  return kilobytes * 1024;
}

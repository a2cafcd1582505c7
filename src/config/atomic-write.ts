import { open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomHex } from '../core/ids.js';

export interface WriteFileAtomicOptions {
  /**
   * Permission bits of the written file. Default: the mode of the file being replaced, or
   * 0o666 minus the umask for a new file.
   */
  mode?: number;
}

/**
 * Replaces the file at `path` with `data` so that readers see either the old or the new content,
 * never a mix, and a crash leaves one of the two on disk: the data goes to a temporary file in the
 * same directory, is fsynced, renamed over the target, and the directory is fsynced so the rename
 * itself is durable. The temporary file is removed when any step fails. A symlink at `path` is
 * followed, so the file it points to is replaced and the link stays.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const target = await resolveTarget(path);
  const directory = dirname(target);
  // Tagged with the writer's process id, so a leftover of a killed writer can be told apart.
  const temporary = join(directory, `.${basename(target)}.${process.pid}.${randomHex(6)}.tmp`);
  const mode = options.mode ?? (await existingMode(target));
  try {
    const handle = await open(temporary, 'wx', mode ?? 0o666);
    try {
      await handle.writeFile(data);
      // open() applies the umask; an explicit or inherited mode must hold exactly.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** Whether process `pid` runs (EPERM: it does, under another user). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrorCode(error, 'EPERM');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes the temporary files that a write of `path` left behind when its process died between
 * creating one and renaming it over the target (a crash or `kill -9`): `.<name>.<pid>.<hex>.tmp`
 * from `writeFileAtomic`, `<name>.<pid>.<hex>.tmp` from the secret key's creation. Files of a
 * process that still runs stay: it may be in the middle of a write. Untagged ones (older versions)
 * always go. Returns how many were removed; a directory that does not exist has none.
 */
export async function removeLeftoverTemporaryFiles(path: string): Promise<number> {
  const target = await resolveTarget(path);
  const directory = dirname(target);
  const pattern = new RegExp(`^\\.?${escapeRegExp(basename(target))}\\.(?:(\\d+)\\.)?[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names) {
    const writer = pattern.exec(name);
    if (!writer || (writer[1] !== undefined && isRunning(Number(writer[1])))) continue;
    await rm(join(directory, name), { force: true });
    removed++;
  }
  return removed;
}

async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return path;
    throw error;
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) and file systems cannot open or fsync a directory; the rename has
    // happened, only its durability across a power loss is weaker there.
    if (!isErrorCode(error, 'EISDIR', 'EPERM', 'EINVAL', 'EACCES')) throw error;
  } finally {
    await handle?.close();
  }
}

function isErrorCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String(error.code));
}

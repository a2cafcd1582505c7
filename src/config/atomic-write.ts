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
  const temporary = join(directory, `.${basename(target)}.${randomHex(6)}.tmp`);
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

/** Temporary files younger than this may belong to a write in progress (another process). */
const STALE_TEMPORARY_AGE_MS = 60_000;

/**
 * Removes the temporary files interrupted writes left beside `path`: `.<name>.<hex>.tmp` (from
 * `writeFileAtomic`) and `<name>.<pid>.<hex>.tmp` (the secret key's creation), when they are older
 * than a minute by `now` — a younger one may be another process's write in progress. Call at start.
 * Returns the names removed; a file that cannot be removed is left and not reported.
 */
export async function removeStaleTemporaryFiles(path: string, options: { now: number }): Promise<string[]> {
  const directory = dirname(path);
  const name = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.?${name}(\\.[0-9a-f]+){1,2}\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return [];
    throw error;
  }
  const removed: string[] = [];
  for (const candidate of names.filter((entry) => pattern.test(entry))) {
    const file = join(directory, candidate);
    try {
      const info = await stat(file);
      if (!info.isFile() || options.now - info.mtimeMs < STALE_TEMPORARY_AGE_MS) continue;
      await rm(file, { force: true });
      removed.push(candidate);
    } catch {
      // gone meanwhile, or not ours to remove: leave it
    }
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

/**
 * Makes sure `dist/ui` holds a build of the current UI sources: builds it (vite) when it is missing
 * or older than any file under `ui/`. `npm test` builds before the tests, so this is a no-op there;
 * it matters when the UI tests are run on their own. Test files run in parallel, so the check and
 * the build happen under a lock directory: one file builds, the others wait and reuse the result.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '../../../src/core/clock.js';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 120_000;
const LOCK_POLL_MS = 200;

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(packageDir: string): boolean {
  const index = join(packageDir, 'dist', 'ui', 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestMtime(join(packageDir, 'ui'));
}

/** Runs `task` while holding the lock directory `lock`; a lock older than the build timeout is broken. */
async function withLock<T>(lock: string, task: () => Promise<T>): Promise<T> {
  const giveUpAt = systemClock.now() + BUILD_TIMEOUT_MS + 30_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age =
        systemClock.now() -
        (await stat(lock).then(
          (found) => found.mtimeMs,
          () => 0,
        ));
      if (age > BUILD_TIMEOUT_MS) await rm(lock, { recursive: true, force: true });
      if (systemClock.now() > giveUpAt) throw new Error(`Timed out waiting for the UI build lock ${lock}`);
      await systemClock.sleep(LOCK_POLL_MS);
    }
  }
  try {
    return await task();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The directory of the up-to-date UI build (`<packageDir>/dist/ui`). */
export async function ensureUiBuilt(packageDir: string = process.cwd()): Promise<string> {
  if (isStale(packageDir)) {
    await mkdir(join(packageDir, 'dist'), { recursive: true });
    await withLock(join(packageDir, 'dist', '.ui-build.lock'), async () => {
      if (!isStale(packageDir)) return;
      const vite = join(packageDir, 'node_modules', '.bin', 'vite');
      await run(vite, ['build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'], {
        cwd: packageDir,
        timeout: BUILD_TIMEOUT_MS,
        // vitest sets NODE_ENV=test, which would make vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      });
    });
  }
  return join(packageDir, 'dist', 'ui');
}

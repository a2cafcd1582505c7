/**
 * Makes sure `dist/ui` holds a build of the current UI sources: builds it (vite) when it is missing
 * or older than any file under `ui/`. `npm test` builds before the tests, so this is a no-op there;
 * it matters when the UI tests are run on their own.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function ensureUiBuilt(packageDir: string = process.cwd()): Promise<string> {
  const outDir = join(packageDir, 'dist', 'ui');
  const index = join(outDir, 'index.html');
  const stale = !existsSync(index) || statSync(index).mtimeMs < newestMtime(join(packageDir, 'ui'));
  if (stale) {
    await run(
      join(packageDir, 'node_modules', '.bin', 'vite'),
      ['build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: packageDir,
        timeout: 120_000,
      },
    );
  }
  return outDir;
}

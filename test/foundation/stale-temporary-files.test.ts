import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { startGateway } from '../support/gateway-harness.js';

/** A process id no process has now: the temporary file of a writer that is gone. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid -= 1) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

it('removes the temporary files of writes a crash interrupted when the gateway starts', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-stale-'));
  try {
    const hourAgo = new Date(systemClock.now() - 3_600_000);
    for (const name of ['.gui_config.json.a1b2c3d4e5f6.tmp', `secret.key.${deadPid()}.deadbeef.tmp`]) {
      await writeFile(join(dataDir, name), 'partial');
      await utimes(join(dataDir, name), hourAgo, hourAgo);
    }
    const gateway = await startGateway({ dataDir });
    await gateway.close();
    expect((await readdir(dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

/**
 * The Redis and PostgreSQL clients are loaded only by an instance whose config asks for them: a
 * gateway on in-process state and SQLite (the default) serves without ever loading `ioredis` or
 * `pg`, and so does not pay for them in memory. A preloaded probe writes the modules the process
 * loaded when it exits.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { httpCall } from '../support/http-call.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import { runCli, startCliGateway, temporaryDirectory } from './run-cli.js';

it('a gateway on in-process state and SQLite never loads the Redis or PostgreSQL client', async () => {
  const data = await temporaryDirectory();
  const probeDir = await temporaryDirectory();
  const upstream = await startMockUpstream();
  try {
    const report = join(probeDir.path, 'loaded.json');
    const probe = join(probeDir.path, 'probe.cjs');
    await writeFile(
      probe,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require('node:module')._cache))));\n`,
    );
    const added = await runCli([
      'accounts',
      'add',
      '--provider',
      'openai',
      '--email',
      'a@example.com',
      '--api-key',
      'sk-a',
      '--base-url',
      `${upstream.url}/v1`,
      '--data-dir',
      data.path,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const gateway = await startCliGateway({
      dataDir: data.path,
      extraArgs: ['--log-level', 'warn'],
      env: { NODE_OPTIONS: `--require ${probe}` },
    });
    const answer = await httpCall(`${gateway.url}/v1/chat/completions`, {
      body: sampleChat('hello'),
      headers: { authorization: `Bearer ${gateway.apiKey}` },
    });
    expect(answer.status, answer.text).toBe(200);
    expect((await gateway.stop()).code).toBe(0);

    const loaded = JSON.parse(await readFile(report, 'utf8')) as string[];
    // The probe sees the packages the ESM code loads: the SQLite driver is among them.
    expect(loaded.some((path) => path.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(loaded.filter((path) => /\/node_modules\/(ioredis|pg)\//.test(path))).toEqual([]);
  } finally {
    await upstream.close();
    await data.remove();
    await probeDir.remove();
  }
}, 60_000);

/**
 * Issue 2, "Done when", as one story: a new user starts the gateway with the real command, adds two
 * accounts through the CLI and one through the admin API, sees them masked, edits gui_config.json
 * by hand and sees the change within a second, and cannot read the secrets in switchyard.db.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import type { PublicAccount } from '../../src/admin/account-contracts.js';
import { httpCall, pick } from '../support/http-call.js';
import { type CliGateway, runCli, startCliGateway, temporaryDirectory } from './run-cli.js';

const SECRETS = {
  cli1: 'sk-done-when-cli-one-0123456789abcdef',
  cli2: 'sk-ant-done-when-cli-two-fedcba987654',
  api: 'AIza-done-when-api-three-00112233445566',
};

let gateway: CliGateway | undefined;
let removeDirectory: (() => Promise<void>) | undefined;

afterEach(async () => {
  await gateway?.stop('SIGKILL');
  await removeDirectory?.();
});

it('a new user runs the gateway, adds accounts three ways, edits the config, and the secrets stay secret', async () => {
  const directory = await temporaryDirectory();
  removeDirectory = directory.remove;
  const dataDir = join(directory.path, 'switchyard-home');
  gateway = await startCliGateway({ dataDir, extraArgs: ['--log-level', 'warn'] });
  const { url, apiKey } = gateway;
  const adminHeaders = { authorization: `Bearer ${apiKey}` };

  const first = await runCli(
    [
      'accounts',
      'add',
      '--provider',
      'openai',
      '--email',
      'me@work.com',
      '--api-key',
      '-',
      '--data-dir',
      dataDir,
    ],
    { stdin: `${SECRETS.cli1}\n` },
  );
  expect(first.code).toBe(0);
  const second = await runCli([
    'accounts',
    'add',
    '--provider',
    'anthropic',
    '--email',
    'me@home.com',
    '--api-key',
    SECRETS.cli2,
    '--data-dir',
    dataDir,
  ]);
  expect(second.code).toBe(0);
  const third = await httpCall(`${url}/api/accounts`, {
    headers: adminHeaders,
    body: { provider: 'gemini', email: 'alt@gmail.com', api_key: SECRETS.api, tier: 'PRO' },
  });
  expect(third.status).toBe(201);

  let listed = '';
  await vi.waitFor(
    async () => {
      const response = await httpCall(`${url}/api/accounts`, { headers: adminHeaders });
      listed = response.text;
      const accounts = pick(response.json, 'accounts') as PublicAccount[];
      expect(accounts.map((account) => [account.email, account.credential.masked])).toEqual([
        ['me@work.com', 'sk-…cdef'],
        ['me@home.com', 'sk-…7654'],
        ['alt@gmail.com', 'AIz…5566'],
      ]);
    },
    { timeout: 1500, interval: 50 },
  );
  expect(Object.values(SECRETS).filter((secret) => listed.includes(secret))).toEqual([]);

  const configPath = join(dataDir, 'gui_config.json');
  const document = JSON.parse(await readFile(configPath, 'utf8')) as { proxy: Record<string, unknown> };
  document.proxy['scheduling'] = { mode: 'CacheFirst', max_wait_seconds: 30 };
  await writeFile(configPath, JSON.stringify(document, null, 2));
  await vi.waitFor(
    async () => {
      const config = (await httpCall(`${url}/api/config`, { headers: adminHeaders })).json;
      expect(pick(config, 'proxy', 'scheduling')).toEqual({ mode: 'CacheFirst', max_wait_seconds: 30 });
    },
    { timeout: 1000, interval: 20 },
  );

  // What `sqlite3 switchyard.db 'select credential from accounts'` would show.
  const connection = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
  const rows = connection.prepare('SELECT email, credential FROM accounts').all() as Array<{
    credential: string;
  }>;
  connection.close();
  expect(rows).toHaveLength(3);
  const stored = JSON.stringify(rows);
  expect(Object.values(SECRETS).filter((secret) => stored.includes(secret))).toEqual([]);

  const stopped = await gateway.stop('SIGTERM');
  expect(stopped.code).toBe(0);
  gateway = undefined;
});

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublicAccount } from '../../src/admin/account-contracts.js';
import { runCli, temporaryDirectory } from '../foundation/run-cli.js';
import { startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';

let dataDir: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ path: dataDir, remove: removeDir } = await temporaryDirectory());
});
afterEach(() => removeDir());

/** One file of the reference's `accounts/` folder. */
function referenceFile(email: string, refreshToken: string, extra: Record<string, unknown> = {}) {
  return {
    id: `${email}-uuid`,
    email,
    name: email.split('@')[0],
    token: {
      access_token: 'ya29.a0-example',
      refresh_token: refreshToken,
      expires_in: 3599,
      expiry_timestamp: 1_767_225_600,
      token_type: 'Bearer',
      project_id: `project-of-${email.split('@')[0]}`,
    },
    quota: { models: [], is_forbidden: false },
    disabled: false,
    created_at: 1_767_225_000,
    last_used: 1_767_225_000,
    ...extra,
  };
}

async function listAccounts(): Promise<PublicAccount[]> {
  const listed = await runCli(['accounts', 'list', '--json', '--data-dir', dataDir]);
  return (JSON.parse(listed.stdout) as { accounts: PublicAccount[] }).accounts;
}

describe('switchyard accounts import DIR', () => {
  it("imports every *.json file of the reference's accounts/ folder as Code Assist OAuth accounts", async () => {
    const folder = join(dataDir, 'reference-accounts');
    await mkdir(folder);
    await writeFile(
      join(folder, '1.json'),
      JSON.stringify(referenceFile('one@gmail.com', '1//refresh-one-abcdef')),
    );
    await writeFile(
      join(folder, '2.json'),
      JSON.stringify(referenceFile('two@gmail.com', '1//refresh-two-abcdef')),
    );

    const result = await runCli(['accounts', 'import', folder, '--data-dir', dataDir]);

    expect(result.stderr).toMatch(/^warning: 2 imported code-assist account\(s\) cannot refresh/);
    expect(result.stdout).toBe(`Imported 2 new and updated 0 existing account(s) from ${folder}\n`);
    const accounts = await listAccounts();
    const rows = accounts.map((account) => [account.email, account.provider, account.credential.type]);
    expect(rows.sort()).toEqual([
      ['one@gmail.com', 'code-assist', 'oauth'],
      ['two@gmail.com', 'code-assist', 'oauth'],
    ]);
  });

  it('re-enables an account disabled for invalid_grant when the folder brings a new token', async () => {
    const folder = join(dataDir, 'reference-accounts');
    await mkdir(folder);
    await writeFile(
      join(folder, 'a.json'),
      JSON.stringify(referenceFile('a@gmail.com', '1//old-token-abcdef')),
    );
    await runCli(['accounts', 'import', folder, '--data-dir', dataDir]);
    const disabled = await runCli([
      'accounts',
      'disable',
      'a@gmail.com',
      '--reason',
      'invalid_grant: Token has been expired or revoked.',
      '--data-dir',
      dataDir,
    ]);
    expect(disabled.code).toBe(0);
    await writeFile(
      join(folder, 'a.json'),
      JSON.stringify(referenceFile('a@gmail.com', '1//new-token-abcdef')),
    );

    const result = await runCli(['accounts', 'import', folder, '--data-dir', dataDir]);

    expect(result.stdout).toContain('Imported 0 new and updated 1 existing account(s)');
    expect((await listAccounts())[0]).toMatchObject({ disabled: false, disabled_reason: null });
  });

  it('says so when the folder has no JSON files', async () => {
    const folder = join(dataDir, 'empty');
    await mkdir(folder);

    const result = await runCli(['accounts', 'import', folder, '--data-dir', dataDir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`switchyard: No *.json files in ${folder}\n`);
  });
});

describe('switchyard accounts login', () => {
  it('explains that an OAuth client must be configured, without contacting anyone', async () => {
    const result = await runCli(['accounts', 'login', '--provider', 'code-assist', '--data-dir', dataDir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('switchyard oauth client add --provider code-assist');
  });
});

describe('switchyard oauth client', () => {
  const configFile = async () =>
    JSON.parse(await readFile(join(dataDir, 'gui_config.json'), 'utf8')) as {
      oauth?: { clients?: Record<string, unknown> };
    };
  const oauth = (...args: string[]) => runCli(['oauth', 'client', ...args, '--data-dir', dataDir]);

  it('adds a client with its secret from standard input, lists it masked, and removes it', async () => {
    const added = await runCli(
      [
        'oauth',
        'client',
        'add',
        '--provider',
        'code-assist',
        '--client-id',
        'one.apps.example',
        '--client-secret',
        '-',
        '--data-dir',
        dataDir,
      ],
      { stdin: 'GOCSPX-secret-one\n' },
    );
    const second = await oauth(
      'add',
      '--provider',
      'code-assist',
      '--client-id',
      'two.apps.example',
      '--name',
      'antigravity',
    );
    const listed = await oauth('list');

    expect(added.stderr).toBe('');
    expect(added.stdout).toBe(
      'Added OAuth client one.apps.example for code-assist (refreshes try: one.apps.example; sign-in uses the first)\n',
    );
    expect(second.stdout).toContain('(refreshes try: one.apps.example, antigravity; sign-in uses the first)');
    expect((await configFile()).oauth?.clients).toEqual({
      'code-assist': [
        { client_id: 'one.apps.example', client_secret: 'GOCSPX-secret-one' },
        { client_id: 'two.apps.example', name: 'antigravity' },
      ],
    });
    expect((await stat(join(dataDir, 'gui_config.json'))).mode & 0o077).toBe(0);
    expect(listed.stdout).not.toContain('GOCSPX');
    expect(
      listed.stdout
        .split('\n')
        .slice(1, 3)
        .map((line) => line.split(/\s+/).slice(0, 5)),
    ).toEqual([
      ['code-assist', '1', '-', 'one.apps.example', 'set'],
      ['code-assist', '2', 'antigravity', 'two.apps.example', '-'],
    ]);

    const first = await oauth(
      'add',
      '--provider',
      'code-assist',
      '--client-id',
      'two.apps.example',
      '--first',
    );
    expect(first.stdout).toContain('Updated OAuth client two.apps.example');
    expect((await configFile()).oauth?.clients?.['code-assist']).toEqual([
      { client_id: 'two.apps.example' },
      { client_id: 'one.apps.example', client_secret: 'GOCSPX-secret-one' },
    ]);

    expect((await oauth('remove', 'one.apps.example', '--provider', 'code-assist')).code).toBe(0);
    expect((await oauth('remove', 'two.apps.example', '--provider', 'code-assist')).stdout).toBe(
      'Removed OAuth client two.apps.example from code-assist (0 left)\n',
    );
    expect((await configFile()).oauth?.clients).toEqual({});
    // Seven runs of the real CLI: a busy machine needs more than the default 20 s.
  }, 90_000);

  it('is picked up by a running gateway: sign-in becomes available without a restart', async () => {
    const gateway = await startGateway({ dataDir });
    try {
      const features = async () =>
        pick((await gateway.call('GET', '/api/proxy/status')).json, 'features', 'oauth_login');
      expect(await features()).toEqual([]);

      await oauth('add', '--provider', 'code-assist', '--client-id', 'live.apps.example');

      await expect.poll(features, { timeout: 5000 }).toEqual(['code-assist']);
    } finally {
      await gateway.close();
    }
  });

  it('refuses bad input with a clear message and adds no client', async () => {
    const provider = await oauth('add', '--provider', 'openai', '--client-id', 'x');
    const url = await oauth('add', '--provider', 'gemini', '--client-id', 'x', '--token-url', 'ftp://nope');
    const unknown = await oauth('remove', 'nobody', '--provider', 'gemini');

    expect(provider.stderr).toBe('switchyard: --provider must be one of code-assist, gemini\n');
    expect(url.code).toBe(1);
    expect(url.stderr).toContain('oauth.clients.gemini[0].token_url: must be an http(s) URL');
    expect(unknown.stderr).toBe(
      'switchyard: No OAuth client "nobody" for gemini (see: switchyard oauth client list)\n',
    );
    expect((await configFile()).oauth?.clients).toEqual({});
  });
});

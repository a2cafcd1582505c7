import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublicAccount } from '../../src/store/public-account.js';
import { runCli, temporaryDirectory } from '../foundation/run-cli.js';

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

    expect(result.stderr).toBe('');
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

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PublicAccount } from '../../src/admin/account-contracts.js';
import { systemClock } from '../../src/core/clock.js';
import type { ExportDocument, ExportedAccount } from '../../src/store/account-export.js';
import { runCli, temporaryDirectory } from '../foundation/run-cli.js';
import type { GatewayHarness } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { generate, startOAuthGateway } from './oauth-gateway.js';

const SECONDS = Math.floor(systemClock.now() / 1000);
/** Each test runs the real CLI several times; a busy machine needs more than the default 20 s. */
const CLI_TEST_TIMEOUT_MS = 90_000;

/** Antigravity Manager's account files (its §6.5): one working, one banned (403), one revoked. */
function referenceFiles(): Array<Record<string, unknown>> {
  const token = (name: string) => ({
    access_token: `at-${name}`,
    refresh_token: `1//rt-${name}-0123456789`,
    expires_in: 3599,
    expiry_timestamp: SECONDS + 3600,
    token_type: 'Bearer',
    project_id: `proj-${name}`,
    oauth_client_key: 'antigravity',
  });
  return [
    {
      id: '11111111-1111-4111-8111-111111111111',
      email: 'active@gmail.com',
      token: token('active'),
      quota: {
        models: [{ name: 'gemini-2.5-pro', percentage: 60, reset_time: '2030-01-01T00:00:00Z' }],
        last_updated: SECONDS - 60,
        is_forbidden: false,
        subscription_tier: 'g1-pro-tier',
      },
      disabled: false,
      proxy_disabled: false,
      custom_label: 'main account',
      created_at: SECONDS - 86_400,
      last_used: SECONDS - 600,
    },
    {
      id: '22222222-2222-4222-8222-222222222222',
      email: 'banned@gmail.com',
      token: token('banned'),
      quota: { models: [], is_forbidden: true, forbidden_reason: 'The caller does not have permission' },
      disabled: false,
      proxy_disabled: true,
      proxy_disabled_reason: 'Forbidden (403): The caller does not have permission',
      created_at: SECONDS - 86_400,
    },
    {
      id: '33333333-3333-4333-8333-333333333333',
      email: 'revoked@company.com',
      token: token('revoked'),
      disabled: true,
      disabled_reason: 'invalid_grant: Token has been expired or revoked.',
      disabled_at: SECONDS - 3600,
      validation_blocked: true,
      validation_blocked_until: SECONDS + 300,
      validation_url: 'https://accounts.google.com/signin/continue?plt=revoked',
      created_at: SECONDS - 86_400,
    },
  ];
}

/** A copy of the reference's whole data folder: `accounts/`, the `accounts.json` index, its own config. */
async function referenceDataFolder(parent: string): Promise<string> {
  const folder = join(parent, 'antigravity_tools');
  await mkdir(join(folder, 'accounts'), { recursive: true });
  const files = referenceFiles();
  for (const file of files)
    await writeFile(join(folder, 'accounts', `${file['id']}.json`), JSON.stringify(file));
  const index = { version: '2.0', accounts: files.map((file) => ({ id: file['id'], email: file['email'] })) };
  await writeFile(join(folder, 'accounts.json'), JSON.stringify(index));
  await writeFile(join(folder, 'gui_config.json'), JSON.stringify({ proxy: { port: 8045 } }));
  return folder;
}

const byEmail = <T extends { email: string }>(accounts: readonly T[]) =>
  Object.fromEntries(accounts.map((account) => [account.email, account]));

describe('switchyard accounts import / export', () => {
  let directory: { path: string; remove: () => Promise<void> };
  beforeEach(async () => {
    directory = await temporaryDirectory();
  });
  afterEach(() => directory.remove());

  const cli = (args: string[], stdin?: string) =>
    runCli(args, { ...(stdin === undefined ? {} : { stdin }), timeoutMs: 30_000 });
  const exportPlain = async (dataDir: string) => {
    const exported = await cli(['accounts', 'export', '--plain', '--data-dir', dataDir]);
    expect(exported.stderr).toBe('');
    return JSON.parse(exported.stdout) as ExportDocument;
  };

  it(
    'imports an Antigravity Manager data folder with every field, and says what is missing',
    async () => {
      const dataDir = join(directory.path, 'switchyard');
      const folder = await referenceDataFolder(directory.path);

      const imported = await cli(['accounts', 'import', folder, '--data-dir', dataDir]);

      expect(imported.code).toBe(0);
      expect(imported.stdout).toBe(`Imported 3 new and updated 0 existing account(s) from ${folder}\n`);
      expect(imported.stderr).toBe(
        'warning: 3 imported code-assist account(s) cannot refresh their access tokens: no OAuth client is configured for code-assist. Their tokens name the client(s) "antigravity" (add each with --name <that name>). Add the client their tokens were issued to with: switchyard oauth client add --provider code-assist --client-id <id> --client-secret -\n',
      );
      const accounts = byEmail((await exportPlain(dataDir)).accounts);
      expect(accounts['active@gmail.com']).toMatchObject({
        id: '11111111-1111-4111-8111-111111111111',
        tier: 'PRO',
        label: 'main account',
        disabled: false,
        proxy_disabled: false,
        quota: {
          'gemini-2.5-pro': { remaining_fraction: 0.6, reset_at: '2030-01-01T00:00:00.000Z', source: 'api' },
        },
        extra: {
          'code-assist': { projectId: 'proj-active', tierName: 'g1-pro-tier' },
          oauth: { client_key: 'antigravity' },
        },
        created_at: new Date((SECONDS - 86_400) * 1000).toISOString(),
        last_used_at: new Date((SECONDS - 600) * 1000).toISOString(),
        credential: { type: 'oauth', refresh_token: '1//rt-active-0123456789', access_token: 'at-active' },
      });
      expect(accounts['banned@gmail.com']).toMatchObject({
        disabled: false,
        proxy_disabled: true,
        proxy_disabled_reason: 'Forbidden (403): The caller does not have permission',
      });
      expect(accounts['revoked@company.com']).toMatchObject({
        disabled: true,
        disabled_reason: 'invalid_grant: Token has been expired or revoked.',
        disabled_at: new Date((SECONDS - 3600) * 1000).toISOString(),
        extra: { verification: { url: 'https://accounts.google.com/signin/continue?plt=revoked' } },
      });

      await cli([
        'oauth',
        'client',
        'add',
        '--provider',
        'code-assist',
        '--client-id',
        'c.apps',
        '--name',
        'antigravity',
        '--data-dir',
        dataDir,
      ]);
      const again = await cli(['accounts', 'import', folder, '--data-dir', dataDir]);
      expect(again.stdout).toBe(`Imported 0 new and updated 3 existing account(s) from ${folder}\n`);
      expect(again.stderr).toBe('');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'round-trips its own encrypted export into a fresh data directory, every field and credential',
    async () => {
      const source = join(directory.path, 'source');
      const target = join(directory.path, 'target');
      await cli(['accounts', 'import', await referenceDataFolder(directory.path), '--data-dir', source]);
      await cli(
        [
          'accounts',
          'add',
          '--provider',
          'openai',
          '--email',
          'key@example.com',
          '--api-key',
          '-',
          '--models',
          'gpt-*',
          '--data-dir',
          source,
        ],
        'sk-export-me-0123456789',
      );
      const passphraseFile = join(directory.path, 'passphrase.txt');
      await writeFile(passphraseFile, 'a long enough passphrase\n');
      const file = join(directory.path, 'export.json');

      const exported = await cli([
        'accounts',
        'export',
        '--out',
        file,
        '--passphrase-file',
        passphraseFile,
        '--data-dir',
        source,
      ]);
      const wrong = await cli(
        ['accounts', 'import', file, '--passphrase-stdin', '--data-dir', target],
        'not the passphrase',
      );
      const missing = await cli(['accounts', 'import', file, '--data-dir', target]);
      const imported = await cli(
        ['accounts', 'import', file, '--passphrase-stdin', '--data-dir', target],
        'a long enough passphrase\n',
      );

      expect(exported.stderr).toBe(
        `Exported 4 account(s) to ${file} (credentials encrypted with the passphrase)\n`,
      );
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const text = await readFile(file, 'utf8');
      for (const secret of ['rt-active', 'at-active', 'sk-export-me']) expect(text).not.toContain(secret);
      expect(wrong.stderr).toBe(
        'switchyard: passphrase: it does not match this export (or the file was altered)\n',
      );
      expect(missing.stderr).toBe('switchyard: passphrase: this export is encrypted; give its passphrase\n');
      expect(imported.stdout).toBe(`Imported 4 new and updated 0 existing account(s) from ${file}\n`);
      const before = (await exportPlain(source)).accounts;
      const after = (await exportPlain(target)).accounts;
      const sorted = (accounts: ExportedAccount[]) => [...accounts].sort((a, b) => a.id.localeCompare(b.id));
      expect(sorted(after)).toEqual(sorted(before));
      expect(before).toHaveLength(4);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it('refuses to export without saying how to protect the credentials', async () => {
    const refused = await cli(['accounts', 'export', '--data-dir', directory.path]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'switchyard: choose how to protect the credentials: --passphrase-file FILE or --passphrase-stdin (encrypted), or --plain (in clear)\n',
    );
  });
});

describe('/api/accounts/import and /api/accounts/export', () => {
  let upstream: MockUpstream;
  const gateways: GatewayHarness[] = [];
  beforeAll(async () => {
    upstream = await startMockUpstream();
  });
  afterEach(async () => {
    for (const gateway of gateways.splice(0)) await gateway.close();
    upstream.reset();
  });
  afterAll(() => upstream.close());
  const start = async () => {
    const gateway = await startOAuthGateway(upstream);
    gateways.push(gateway);
    return gateway;
  };
  const publicAccounts = async (gateway: GatewayHarness) =>
    pick((await gateway.call('GET', '/api/accounts')).json, 'accounts') as PublicAccount[];

  it('keeps imported banned and revoked accounts out of the pool', async () => {
    const gateway = await start();

    const imported = await gateway.call('POST', '/api/accounts/import', { body: referenceFiles() });
    const served = new Set<unknown>();
    for (let index = 0; index < 4; index++) {
      served.add((await generate(gateway, `request number ${index}`)).headers['x-account-email']);
    }

    expect(imported.status).toBe(200);
    expect(pick(imported.json, 'warnings')).toEqual([
      'Imported code-assist accounts name the OAuth client(s) "antigravity", which no configured client has as its name: they try the configured clients in order. To match them, add each with: switchyard oauth client add --provider code-assist --client-id <id> --client-secret - --name <that name>',
    ]);
    expect(served).toEqual(new Set(['active@gmail.com']));
    expect(upstream.hits('at-banned') + upstream.hits('at-revoked')).toBe(0);
    const revoked = byEmail(await publicAccounts(gateway))['revoked@company.com'];
    expect(revoked).toMatchObject({
      disabled: true,
      verification_url: 'https://accounts.google.com/signin/continue?plt=revoked',
    });
  });

  it('exports with a passphrase in the body and imports it into another gateway, identical', async () => {
    const source = await start();
    await source.call('POST', '/api/accounts/import', { body: referenceFiles() });
    await generate(source, 'marks the active account used');

    const refused = await source.call('POST', '/api/accounts/export', { body: { passphrase: 'short' } });
    const exported = await source.call('POST', '/api/accounts/export', {
      body: { passphrase: 'api passphrase 1' },
    });
    const target = await start();
    const imported = await target.call('POST', '/api/accounts/import', {
      body: { ...(exported.json as object), passphrase: 'api passphrase 1' },
    });

    expect(refused.status).toBe(400);
    expect(pick(refused.json, 'error', 'message')).toBe(
      'Invalid export request: passphrase: must be at least 8 characters long',
    );
    expect(exported.status).toBe(200);
    expect(exported.headers['cache-control']).toBe('no-store');
    expect(exported.text).not.toContain('rt-active');
    expect(imported.status).toBe(200);
    expect(await publicAccounts(target)).toEqual(await publicAccounts(source));
    const credentials = (gateway: GatewayHarness) => byEmail(gateway.runtime.stores.accounts.list());
    for (const [email, account] of Object.entries(credentials(source))) {
      expect(credentials(target)[email]?.credential).toEqual(account.credential);
      expect(credentials(target)[email]?.extra).toEqual(account.extra);
    }
    expect((await generate(target, 'the imported account works')).headers['x-account-email']).toBe(
      'active@gmail.com',
    );
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublicAccount } from '../../src/admin/account-contracts.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type CliResult, runCli, temporaryDirectory } from './run-cli.js';

/** The running gateway polls the database for changes made by other processes every second. */
const SEEN_BY_GATEWAY = { timeout: 1500, interval: 50 };
const STDIN_KEY = 'sk-from-stdin-0123456789abcdef';
const ARGUMENT_KEY = 'sk-ant-from-argument-aaaa1111bbbb';

let dataDir: string;
let removeDir: () => Promise<void>;
let gateway: GatewayHarness;

beforeEach(async () => {
  ({ path: dataDir, remove: removeDir } = await temporaryDirectory());
  gateway = await startGateway({ dataDir });
});
afterEach(async () => {
  await gateway?.close();
  await removeDir();
});

function cli(args: string[], stdin?: string): Promise<CliResult> {
  return runCli([...args, '--data-dir', dataDir], { stdin });
}

async function succeeded(args: string[], stdin?: string): Promise<string> {
  const result = await cli(args, stdin);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

async function gatewayAccounts(): Promise<PublicAccount[]> {
  return pick((await gateway.call('GET', '/api/accounts')).json, 'accounts') as PublicAccount[];
}

async function byEmail(email: string): Promise<PublicAccount | undefined> {
  return (await gatewayAccounts()).find((account) => account.email === email);
}

async function addTwo(): Promise<void> {
  await succeeded(
    ['accounts', 'add', '--provider', 'openai', '--email', 'stdin@example.com', '--api-key', '-'],
    STDIN_KEY,
  );
  await succeeded([
    'accounts',
    'add',
    '--provider',
    'anthropic',
    '--email',
    'arg@example.com',
    '--api-key',
    ARGUMENT_KEY,
    '--tier',
    'pro',
    '--models',
    'claude-*, claude-opus-4',
    '--label',
    'home',
  ]);
}

/** The same two accounts, added through the gateway's admin API (quicker than two CLI runs). */
async function seedViaApi(): Promise<void> {
  const bodies = [
    { provider: 'openai', email: 'stdin@example.com', api_key: STDIN_KEY },
    {
      provider: 'anthropic',
      email: 'arg@example.com',
      api_key: ARGUMENT_KEY,
      tier: 'PRO',
      models: ['claude-*', 'claude-opus-4'],
      label: 'home',
    },
  ];
  for (const body of bodies) expect((await gateway.call('POST', '/api/accounts', { body })).status).toBe(201);
}

/** Accounts in the database itself, whatever the gateway has picked up so far. */
function storedCount(): number {
  const connection = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
  try {
    return (connection.prepare('SELECT count(*) AS count FROM accounts').get() as { count: number }).count;
  } finally {
    connection.close();
  }
}

describe('switchyard accounts add', () => {
  it('adds accounts (key on stdin or as an argument) that the running gateway sees, masked', async () => {
    await addTwo();
    await vi.waitFor(async () => expect(await gatewayAccounts()).toHaveLength(2), SEEN_BY_GATEWAY);
    expect(await byEmail('stdin@example.com')).toMatchObject({
      provider: 'openai',
      credential: { type: 'api_key', masked: 'sk-…cdef' },
    });
    expect(await byEmail('arg@example.com')).toMatchObject({
      provider: 'anthropic',
      tier: 'PRO',
      models: ['claude-*', 'claude-opus-4'],
      label: 'home',
      credential: { masked: 'sk-…bbbb' },
    });
    const listed = (await gateway.call('GET', '/api/accounts')).text;
    expect(listed).not.toContain(STDIN_KEY);
    expect(listed).not.toContain(ARGUMENT_KEY);
  });

  it('adds accounts next to one added through the admin API, and lists all three', async () => {
    const viaApi = await gateway.call('POST', '/api/accounts', {
      body: { provider: 'gemini', email: 'api@example.com', api_key: 'AIza-api-key-0000111122223333' },
    });
    expect(viaApi.status).toBe(201);
    await addTwo();
    await vi.waitFor(async () => expect(await gatewayAccounts()).toHaveLength(3), SEEN_BY_GATEWAY);
    const listed = await succeeded(['accounts', 'list']);
    expect(listed).toContain('api@example.com');
  });
});

describe('switchyard accounts list', () => {
  it('prints a text table with masked credentials', async () => {
    await seedViaApi();
    const table = await succeeded(['accounts', 'list']);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+PROVIDER\s+EMAIL\s+TIER\s+STATUS\s+CREDENTIAL\s+LABEL$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(1, 6))).toEqual([
      ['openai', 'stdin@example.com', '-', 'active', 'sk-…cdef'],
      ['anthropic', 'arg@example.com', 'PRO', 'active', 'sk-…bbbb'],
    ]);
    expect(table).not.toContain(STDIN_KEY);
    expect(table).not.toContain(ARGUMENT_KEY);
  });

  it('prints JSON with --json, masked', async () => {
    await seedViaApi();
    const output = await succeeded(['accounts', 'list', '--json']);
    const accounts = (JSON.parse(output) as { accounts: PublicAccount[] }).accounts;
    expect(accounts.map((account) => [account.email, account.credential.masked])).toEqual([
      ['stdin@example.com', 'sk-…cdef'],
      ['arg@example.com', 'sk-…bbbb'],
    ]);
    expect(output).not.toContain(STDIN_KEY);
  });

  it('says how to add one when there are none', async () => {
    expect(await succeeded(['accounts', 'list'])).toMatch(/No accounts yet/);
  });
});

describe('switchyard accounts disable / enable / remove', () => {
  it('works by email and by id prefix, and the running gateway sees each change', async () => {
    await seedViaApi();
    const anthropicId = String((await byEmail('arg@example.com'))?.id);

    await succeeded(['accounts', 'disable', 'stdin@example.com', '--reason', 'over budget']);
    await vi.waitFor(
      async () =>
        expect(await byEmail('stdin@example.com')).toMatchObject({
          disabled: true,
          disabled_reason: 'over budget',
        }),
      SEEN_BY_GATEWAY,
    );
    expect(await succeeded(['accounts', 'list'])).toContain('disabled (over budget)');

    await succeeded(['accounts', 'disable', anthropicId.slice(0, 8)]);
    await vi.waitFor(
      async () => expect((await byEmail('arg@example.com'))?.disabled).toBe(true),
      SEEN_BY_GATEWAY,
    );

    await succeeded(['accounts', 'enable', anthropicId.slice(0, 8)]);
    await vi.waitFor(
      async () => expect((await byEmail('arg@example.com'))?.disabled).toBe(false),
      SEEN_BY_GATEWAY,
    );

    await succeeded(['accounts', 'remove', anthropicId.slice(0, 6)]);
    await vi.waitFor(async () => expect(await byEmail('arg@example.com')).toBeUndefined(), SEEN_BY_GATEWAY);

    await succeeded(['accounts', 'remove', 'stdin@example.com']);
    await vi.waitFor(async () => expect(await gatewayAccounts()).toEqual([]), SEEN_BY_GATEWAY);
    // Six runs of the real CLI: on a busy machine (each start takes seconds) 20 s is not enough.
  }, 90_000);

  it('an unknown account exits non-zero naming it', async () => {
    const result = await cli(['accounts', 'remove', 'nobody@example.com']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe(
      'switchyard: No account with id or email "nobody@example.com" (see: switchyard accounts list)\n',
    );
  });
});

describe('switchyard accounts import', () => {
  it('imports a file of our accounts and of reference {email, refresh_token} entries', async () => {
    const file = join(dataDir, 'import.json');
    await writeFile(
      file,
      JSON.stringify([
        { provider: 'openai', email: 'imported@example.com', api_key: 'sk-imported-0000111122223333' },
        { email: 'google@gmail.com', refresh_token: '1//imported-refresh-token-xyz' },
      ]),
    );
    const result = await cli(['accounts', 'import', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Imported 2 new and updated 0 existing/);
    // The Google account cannot refresh until an OAuth client is configured: the import says so.
    expect(result.stderr).toMatch(
      /^warning: 1 imported code-assist account\(s\) cannot refresh their access tokens: .*switchyard oauth client add --provider code-assist/,
    );
    await vi.waitFor(async () => expect(await gatewayAccounts()).toHaveLength(2), SEEN_BY_GATEWAY);
    expect(await byEmail('google@gmail.com')).toMatchObject({
      provider: 'code-assist',
      credential: { type: 'oauth' },
    });
  });
});

describe('help', () => {
  it('switchyard --help lists the commands', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: switchyard/);
    expect(result.stdout).toMatch(/start \[options\]/);
    expect(result.stdout).toMatch(/accounts/);
  });

  it('switchyard accounts add --help describes every option', async () => {
    const result = await runCli(['accounts', 'add', '--help']);
    expect(result.code).toBe(0);
    for (const option of [
      '--provider',
      '--email',
      '--api-key',
      '--refresh-token',
      '--base-url',
      '--tier',
      '--models',
    ]) {
      expect(result.stdout).toContain(option);
    }
  });
});

describe('bad CLI input exits non-zero with a clear message and writes nothing', () => {
  it.each([
    {
      name: 'an unknown provider',
      args: ['accounts', 'add', '--provider', 'mistral', '--email', 'm@example.com', '--api-key', 'sk-m'],
      message:
        /^switchyard: Invalid account: provider: provider must be one of openai, anthropic, code-assist, gemini\n$/,
    },
    {
      name: 'a missing credential',
      args: ['accounts', 'add', '--provider', 'openai', '--email', 'm@example.com'],
      message: /^switchyard: Invalid account: api_key: missing credential/,
    },
    {
      name: 'a missing required option',
      args: ['accounts', 'add', '--email', 'm@example.com', '--api-key', 'sk-m'],
      message: /required option '--provider <kind>' not specified/,
    },
    {
      name: 'an unreadable import file',
      args: ['accounts', 'import', '/nonexistent/accounts.json'],
      message: /^switchyard: Cannot read \/nonexistent\/accounts\.json: ENOENT/,
    },
  ])('$name', async ({ args, message }) => {
    await seedViaApi();
    const result = await cli(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(storedCount()).toBe(2);
    expect(await gatewayAccounts()).toHaveLength(2);
  });

  it('an import file that is not JSON names the file', async () => {
    const file = join(dataDir, 'broken.json');
    await writeFile(file, '[{"email": ');
    const result = await cli(['accounts', 'import', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`Cannot read ${file}`);
    expect(storedCount()).toBe(0);
  });
});

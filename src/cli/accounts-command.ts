import type { Command } from 'commander';
import type { PublicAccount } from '../admin/account-contracts.js';
import { toAccountPatch, toNewAccountInput } from '../admin/account-input.js';
import { createAccountBody } from '../admin/contracts.js';
import type { Account } from '../core/account.js';
import { systemClock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { systemIds } from '../core/ids.js';
import { parseOrThrow } from '../core/validation.js';
import { toPublicAccount } from '../store/public-account.js';
import { configOverridesFromEnvironment } from './config-overrides-from-environment.js';
import { resolveDataDir } from './data-dir.js';
import { formatTable } from './format-table.js';
import { registerLoginCommand } from './login-command.js';
import { type OpenAccountDatabase, openAccountDatabase } from './open-stores.js';

/** `--data-dir` and `--json`, which every `accounts` command takes. */
export interface CommonFlags {
  dataDir?: string;
  json?: boolean;
}

/** Runs `work` with the account store of the data directory in `flags`, closed afterwards. */
export async function withAccounts<T>(
  flags: CommonFlags,
  work: (database: OpenAccountDatabase) => Promise<T>,
): Promise<T> {
  const database = await openAccountDatabase({
    dataDir: resolveDataDir(flags.dataDir, process.env),
    secretKey: process.env['SWITCHYARD_SECRET_KEY'],
    databaseUrl: process.env['SWITCHYARD_DATABASE_URL'],
    configOverrides: configOverridesFromEnvironment(process.env),
    clock: systemClock,
    ids: systemIds,
  });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** Finds an account by id, id prefix (≥ 6 chars) or email; ambiguous or unknown → clear error. */
export function findAccount(accounts: readonly Account[], reference: string): Account {
  const exact = accounts.find((account) => account.id === reference);
  if (exact) return exact;
  const matches = accounts.filter(
    (account) => account.email === reference || (reference.length >= 6 && account.id.startsWith(reference)),
  );
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new SwitchyardError(
      'conflict',
      `"${reference}" matches ${matches.length} accounts; use the account id`,
    );
  }
  throw new SwitchyardError(
    'not_found',
    `No account with id or email "${reference}" (see: switchyard accounts list)`,
  );
}

function status(account: PublicAccount): string {
  if (account.disabled) return `disabled${account.disabled_reason ? ` (${account.disabled_reason})` : ''}`;
  if (account.proxy_disabled) return 'proxy off';
  return 'active';
}

/** A plain aligned table, one account per row. */
export function formatAccountTable(accounts: readonly PublicAccount[]): string {
  if (accounts.length === 0) return 'No accounts yet. Add one with: switchyard accounts add --help\n';
  const rows = [
    ['ID', 'PROVIDER', 'EMAIL', 'TIER', 'STATUS', 'CREDENTIAL', 'LABEL'],
    ...accounts.map((account) => [
      account.id.slice(0, 8),
      account.provider,
      account.email,
      account.tier ?? '-',
      status(account),
      account.credential.masked,
      account.label ?? '',
    ]),
  ];
  return formatTable(rows);
}

/** A secret given on the command line, or read from standard input when the value is `-`. */
export async function readSecretArgument(value: string | undefined): Promise<string | undefined> {
  if (value !== '-') return value;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

interface AddFlags extends CommonFlags {
  provider: string;
  email: string;
  apiKey?: string;
  refreshToken?: string;
  baseUrl?: string;
  tier?: string;
  models?: string;
  label?: string;
}

async function addAccount(flags: AddFlags): Promise<void> {
  const body = parseOrThrow(
    createAccountBody,
    {
      provider: flags.provider,
      email: flags.email,
      api_key: await readSecretArgument(flags.apiKey),
      refresh_token: await readSecretArgument(flags.refreshToken),
      base_url: flags.baseUrl,
      tier: flags.tier?.toUpperCase(),
      models: flags.models
        ?.split(',')
        .map((model) => model.trim())
        .filter(Boolean),
      label: flags.label,
    },
    'account',
  );
  const account = await withAccounts(flags, ({ accounts }) => accounts.create(toNewAccountInput(body)));
  print(
    flags,
    toPublicAccount(account),
    `Added ${account.provider} account ${account.email} (${account.id})\n`,
  );
}

/** Prints `value` as JSON with `--json`, else `text`. */
export function print(flags: CommonFlags, value: unknown, text: string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(value, null, 2)}\n` : text);
}

async function setDisabled(reference: string, flags: CommonFlags & { reason?: string }, disabled: boolean) {
  const account = await withAccounts(flags, async ({ accounts }) => {
    const target = findAccount(accounts.list(), reference);
    return accounts.update(target.id, toAccountPatch({ disabled, disabled_reason: flags.reason }));
  });
  print(
    flags,
    toPublicAccount(account),
    `${disabled ? 'Disabled' : 'Enabled'} ${account.email} (${account.id})\n`,
  );
}

/** Adds `--data-dir` and `--json` to an `accounts` command. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data directory (default: $SWITCHYARD_HOME or ~/.switchyard)')
    .option('--json', 'print JSON instead of text');
}

/**
 * `switchyard accounts list|add|remove|enable|disable|login`, on the same data directory as the
 * gateway; returns the `accounts` command for the others (`registerTransferCommands`).
 */
export function registerAccountCommands(program: Command): Command {
  const accounts = program
    .command('accounts')
    .description(
      'Manage upstream accounts (works while the gateway runs; it picks changes up within a second)',
    );
  const common = withCommonOptions;

  common(accounts.command('list').description('List accounts with masked credentials')).action(
    (flags: CommonFlags) =>
      withAccounts(flags, async ({ accounts: store }) => {
        const shown = store.list().map(toPublicAccount);
        print(flags, { accounts: shown }, formatAccountTable(shown));
      }),
  );

  common(accounts.command('add').description('Add an account (API key, or OAuth refresh token)'))
    .requiredOption('--provider <kind>', 'openai | anthropic | gemini | code-assist')
    .requiredOption('--email <email>', 'identity shown in the UI and in X-Account-Email')
    .option('--api-key <key>', 'API key; "-" reads it from standard input (keeps it out of shell history)')
    .option('--refresh-token <token>', 'OAuth refresh token instead of an API key; "-" reads standard input')
    .option('--base-url <url>', "upstream base URL (default: the provider's public API)")
    .option('--tier <tier>', 'FREE | PRO | ULTRA')
    .option('--models <list>', 'comma-separated model ids or wildcards this account serves (default: any)')
    .option('--label <text>', 'a label shown in the UI')
    .action((flags: AddFlags) => addAccount(flags));

  common(
    accounts.command('remove <account>').description('Remove an account (by id, id prefix or email)'),
  ).action((reference: string, flags: CommonFlags) =>
    withAccounts(flags, async ({ accounts: store }) => {
      const target = findAccount(store.list(), reference);
      await store.remove(target.id);
      print(flags, { removed: target.id }, `Removed ${target.email} (${target.id})\n`);
    }),
  );

  common(accounts.command('enable <account>').description('Enable a disabled account')).action(
    (reference: string, flags: CommonFlags) => setDisabled(reference, flags, false),
  );

  common(
    accounts
      .command('disable <account>')
      .description('Disable an account (it stays listed, never scheduled)'),
  )
    .option('--reason <text>', 'why, shown in the UI')
    .action((reference: string, flags: CommonFlags & { reason?: string }) =>
      setDisabled(reference, flags, true),
    );

  registerLoginCommand(accounts, common);
  return accounts;
}

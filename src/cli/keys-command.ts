import type { Command } from 'commander';
import {
  type CreateKeyBody,
  createKeyBody,
  type PublicClientKey,
  patchKeyBody,
} from '../admin/key-contracts.js';
import {
  checkPinnedAccount,
  findClientKey,
  toClientKeyPatch,
  toNewClientKeyInput,
  toPublicClientKey,
} from '../admin/key-input.js';
import type { ClientKey } from '../core/client-key.js';
import { systemClock } from '../core/clock.js';
import { parseOrThrow } from '../core/validation.js';
import { UsageStore } from '../store/usage-store.js';
import { parseSpan } from '../usage/usage-windows.js';
import { findAccount } from './accounts-command.js';
import { type CliStore, withCliStore } from './cli-store.js';
import { storedKeyUsage } from './compose-keys.js';
import { formatTable } from './format-table.js';

interface CommonFlags {
  dataDir?: string;
  json?: boolean;
}

/** Options shared by `keys create` and `keys update`; each given one sets that setting. */
interface SettingFlags extends CommonFlags {
  name?: string;
  owner?: string;
  models?: string;
  account?: string;
  group?: string;
  expires?: string;
  rpm?: string;
  tpm?: string;
  tokensPerDay?: string;
  tokensPerMonth?: string;
  costPerDay?: string;
  costPerMonth?: string;
  noLimits?: boolean;
}

function print(flags: CommonFlags, value: unknown, text: string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(value, null, 2)}\n` : text);
}

/** `--expires` as given: an ISO date, or a span from now (`30d`). */
function expiry(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const span = parseSpan(text);
  return span === null ? text : new Date(systemClock.now() + span).toISOString();
}

const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/** The limits the flags give, or undefined when they give none (and `--no-limits` is not set). */
function limitsOf(flags: SettingFlags): Record<string, number | undefined> | undefined {
  const limits = {
    requests_per_minute: number(flags.rpm),
    tokens_per_minute: number(flags.tpm),
    tokens_per_day: number(flags.tokensPerDay),
    tokens_per_month: number(flags.tokensPerMonth),
    cost_per_day: number(flags.costPerDay),
    cost_per_month: number(flags.costPerMonth),
  };
  const given = Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
  if (flags.noLimits) return {};
  return Object.keys(given).length > 0 ? given : undefined;
}

/** The request body the flags describe, accounts given by id or email resolved to ids. */
function settingsBody(flags: SettingFlags, store: CliStore): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: flags.name,
    owner: flags.owner,
    models: flags.models
      ?.split(',')
      .map((model) => model.trim())
      .filter(Boolean),
    account_id:
      flags.account === undefined ? undefined : findAccount(store.accounts.list(), flags.account).id,
    account_group: flags.group,
    expires_at: expiry(flags.expires),
    limits: limitsOf(flags),
  };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

async function shown(store: CliStore, keys: readonly ClientKey[]): Promise<PublicClientKey[]> {
  const now = systemClock.now();
  const usage = await storedKeyUsage({ usage: new UsageStore(store.database.db), prices: store.prices, now });
  return keys.map((key) => {
    const stored = usage.get(key.id);
    return toPublicClientKey(
      key,
      {
        requestsLastMinute: null,
        tokensLastMinute: null,
        tokensToday: stored?.tokensToday ?? 0,
        costToday: stored?.costToday ?? 0,
        tokensThisMonth: stored?.tokensThisMonth ?? 0,
        costThisMonth: stored?.costThisMonth ?? 0,
      },
      now,
    );
  });
}

function describeLimits(key: PublicClientKey): string {
  const { limits } = key;
  const parts = [
    limits.requests_per_minute === undefined ? null : `${limits.requests_per_minute} rpm`,
    limits.tokens_per_minute === undefined ? null : `${limits.tokens_per_minute} tpm`,
    limits.tokens_per_day === undefined ? null : `${limits.tokens_per_day} tok/day`,
    limits.tokens_per_month === undefined ? null : `${limits.tokens_per_month} tok/month`,
    limits.cost_per_day === undefined ? null : `$${limits.cost_per_day}/day`,
    limits.cost_per_month === undefined ? null : `$${limits.cost_per_month}/month`,
  ].filter((part): part is string => part !== null);
  return parts.join(', ') || 'none';
}

/** A plain aligned table, one key per row. */
export function formatKeyTable(keys: readonly PublicClientKey[]): string {
  if (keys.length === 0) return 'No client keys yet. Create one with: switchyard keys create --name <name>\n';
  return formatTable([
    ['ID', 'NAME', 'OWNER', 'STATUS', 'KEY', 'LIMITS', 'TOKENS TODAY', 'EST. COST TODAY', 'LAST USED'],
    ...keys.map((key) => [
      key.id.slice(0, 8),
      key.name,
      key.owner ?? '',
      key.status,
      key.hint,
      describeLimits(key),
      String(key.usage.tokens_today),
      `$${key.usage.cost_today.toFixed(4)}`,
      key.last_used_at ?? 'never',
    ]),
  ]);
}

function issuedText(verb: string, key: PublicClientKey, secret: string): string {
  return [
    `${verb} client key "${key.name}" (${key.id}).`,
    '',
    `  ${secret}`,
    '',
    'This is the only time the key is shown: only its SHA-256 is stored. Hand it to its holder now.',
    '',
  ].join('\n');
}

function settingOptions(command: Command): Command {
  return command
    .option('--owner <text>', 'who or what holds the key (a person, a team, a job)')
    .option('--models <list>', 'comma-separated model ids or wildcards the key may use (default: any)')
    .option('--account <account>', 'only this account (id, id prefix or email) serves the key')
    .option('--group <label>', 'only accounts whose label is exactly this serve the key')
    .option('--expires <when>', 'an ISO date, or a span from now such as 30d')
    .option('--rpm <n>', 'requests per minute')
    .option('--tpm <n>', 'tokens per minute')
    .option('--tokens-per-day <n>', 'tokens per UTC day')
    .option('--tokens-per-month <n>', 'tokens per UTC month')
    .option('--cost-per-day <usd>', 'estimated US dollars per UTC day')
    .option('--cost-per-month <usd>', 'estimated US dollars per UTC month');
}

async function createCommand(flags: SettingFlags): Promise<void> {
  const issued = await withCliStore(flags, async (store) => {
    const body: CreateKeyBody = parseOrThrow(createKeyBody, settingsBody(flags, store), 'client key');
    checkPinnedAccount(store.accounts, body.account_id);
    const created = await store.keys.create(toNewClientKeyInput(body));
    return { key: (await shown(store, [created.key]))[0]!, secret: created.secret };
  });
  print(flags, issued, issuedText('Created', issued.key, issued.secret));
}

async function updateCommand(reference: string, flags: SettingFlags): Promise<void> {
  const key = await withCliStore(flags, async (store) => {
    const target = findClientKey(store.keys.list(), reference);
    const body = parseOrThrow(patchKeyBody, settingsBody(flags, store), 'client key change');
    return (await shown(store, [await store.keys.update(target.id, toClientKeyPatch(body))]))[0]!;
  });
  print(flags, key, `Updated client key "${key.name}" (${key.id}): limits ${describeLimits(key)}\n`);
}

/** `switchyard keys create|list|update|rotate|revoke`, on the same data directory (or database) as the gateway. */
export function registerKeyCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description(
      'Manage client keys: one per person or job, with limits (works while the gateway runs; it picks changes up within a second)',
    );
  const common = (command: Command) =>
    command
      .option('--data-dir <dir>', 'data directory (default: $SWITCHYARD_HOME or ~/.switchyard)')
      .option('--json', 'print JSON instead of text');

  common(settingOptions(keys.command('create').description('Create a key and print its secret, once')))
    .requiredOption('--name <name>', 'a name unique among active keys, e.g. alice or ci-nightly')
    .action((flags: SettingFlags) => createCommand(flags));

  common(keys.command('list').description('List keys with their limits and stored usage of today')).action(
    (flags: CommonFlags) =>
      withCliStore(flags, async (store) => {
        const listed = await shown(store, store.keys.list());
        print(flags, { keys: listed }, formatKeyTable(listed));
      }),
  );

  common(
    settingOptions(
      keys
        .command('update <key>')
        .description('Change a key (by id, id prefix or name); given limits replace all limits'),
    ),
  )
    .option('--name <name>', 'a new name')
    .option('--no-limits', 'remove every limit')
    .action((reference: string, flags: SettingFlags) => updateCommand(reference, flags));

  common(
    keys
      .command('rotate <key>')
      .description('Give a key a new secret (printed once); the old one stops working'),
  ).action((reference: string, flags: CommonFlags) =>
    withCliStore(flags, async (store) => {
      const rotated = await store.keys.rotate(findClientKey(store.keys.list(), reference).id);
      const key = (await shown(store, [rotated.key]))[0]!;
      print(flags, { key, secret: rotated.secret }, issuedText('Rotated', key, rotated.secret));
    }),
  );

  common(
    keys.command('revoke <key>').description('Revoke a key: refused from now on, kept with its usage'),
  ).action((reference: string, flags: CommonFlags) =>
    withCliStore(flags, async (store) => {
      const revoked = await store.keys.revoke(findClientKey(store.keys.list(), reference).id);
      const key = (await shown(store, [revoked]))[0]!;
      print(flags, key, `Revoked client key "${key.name}" (${key.id})\n`);
    }),
  );
}

import type { Command } from 'commander';
import { ConfigStore } from '../config/config-store.js';
import { systemClock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { newApiKey } from '../core/ids.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { OAUTH_PROVIDER_KINDS } from '../providers/provider-kinds.js';
import { readSecretArgument } from './accounts-command.js';
import { dataPaths, ensureDataDir, resolveDataDir } from './data-dir.js';
import { formatTable } from './format-table.js';

interface CommonFlags {
  dataDir?: string;
  json?: boolean;
}

interface AddFlags extends CommonFlags {
  provider: string;
  clientId: string;
  clientSecret?: string;
  name?: string;
  tokenUrl?: string;
  authUrl?: string;
  userinfoUrl?: string;
  scopes?: string;
  first?: boolean;
}

/** One configured client as listed: never its secret. */
interface ClientView {
  provider: string;
  position: number;
  name: string | null;
  client_id: string;
  has_secret: boolean;
  token_url: string;
}

function checkProvider(provider: string): void {
  if (!(OAUTH_PROVIDER_KINDS as readonly string[]).includes(provider)) {
    throw new SwitchyardError(
      'validation_failed',
      `--provider must be one of ${OAUTH_PROVIDER_KINDS.join(', ')}`,
    );
  }
}

async function openConfig(flags: CommonFlags): Promise<ConfigStore> {
  const { dataDir, configPath } = dataPaths(resolveDataDir(flags.dataDir, process.env));
  await ensureDataDir(dataDir);
  return ConfigStore.open({ path: configPath, clock: systemClock, generateApiKey: newApiKey });
}

/** `oauth.clients` of the file as written, every provider's entry as a list (the older single object included). */
function writtenClients(config: ConfigStore): Record<string, JsonObject[]> {
  const oauth = config.document()['oauth'];
  const clients = isJsonObject(oauth) && isJsonObject(oauth['clients']) ? oauth['clients'] : {};
  const result: Record<string, JsonObject[]> = {};
  for (const [provider, value] of Object.entries(clients)) {
    result[provider] = (Array.isArray(value) ? value : [value]).filter(isJsonObject);
  }
  return result;
}

function views(config: ConfigStore, provider?: string): ClientView[] {
  return Object.entries(config.get().oauth.clients)
    .filter(([kind]) => provider === undefined || kind === provider)
    .flatMap(([kind, list]) =>
      list.map((client, index) => ({
        provider: kind,
        position: index + 1,
        name: client.name ?? null,
        client_id: client.client_id,
        has_secret: client.client_secret !== null,
        token_url: client.token_url,
      })),
    );
}

function formatViews(list: readonly ClientView[]): string {
  if (list.length === 0) {
    return 'No OAuth clients. Add one with: switchyard oauth client add --provider code-assist --client-id <id> --client-secret -\n';
  }
  return formatTable([
    ['PROVIDER', '#', 'NAME', 'CLIENT ID', 'SECRET', 'TOKEN URL'],
    ...list.map((view) => [
      view.provider,
      String(view.position),
      view.name ?? '-',
      view.client_id,
      view.has_secret ? 'set' : '-',
      view.token_url,
    ]),
  ]);
}

async function clientEntry(flags: AddFlags): Promise<JsonObject> {
  const entry: JsonObject = { client_id: flags.clientId.trim() };
  const secret = await readSecretArgument(flags.clientSecret);
  if (secret !== undefined) {
    if (secret === '') throw new SwitchyardError('validation_failed', '--client-secret: the secret is empty');
    entry['client_secret'] = secret;
  }
  if (flags.name !== undefined) entry['name'] = flags.name;
  if (flags.tokenUrl !== undefined) entry['token_url'] = flags.tokenUrl;
  if (flags.authUrl !== undefined) entry['auth_url'] = flags.authUrl;
  if (flags.userinfoUrl !== undefined) entry['userinfo_url'] = flags.userinfoUrl;
  if (flags.scopes !== undefined) entry['scopes'] = flags.scopes.split(/[\s,]+/).filter(Boolean);
  return entry;
}

/** Writes the provider's new list (validated and written atomically by the config store). */
async function saveClients(options: {
  config: ConfigStore;
  provider: string;
  list: JsonObject[];
}): Promise<void> {
  const clients: JsonObject = writtenClients(options.config);
  if (options.list.length > 0) clients[options.provider] = options.list;
  else delete clients[options.provider];
  await options.config.update({ oauth: { clients } });
}

async function addClient(flags: AddFlags): Promise<void> {
  checkProvider(flags.provider);
  const entry = await clientEntry(flags);
  const config = await openConfig(flags);
  try {
    const list = writtenClients(config)[flags.provider] ?? [];
    const existing = list.findIndex((client) => client['client_id'] === entry['client_id']);
    const replaced = existing >= 0;
    if (replaced) list.splice(existing, 1);
    if (flags.first) list.unshift(entry);
    else if (replaced) list.splice(existing, 0, entry);
    else list.push(entry);
    await saveClients({ config, provider: flags.provider, list });
    const shown = views(config, flags.provider);
    const order = shown.map((view) => view.name ?? view.client_id).join(', ');
    process.stdout.write(
      flags.json
        ? `${JSON.stringify({ clients: shown }, null, 2)}\n`
        : `${replaced ? 'Updated' : 'Added'} OAuth client ${entry['client_id']} for ${flags.provider} ` +
            `(refreshes try: ${order}; sign-in uses the first)\n`,
    );
  } finally {
    config.close();
  }
}

async function removeClient(reference: string, flags: CommonFlags & { provider: string }): Promise<void> {
  checkProvider(flags.provider);
  const config = await openConfig(flags);
  try {
    const list = writtenClients(config)[flags.provider] ?? [];
    const index = list.findIndex(
      (client) => client['client_id'] === reference || client['name'] === reference,
    );
    if (index < 0) {
      throw new SwitchyardError(
        'not_found',
        `No OAuth client "${reference}" for ${flags.provider} (see: switchyard oauth client list)`,
      );
    }
    list.splice(index, 1);
    await saveClients({ config, provider: flags.provider, list });
    const text = `Removed OAuth client ${reference} from ${flags.provider} (${list.length} left)\n`;
    process.stdout.write(flags.json ? `${JSON.stringify({ clients: views(config) }, null, 2)}\n` : text);
  } finally {
    config.close();
  }
}

/** `switchyard oauth client add|list|remove`: the OAuth clients in gui_config.json (`oauth.clients`). */
export function registerOAuthCommands(program: Command): void {
  const client = program
    .command('oauth')
    .description('Manage OAuth clients (a running gateway applies changes within a second)')
    .command('client')
    .description('The OAuth clients per provider that refresh tokens and sign in (oauth.clients)');
  const common = (command: Command) =>
    command
      .option('--data-dir <dir>', 'data directory (default: $SWITCHYARD_HOME or ~/.switchyard)')
      .option('--json', 'print JSON instead of text');

  common(client.command('add').description('Add (or update) an OAuth client; refreshes try clients in order'))
    .requiredOption('--provider <kind>', OAUTH_PROVIDER_KINDS.join(' | '))
    .requiredOption('--client-id <id>', 'the OAuth client id')
    .option(
      '--client-secret <secret>',
      'its secret; "-" reads it from standard input (keeps it out of shell history)',
    )
    .option(
      '--name <name>',
      "a short name; imported accounts naming it (the reference's oauth_client_key) try it first",
    )
    .option('--token-url <url>', "token endpoint (default: Google's)")
    .option('--auth-url <url>', "authorization endpoint for sign-in (default: Google's)")
    .option('--userinfo-url <url>', "userinfo endpoint (default: Google's)")
    .option(
      '--scopes <list>',
      'sign-in scopes, comma- or space-separated (default: Google Cloud, email, profile, openid)',
    )
    .option(
      '--first',
      'put it first: it signs in and is tried first (default: last, or its place when updated)',
    )
    .action((flags: AddFlags) => addClient(flags));

  common(client.command('list').description('List the OAuth clients in the order they are tried'))
    .option('--provider <kind>', 'only this provider')
    .action(async (flags: CommonFlags & { provider?: string }) => {
      const config = await openConfig(flags);
      config.close();
      const shown = views(config, flags.provider);
      process.stdout.write(
        flags.json ? `${JSON.stringify({ clients: shown }, null, 2)}\n` : formatViews(shown),
      );
    });

  common(client.command('remove <client>').description('Remove an OAuth client, by client id or name'))
    .requiredOption('--provider <kind>', OAUTH_PROVIDER_KINDS.join(' | '))
    .action((reference: string, flags: CommonFlags & { provider: string }) => removeClient(reference, flags));
}

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { readConfigFile } from '../config/read-config-file.js';
import { type SwitchyardConfig, storeBackends } from '../config/schema.js';
import { systemClock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { systemIds } from '../core/ids.js';
import { maskRedisUrl } from '../state/redis-url.js';
import { copyStore } from '../store/copy-store.js';
import { migrationState } from '../store/migrations/run-migrations.js';
import type { OpenedDatabase } from '../store/opened-database.js';
import { loadSecretKey, SecretBox } from '../store/secret-box.js';
import { configOverridesFromEnvironment } from './config-overrides-from-environment.js';
import { dataPaths, resolveDataDir } from './data-dir.js';
import { resolveRedisUrl } from './open-state-store.js';
import {
  describeStoreLocation,
  migrateStoreDatabase,
  openStoreDatabase,
  resolveStoreLocation,
  type StoreLocation,
} from './store-location.js';

interface CommonFlags {
  dataDir?: string;
  json?: boolean;
}

/** The data directory, its config and the store it names (SWITCHYARD_DATABASE_URL included). */
async function configuredStore(flags: CommonFlags) {
  const paths = dataPaths(resolveDataDir(flags.dataDir, process.env));
  const config = await readConfigFile(paths.configPath, configOverridesFromEnvironment(process.env));
  const location = resolveStoreLocation({
    store: config.store,
    paths,
    databaseUrl: process.env['SWITCHYARD_DATABASE_URL'],
  });
  return { paths, config, location };
}

function open(location: StoreLocation, migrate: boolean): Promise<OpenedDatabase> {
  return openStoreDatabase({ location, clock: systemClock, instanceId: systemIds.uuid(), migrate });
}

function print(flags: CommonFlags, value: unknown, text: string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(value, null, 2)}\n` : text);
}

async function migrateCommand(flags: CommonFlags): Promise<void> {
  const { location } = await configuredStore(flags);
  const database = await open(location, false);
  try {
    const applied = await migrateStoreDatabase(database);
    const { applied: all } = await migrationState(database.db);
    print(
      flags,
      { backend: database.backend, location: database.location, applied, schema: all },
      applied.length > 0
        ? `Applied ${applied.length} migration(s) to ${database.backend} ${database.location}: ${applied.join(', ')}\n`
        : `${database.backend} ${database.location} is up to date (${all.join(', ')})\n`,
    );
  } finally {
    await database.close();
  }
}

/** One backend's line in `switchyard status`. */
export interface BackendStatus {
  /** `store` or `state`. */
  role: string;
  backend: string;
  location: string;
  ok: boolean;
  detail: string;
}

async function storeStatus(location: StoreLocation): Promise<BackendStatus> {
  const base = { role: 'store', backend: location.backend, location: describeStoreLocation(location) };
  if (location.backend === 'sqlite' && !existsSync(location.file)) {
    return {
      ...base,
      ok: true,
      detail: 'no database yet: the first start or `switchyard migrate` creates it',
    };
  }
  let database: OpenedDatabase | null = null;
  try {
    database = await open(location, false);
    const { applied, pending } = await migrationState(database.db);
    const count = await database.db
      .selectFrom('accounts')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirst()
      .catch(() => null);
    const schema =
      pending.length > 0
        ? `${pending.length} migration(s) pending: ${pending.join(', ')}`
        : 'schema up to date';
    const accounts = count ? `, ${Number(count.n)} account(s)` : '';
    return { ...base, ok: true, detail: `answers; ${schema} (${applied.length} applied)${accounts}` };
  } catch (error) {
    return {
      ...base,
      ok: false,
      detail: `does not answer: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    await database?.close();
  }
}

/** Scheduling state (bindings, locks, round-robin position, fixed account): in process, or Redis and whether it answers. */
async function stateStatus(config: SwitchyardConfig): Promise<BackendStatus> {
  if (config.state.backend === 'memory') {
    return {
      role: 'state',
      backend: 'memory',
      location: 'in process',
      ok: true,
      detail:
        'per instance: session bindings, live locks, the round-robin position and the fixed account are not shared',
    };
  }
  const url = resolveRedisUrl(config.state, process.env['SWITCHYARD_REDIS_URL']);
  const base = { role: 'state', backend: 'redis', location: maskRedisUrl(url) };
  const { probeRedis } = await import('../state/redis-link.js');
  const probe = await probeRedis(url, config.state.key_prefix);
  if (!probe.ok) return { ...base, ok: false, detail: `does not answer: ${probe.reason}` };
  return {
    ...base,
    ok: true,
    detail: `answers; shared by every instance with key prefix "${config.state.key_prefix}": ${probe.bindings} binding(s), ${probe.locks} lock(s) stored`,
  };
}

async function statusCommand(flags: CommonFlags): Promise<void> {
  const { config, location } = await configuredStore(flags);
  const store = await storeStatus(location);
  const backends = [store, await stateStatus(config)];
  const lines = backends.map(
    (entry) =>
      `${`${entry.role}:`.padEnd(7)}${entry.backend.padEnd(9)}${entry.ok ? 'ok  ' : 'DOWN'}  ${entry.location}\n` +
      `${' '.repeat(22)}${entry.detail}`,
  );
  if (!store.ok)
    lines.push('store_degraded: a gateway on this store serves from memory and refuses admin changes (503)');
  print(flags, { store_degraded: !store.ok, backends }, `${lines.join('\n')}\n`);
  if (backends.some((entry) => !entry.ok)) process.exitCode = 1;
}

interface CopyFlags extends CommonFlags {
  from: string;
  to: string;
  sqliteFile?: string;
  postgresUrl?: string;
}

function backendOption(value: string, flag: string): 'sqlite' | 'postgres' {
  if ((storeBackends as readonly string[]).includes(value)) return value as 'sqlite' | 'postgres';
  throw new SwitchyardError('invalid_request', `${flag} must be sqlite or postgres, got "${value}"`);
}

async function copyCommand(flags: CopyFlags): Promise<void> {
  const from = backendOption(flags.from, '--from');
  const to = backendOption(flags.to, '--to');
  if (from === to)
    throw new SwitchyardError('invalid_request', '--from and --to must differ (sqlite, postgres)');
  const paths = dataPaths(resolveDataDir(flags.dataDir, process.env));
  const config = await readConfigFile(paths.configPath, configOverridesFromEnvironment(process.env));
  const sqlite: StoreLocation = { backend: 'sqlite', file: flags.sqliteFile ?? paths.databasePath };
  const postgres = resolveStoreLocation({
    store: { ...config.store, backend: 'postgres' },
    paths,
    databaseUrl: flags.postgresUrl ?? process.env['SWITCHYARD_DATABASE_URL'],
  });
  const [source, destination] = from === 'sqlite' ? [sqlite, postgres] : [postgres, sqlite];
  if (source.backend === 'sqlite' && !existsSync(source.file)) {
    throw new SwitchyardError('not_found', `The source SQLite database ${source.file} does not exist`);
  }
  const key = await loadSecretKey({ dataDir: paths.dataDir, envKey: process.env['SWITCHYARD_SECRET_KEY'] });
  const opened: OpenedDatabase[] = [];
  try {
    opened.push(await open(source, true));
    opened.push(await open(destination, true));
    const [fromDatabase, toDatabase] = opened as [OpenedDatabase, OpenedDatabase];
    const result = await copyStore({ from: fromDatabase, to: toDatabase, box: new SecretBox(key) });
    print(
      flags,
      { from: fromDatabase.location, to: toDatabase.location, ...result },
      `Copied ${result.accounts} account(s), ${result.locks} rate-limit lock(s), ${result.requestLogs} ` +
        `request-log row(s), ${result.clientKeys} client key(s) and ${result.usageHours} hourly usage row(s) from ${from} ${fromDatabase.location} to ${to} ${toDatabase.location}; ` +
        'credentials copied encrypted, as stored.\n',
    );
  } finally {
    for (const database of opened) await database.close();
  }
}

/** `switchyard migrate`, `switchyard status` and `switchyard store copy`. */
export function registerStoreCommands(program: Command): void {
  const dataDirOption = [
    '--data-dir <dir>',
    'data directory (default: $SWITCHYARD_HOME or ~/.switchyard)',
  ] as const;
  program
    .command('migrate')
    .description(
      'Apply the store database migrations now (start-up applies them too; PostgreSQL: under an advisory lock)',
    )
    .option(...dataDirOption)
    .option('--json', 'print JSON instead of text')
    .action((flags: CommonFlags) => migrateCommand(flags));

  program
    .command('status')
    .description(
      'Show the configured backends (store, state) and whether they answer; exits 1 when one does not',
    )
    .option(...dataDirOption)
    .option('--json', 'print JSON instead of text')
    .action((flags: CommonFlags) => statusCommand(flags));

  const store = program.command('store').description('Operations on the store database');
  store
    .command('copy')
    .description(
      'Copy accounts (credentials stay encrypted), rate-limit locks, the request log, client keys and usage totals from one store to an empty other one',
    )
    .requiredOption('--from <backend>', 'sqlite | postgres')
    .requiredOption('--to <backend>', 'postgres | sqlite')
    .option(...dataDirOption)
    .option('--sqlite-file <file>', 'the SQLite database (default: switchyard.db in the data directory)')
    .option(
      '--postgres-url <url>',
      'the PostgreSQL database (default: $SWITCHYARD_DATABASE_URL, then store.postgres_url)',
    )
    .option('--json', 'print JSON instead of text')
    .action((flags: CopyFlags) => copyCommand(flags));
}

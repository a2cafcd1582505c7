import { join } from 'node:path';
import { removeLeftoverTemporaryFiles } from '../config/atomic-write.js';
import { ConfigStore, type ConfigStoreOptions } from '../config/config-store.js';
import type { EnvironmentOverrides } from '../config/environment-overrides.js';
import { readConfigFile } from '../config/read-config-file.js';
import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { type IdSource, newApiKey } from '../core/ids.js';
import type { Logger } from '../observability/logger.js';
import { AccountStore } from '../store/account-store.js';
import { ClientKeyStore } from '../store/client-key-store.js';
import type { OpenedDatabase } from '../store/opened-database.js';
import { KEY_FILE_NAME, loadSecretKey, SecretBox, verifySecretKey } from '../store/secret-box.js';
import { type DataPaths, dataPaths, ensureDataDir } from './data-dir.js';
import { openStoreDatabase, resolveStoreLocation, type StoreLocation } from './store-location.js';

export interface OpenStores extends OpenAccountDatabase {
  paths: DataPaths;
  config: ConfigStore;
}

export interface OpenAccountDatabase {
  accounts: AccountStore;
  /** Client keys (hashed secrets), in memory like the accounts. */
  keys: ClientKeyStore;
  /** The store database (SQLite or PostgreSQL), shared by the account, lock and request-log stores. */
  database: OpenedDatabase;
  /** Where `database` is: the request log worker opens its own connection to it. */
  storeLocation: StoreLocation;
  close(): Promise<void>;
}

/** What every command that opens the store is given by `src/cli` (the only reader of env and argv). */
export interface StoreOpenOptions {
  dataDir: string;
  /** SWITCHYARD_SECRET_KEY. */
  secretKey: string | undefined;
  /** SWITCHYARD_DATABASE_URL: the PostgreSQL URL, winning over `store.postgres_url`. */
  databaseUrl?: string | undefined;
  clock: Clock;
  ids: IdSource;
  /**
   * Where background database failures (a lost PostgreSQL connection) are reported, and, at trace
   * level, every statement run (`store query`, with its SQL). Default: nowhere.
   */
  logger?: Logger;
  /** Settings given by environment variables, laid over gui_config.json. */
  configOverrides?: EnvironmentOverrides;
  /**
   * `--allow-degraded-start`: a PostgreSQL store that does not answer at start is not an error; the
   * stores start empty and load once it answers (see `OpenPostgresDatabaseOptions.openLater`).
   */
  allowDegradedStart?: boolean;
}

/**
 * Opens the secret key, the configured store database and the account store (what the `accounts`
 * commands need). `store` is the config's `store` section; read from the data directory's
 * `gui_config.json` (never created or changed) when not given.
 */
export async function openAccountDatabase(
  options: StoreOpenOptions & { store?: SwitchyardConfig['store'] },
): Promise<OpenAccountDatabase> {
  const paths = dataPaths(options.dataDir);
  await ensureDataDir(paths.dataDir);
  const store = options.store ?? (await readConfigFile(paths.configPath, options.configOverrides)).store;
  const location = resolveStoreLocation({ store, paths, databaseUrl: options.databaseUrl });
  const key = await loadSecretKey({ dataDir: paths.dataDir, envKey: options.secretKey });
  const box = new SecretBox(key);
  const { logger } = options;
  const database = await openStoreDatabase({
    location,
    clock: options.clock,
    instanceId: options.ids.uuid(),
    onError: (error) => logger?.warn({ err: error }, 'store database connection problem (retrying)'),
    // At trace level every statement is logged: how to see what reaches the database, and when.
    onQuery: logger?.isLevelEnabled('trace') ? (sql) => logger.trace({ sql }, 'store query') : undefined,
    openLater: options.allowDegradedStart ?? false,
  });
  // Opened before PostgreSQL answered: the stores start empty and load on its first answer.
  const deferLoad = database.health.opening;
  try {
    if (!deferLoad) await verifySecretKey(database.db, box, database.location);
    const accounts = await AccountStore.open({
      deferLoad,
      db: database.db,
      changes: database.changes,
      availability: database.health,
      secretBox: box,
      clock: options.clock,
      ids: options.ids,
      onError: logger
        ? (error) => logger.error({ err: error }, 'account store background work failed')
        : undefined,
    });
    const keys = await ClientKeyStore.open({
      deferLoad,
      db: database.db,
      changes: database.keyChanges,
      availability: database.health,
      clock: options.clock,
      ids: options.ids,
      onError: logger
        ? (error) => logger.error({ err: error }, 'client key store background work failed')
        : undefined,
    }).catch(async (error: unknown) => {
      await accounts.close();
      throw error;
    });
    if (deferLoad) {
      database.health.whenOpened(async () => {
        await accounts.load();
      });
      database.health.whenOpened(() => keys.load());
    }
    return {
      accounts,
      keys,
      database,
      storeLocation: location,
      async close() {
        await keys.close();
        await accounts.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * The secret key's temporary files that a crash or kill left go at start (the config file's own
 * are removed by `ConfigStore.open`).
 */
async function removeLeftoverKeyFiles(paths: DataPaths, logger: Logger): Promise<void> {
  const removed = await removeLeftoverTemporaryFiles(join(paths.dataDir, KEY_FILE_NAME)).catch(() => 0);
  if (removed > 0) logger.info({ removed }, 'removed temporary files of interrupted secret key writes');
}

/**
 * Opens everything the gateway needs: the config file, the secret key, the configured store
 * database and the account store. Any problem throws an Error whose message names the file or
 * the database.
 */
export async function openStores(
  options: StoreOpenOptions & {
    logger: Logger;
    /** Rules beyond the schema a config must meet (`ConfigStoreOptions.validate`). */
    validateConfig?: ConfigStoreOptions['validate'];
  },
): Promise<OpenStores> {
  const paths = dataPaths(options.dataDir);
  await ensureDataDir(paths.dataDir);
  await removeLeftoverKeyFiles(paths, options.logger);
  const config = await ConfigStore.open({
    path: paths.configPath,
    clock: options.clock,
    logger: options.logger,
    generateApiKey: newApiKey,
    ...(options.validateConfig ? { validate: options.validateConfig } : {}),
    overrides: options.configOverrides,
  });
  try {
    const opened = await openAccountDatabase({ ...options, store: config.get().store });
    return {
      ...opened,
      paths,
      config,
      async close() {
        config.close();
        await opened.close();
      },
    };
  } catch (error) {
    config.close();
    throw error;
  }
}

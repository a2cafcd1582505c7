import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { removeStaleTemporaryFiles } from '../config/atomic-write.js';
import { ConfigStore } from '../config/config-store.js';
import type { Clock } from '../core/clock.js';
import { type IdSource, newApiKey } from '../core/ids.js';
import type { Logger } from '../observability/logger.js';
import { AccountStore } from '../store/account-store.js';
import { openDatabase } from '../store/database.js';
import type { DatabaseSchema } from '../store/database-schema.js';
import { KEY_FILE_NAME, loadSecretKey, SecretBox, verifySecretKey } from '../store/secret-box.js';
import { type DataPaths, dataPaths, ensureDataDir } from './data-dir.js';

export interface OpenStores {
  paths: DataPaths;
  config: ConfigStore;
  accounts: AccountStore;
  db: Kysely<DatabaseSchema>;
  close(): Promise<void>;
}

export interface OpenAccountDatabase {
  accounts: AccountStore;
  db: Kysely<DatabaseSchema>;
  close(): Promise<void>;
}

/** Opens the secret key, the database and the account store (what the `accounts` commands need). */
export async function openAccountDatabase(options: {
  dataDir: string;
  secretKey: string | undefined;
  clock: Clock;
  ids: IdSource;
}): Promise<OpenAccountDatabase> {
  const paths = dataPaths(options.dataDir);
  await ensureDataDir(paths.dataDir);
  const key = await loadSecretKey({ dataDir: paths.dataDir, envKey: options.secretKey });
  const box = new SecretBox(key);
  const database = await openDatabase({ file: paths.databasePath });
  try {
    await verifySecretKey(database.db, box);
    const accounts = await AccountStore.open({
      db: database.db,
      secretBox: box,
      clock: options.clock,
      ids: options.ids,
    });
    return {
      accounts,
      db: database.db,
      async close() {
        await accounts.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Temporary files of writes a crash or kill interrupted (config file, secret key) go at start. */
async function removeStaleTemporaryFilesOf(
  paths: DataPaths,
  options: { clock: Clock; logger: Logger },
): Promise<void> {
  const now = options.clock.now();
  for (const path of [paths.configPath, join(paths.dataDir, KEY_FILE_NAME)]) {
    const removed = await removeStaleTemporaryFiles(path, { now });
    if (removed.length > 0) options.logger.info({ removed }, 'removed temporary files of interrupted writes');
  }
}

/**
 * Opens everything that lives in the data directory: the config file, the secret key, the
 * database and the account store. Any problem throws an Error whose message names the file.
 */
export async function openStores(options: {
  dataDir: string;
  secretKey: string | undefined;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
}): Promise<OpenStores> {
  const paths = dataPaths(options.dataDir);
  await ensureDataDir(paths.dataDir);
  await removeStaleTemporaryFilesOf(paths, options);
  const config = await ConfigStore.open({
    path: paths.configPath,
    clock: options.clock,
    logger: options.logger,
    generateApiKey: newApiKey,
  });
  try {
    const database = await openAccountDatabase(options);
    return {
      paths,
      config,
      accounts: database.accounts,
      db: database.db,
      async close() {
        config.close();
        await database.close();
      },
    };
  } catch (error) {
    config.close();
    throw error;
  }
}

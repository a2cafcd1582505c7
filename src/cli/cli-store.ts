import { readConfigFile } from '../config/read-config-file.js';
import { systemClock } from '../core/clock.js';
import { systemIds } from '../core/ids.js';
import { configuredPrices, PriceTable } from '../usage/price-table.js';
import { dataPaths, resolveDataDir } from './data-dir.js';
import { type OpenAccountDatabase, openAccountDatabase } from './open-stores.js';

/** What the `keys` and `usage` commands work with: the store, and the price table of the config file. */
export interface CliStore extends OpenAccountDatabase {
  prices: PriceTable;
}

/** Opens the data directory's store (as `start` would), runs `work`, and closes it again. */
export async function withCliStore<T>(
  flags: { dataDir?: string },
  work: (store: CliStore) => Promise<T>,
): Promise<T> {
  const dataDir = resolveDataDir(flags.dataDir, process.env);
  const config = await readConfigFile(dataPaths(dataDir).configPath);
  const database = await openAccountDatabase({
    dataDir,
    store: config.store,
    secretKey: process.env['SWITCHYARD_SECRET_KEY'],
    databaseUrl: process.env['SWITCHYARD_DATABASE_URL'],
    clock: systemClock,
    ids: systemIds,
  });
  try {
    return await work({ ...database, prices: new PriceTable(configuredPrices(config.pricing.models)) });
  } finally {
    await database.close();
  }
}

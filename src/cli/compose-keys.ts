import type { Kysely } from 'kysely';
import type { ConfigStore } from '../config/config-store.js';
import type { AccountPool } from '../core/account-pool.js';
import type { Clock } from '../core/clock.js';
import { ClientKeyGate } from '../keys/client-key-gate.js';
import type { KeyLimiter, KeyUsageSeed } from '../keys/key-limiter.js';
import { MemoryKeyLimiter } from '../keys/memory-key-limiter.js';
import type { Logger } from '../observability/logger.js';
import { UsageRecorder } from '../observability/usage-recorder.js';
import type { KeyServices } from '../server/app-dependencies.js';
import type { ClientKeyStore } from '../store/client-key-store.js';
import type { DatabaseSchema } from '../store/database-schema.js';
import { isStoreUnreachableError } from '../store/store-unreachable.js';
import { UsageStore } from '../store/usage-store.js';
import { configuredPrices, PriceTable } from '../usage/price-table.js';
import { dayStart, monthStart } from '../usage/usage-windows.js';
import { memoizeByConfig } from './memoize-by-config.js';

/**
 * Wires client keys: the in-memory limiter, started from this month's stored usage so day and
 * month budgets survive a restart; the usage recorder; the price table from the config.
 */
export async function composeKeyServices(options: {
  config: ConfigStore;
  keys: ClientKeyStore;
  pool: AccountPool;
  db: Kysely<DatabaseSchema>;
  clock: Clock;
  logger: Logger;
}): Promise<KeyServices> {
  const { config, clock, logger } = options;
  const usage = new UsageStore(options.db);
  const prices = memoizeByConfig(
    config,
    (current) => new PriceTable(configuredPrices(current.pricing.models)),
  );
  const limiter = new MemoryKeyLimiter();
  await seedLimiter({ limiter, usage, prices: prices(), now: clock.now() }).catch((error: unknown) => {
    if (!isStoreUnreachableError(error)) throw error;
    logger.warn(
      { err: error },
      "the store does not answer: client keys' day and month budgets count from zero until the next start",
    );
  });
  const gate = new ClientKeyGate({ limiter, keys: options.keys, pool: options.pool, prices });
  const recorder = new UsageRecorder({
    store: usage,
    clock,
    logger,
    retentionDays: () => config.get().proxy.logging.usage_retention_days,
  });
  recorder.start();
  return { store: options.keys, gate, usage, recorder, prices, close: () => recorder.close() };
}

/**
 * Every key's tokens and estimated cost of the current UTC day and month, from the stored hourly
 * usage (what the limiter starts from, and what the CLI shows).
 */
export async function storedKeyUsage(options: {
  usage: UsageStore;
  prices: PriceTable;
  now: number;
}): Promise<Map<string, KeyUsageSeed>> {
  const { now, prices } = options;
  const rows = await options.usage.query({ since: monthStart(now), by: 'key', bucket: 'day' });
  const today = dayStart(now);
  const seeds = new Map<string, KeyUsageSeed>();
  for (const row of rows) {
    if (row.group === null) continue;
    const seed = seeds.get(row.group) ?? {
      dayStart: today,
      monthStart: monthStart(now),
      tokensToday: 0,
      costToday: 0,
      tokensThisMonth: 0,
      costThisMonth: 0,
    };
    const tokens = row.inputTokens + row.outputTokens;
    const cost = (row.model === null ? null : prices.costOf(row.model, row)) ?? 0;
    seed.tokensThisMonth += tokens;
    seed.costThisMonth += cost;
    if (row.start === today) {
      seed.tokensToday += tokens;
      seed.costToday += cost;
    }
    seeds.set(row.group, seed);
  }
  return seeds;
}

async function seedLimiter(options: {
  limiter: KeyLimiter;
  usage: UsageStore;
  prices: PriceTable;
  now: number;
}): Promise<void> {
  for (const [keyId, seed] of await storedKeyUsage(options)) await options.limiter.seed(keyId, seed);
}

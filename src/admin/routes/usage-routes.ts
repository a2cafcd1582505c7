import type { FastifyInstance } from 'fastify';
import type { Account } from '../../core/account.js';
import type { Clock } from '../../core/clock.js';
import { parseOrThrow } from '../../core/validation.js';
import type { UsageRecorder } from '../../observability/usage-recorder.js';
import type { ClientKeyStore } from '../../store/client-key-store.js';
import { ASSUMED_AVAILABLE, type StoreAvailability } from '../../store/store-health.js';
import type { UsageStore } from '../../store/usage-store.js';
import type { PriceTable } from '../../usage/price-table.js';
import { usageQuery } from '../usage-contracts.js';
import { buildUsageReport, toPriceList, usageLabeler, usageStoreQuery } from '../usage-report.js';
import { adminRoute } from './admin-route.js';

export interface UsageRoutesDependencies {
  keys: { usage: UsageStore; recorder: UsageRecorder; prices: () => PriceTable; store: ClientKeyStore };
  accounts: { get(id: string): Account | undefined };
  clock: Clock;
  /** Guards the read: a 503 `store_unavailable` while the database does not answer. */
  storeReads?: Pick<StoreAvailability, 'guard'> | undefined;
}

/**
 * `GET /api/usage?by=key|account|model&since=7d&bucket=hour|day[&key=&account=&model=]`: tokens,
 * requests and estimated cost per group and bucket, from the hourly usage totals.
 * `GET /api/usage/prices`: the price table in force.
 */
export function registerUsageRoutes(app: FastifyInstance, deps: UsageRoutesDependencies): void {
  const { usage, recorder, prices, store } = deps.keys;
  const label = usageLabeler({
    keyName: (id) => store.get(id)?.name,
    accountEmail: (id) => deps.accounts.get(id)?.email,
  });

  app.get('/api/usage', adminRoute, async (request) => {
    const parameters = parseOrThrow(usageQuery, request.query, 'usage query');
    const now = deps.clock.now();
    const query = usageStoreQuery(parameters, now);
    // Requests that just finished are still being summed in memory: write them first.
    await recorder.flush();
    const rows = await (deps.storeReads ?? ASSUMED_AVAILABLE).guard(() => usage.query(query));
    return buildUsageReport({ rows, query, now, prices: prices(), label });
  });

  app.get('/api/usage/prices', adminRoute, async () => toPriceList(prices()));
}

/**
 * Gateway instances sharing one Redis (scheduling state) and one PostgreSQL (store), in this
 * process (the three-process tests use `gateway-cluster.ts`), each on a fresh database and key prefix of the run's services (`global-services.ts`).
 *
 * ```ts
 * const cluster: GatewayHarness[] = [];
 * const [a, b] = await startCluster({ size: 2, accounts, config: { auto_refresh: false } }, cluster);
 * // ... afterwards: await Promise.all(cluster.map((gateway) => gateway.close()));
 * ```
 */
import { expect, inject, vi } from 'vitest';
import { type GatewayHarness, type HarnessAccount, startGateway } from './gateway-harness.js';
import { createDatabase, redisKeyPrefix } from './services.js';

/** Account changes travel through PostgreSQL's change feed; wait for them, bounded. */
export const SEEN = { timeout: 5000, interval: 50 };
const KEY = 'c'.repeat(64);

export interface ClusterOptions {
  size: number;
  /** Added through the first instance; every instance has them before `startCluster` returns. */
  accounts: HarnessAccount[];
  /** gui_config.json entries of every instance besides `store` and `state`. */
  config?: Record<string, unknown>;
}

/**
 * Starts `size` instances, pushing each into `started` as soon as it runs (so the caller closes
 * them even when a later one fails to start), and returns them.
 */
export async function startCluster(
  options: ClusterOptions,
  started: GatewayHarness[],
): Promise<GatewayHarness[]> {
  const config = {
    ...options.config,
    store: { backend: 'postgres', postgres_url: await createDatabase(inject('postgresUrl')) },
    // Several gateways and the test share one event loop here: a generous timeout keeps Redis in
    // use (the fault tests cover the short one).
    state: {
      backend: 'redis',
      redis_url: inject('redisUrl'),
      key_prefix: redisKeyPrefix(),
      command_timeout_ms: 2000,
    },
  };
  const instances: GatewayHarness[] = [];
  for (let index = 0; index < options.size; index++) {
    const accounts = index === 0 ? options.accounts : [];
    const gateway = await startGateway({ secretKey: KEY, config, accounts });
    started.push(gateway);
    instances.push(gateway);
  }
  for (const gateway of instances) {
    await vi.waitFor(
      () => expect(gateway.runtime.stores.accounts.list()).toHaveLength(options.accounts.length),
      SEEN,
    );
  }
  return instances;
}

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
import { afterAll, afterEach, beforeAll, expect, inject, vi } from 'vitest';
import { type GatewayHarness, type HarnessAccount, startGateway } from './gateway-harness.js';
import { type MockUpstream, startMockUpstream } from './mock-upstream.js';
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
  /** `state` entries besides the backend, URL, key prefix and command timeout (e.g. `binding_lease_ms`). */
  state?: Record<string, unknown>;
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
      ...options.state,
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

/** What `clusterTestBed` gives a test file. */
export interface ClusterTestBed {
  /** The mock upstream every test of the file shares (started before the first test). */
  readonly upstream: MockUpstream;
  /** Starts a cluster that is closed after the test. */
  start(options: ClusterOptions): Promise<GatewayHarness[]>;
}

/**
 * Registers the hooks of a file whose tests each start a cluster in front of one mock upstream:
 * the upstream starts once; after each test every instance must still be on Redis (local state
 * alone would pass some tests by luck), then the instances close and the upstream is reset.
 */
export function clusterTestBed(): ClusterTestBed {
  let upstream: MockUpstream | undefined;
  let started: GatewayHarness[] = [];
  beforeAll(async () => {
    upstream = await startMockUpstream();
  });
  afterAll(() => upstream?.close());
  afterEach(async () => {
    for (const gateway of started) expect(gateway.runtime.services.state.health().degraded).toBe(false);
    await Promise.all(started.map((gateway) => gateway.close()));
    started = [];
    upstream?.reset();
  });
  return {
    get upstream() {
      if (!upstream) throw new Error('the mock upstream starts before the first test');
      return upstream;
    },
    start: (options) => startCluster(options, started),
  };
}

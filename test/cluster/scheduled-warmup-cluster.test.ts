/**
 * The scheduled warmup on three gateway instances sharing Redis and PostgreSQL: each account's
 * window is warmed by one instance only, whichever instances tick.
 */
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { createDatabase, redisKeyPrefix } from '../support/services.js';

const KEYS = ['sk-w1', 'sk-w2', 'sk-w3'];

let upstream: MockUpstream;
let instances: GatewayHarness[] = [];

afterEach(async () => {
  for (const gateway of instances) expect(gateway.runtime.services.state.health().degraded).toBe(false);
  await Promise.all(instances.map((gateway) => gateway.close()));
  instances = [];
  await upstream.close();
});

async function startInstances(): Promise<GatewayHarness[]> {
  upstream = await startMockUpstream();
  const config = {
    store: { backend: 'postgres', postgres_url: await createDatabase(inject('postgresUrl')) },
    state: {
      backend: 'redis',
      redis_url: inject('redisUrl'),
      key_prefix: redisKeyPrefix(),
      command_timeout_ms: 2000,
    },
    proxy: { auth_mode: 'all_except_health', warmup: { schedule: { enabled: true, interval_minutes: 60 } } },
  };
  const accounts = KEYS.map((key) => ({
    provider: 'anthropic' as const,
    email: `${key}@example.com`,
    api_key: key,
    base_url: upstream.url,
  }));
  const secretKey = 'd'.repeat(64);
  instances.push(await startGateway({ secretKey, config, accounts }));
  instances.push(await startGateway({ secretKey, config }), await startGateway({ secretKey, config }));
  for (const gateway of instances)
    await vi.waitFor(() => expect(gateway.runtime.stores.accounts.list()).toHaveLength(KEYS.length), {
      timeout: 5000,
      interval: 50,
    });
  return instances;
}

const warmupOf = (gateway: GatewayHarness) => {
  const warmup = gateway.runtime.services.accountServices.scheduledWarmup;
  if (!warmup) throw new Error('no scheduled warmup');
  return warmup;
};

describe('scheduled warmup on three instances sharing Redis', () => {
  it('warms each account once per window, by one instance; the others record it as done elsewhere', async () => {
    const nodes = await startInstances();
    await Promise.all(nodes.map((gateway) => warmupOf(gateway).tick()));
    await Promise.all(nodes.map((gateway) => warmupOf(gateway).tick()));
    expect(KEYS.map((key) => upstream.hits(key))).toEqual([1, 1, 1]);

    const results = await Promise.all(nodes.map(async (gateway) => await warmupOf(gateway).status()));
    for (const key of KEYS) {
      const email = `${key}@example.com`;
      const perInstance = results.map(
        (targets) => targets.find((target) => target.email === email)?.last?.result,
      );
      expect(perInstance.sort()).toEqual(['elsewhere', 'elsewhere', 'ok']);
    }
  });
});

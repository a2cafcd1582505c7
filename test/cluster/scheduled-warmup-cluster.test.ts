/**
 * The scheduled warmup on three gateway instances sharing Redis and PostgreSQL: each account's
 * window is warmed by one instance only, whichever instances tick.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayHarness } from '../support/gateway-harness.js';
import { clusterTestBed } from '../support/in-process-cluster.js';

const KEYS = ['sk-w1', 'sk-w2', 'sk-w3'];
const bed = clusterTestBed();

function startInstances(): Promise<GatewayHarness[]> {
  return bed.start({
    size: 3,
    accounts: KEYS.map((key) => ({
      provider: 'anthropic' as const,
      email: `${key}@example.com`,
      api_key: key,
      base_url: bed.upstream.url,
    })),
    config: {
      proxy: {
        auth_mode: 'all_except_health',
        warmup: { schedule: { enabled: true, interval_minutes: 60 } },
      },
    },
  });
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
    expect(KEYS.map((key) => bed.upstream.hits(key))).toEqual([1, 1, 1]);

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

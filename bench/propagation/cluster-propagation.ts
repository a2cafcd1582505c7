/**
 * How long an admin change made through one `switchyard start` process takes to apply on the
 * others: three real processes on one Redis and one PostgreSQL database (the cluster of the tests,
 * `test/support/gateway-cluster.ts`). Each change is made through one instance and the others'
 * admin API is polled until every one of them reports it; the figure is the slowest instance's.
 */

import type { ClusterInstance } from '../../test/support/gateway-cluster.js';
import { startGatewayCluster } from '../../test/support/gateway-cluster.js';
import { pick } from '../../test/support/http-call.js';
import { type PropagationSample, timeUntil } from './lock-propagation.js';

const LIMIT_MS = 10_000;

async function field(node: ClusterInstance, path: string, name: string): Promise<unknown> {
  return pick((await node.call(path)).json, name);
}

/** Until every instance in `others` reports `expected` in `path`'s `name`; the ms it took. */
function untilAll(others: ClusterInstance[], path: string, name: string, expected: unknown): Promise<number> {
  return timeUntil(async () => {
    for (const node of others) if ((await field(node, path, name)) !== expected) return false;
    return true;
  }, LIMIT_MS);
}

async function expectStatus(
  answer: Promise<{ status: number; text: string }>,
  status: number,
): Promise<void> {
  const { status: got, text } = await answer;
  if (got !== status) throw new Error(`expected ${status}, got ${got}: ${text}`);
}

/**
 * `trials` rounds of: the scheduling mode changed through instance 1, an account added through
 * instance 1, then disabled through instance 2; each timed until all the other instances have it.
 */
export async function measureClusterPropagation(options: {
  redisUrl: string;
  keyPrefix: string;
  postgresUrl: string;
  trials: number;
}): Promise<PropagationSample[]> {
  const cluster = await startGatewayCluster({
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    postgresUrl: options.postgresUrl,
    secretKey: 'b'.repeat(64),
    commandTimeoutMs: 2000,
  });
  const [first, second, third] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  const mode: number[] = [];
  const added: number[] = [];
  const disabled: number[] = [];
  try {
    for (let trial = 0; trial < options.trials; trial++) {
      const next = trial % 2 === 0 ? 'PerformanceFirst' : 'Balance';
      await expectStatus(first.call('/api/proxy/scheduling', { method: 'PUT', body: { mode: next } }), 200);
      mode.push(await untilAll([second, third], '/api/proxy/scheduling', 'mode', next));

      const created = await first.call('/api/accounts', {
        body: {
          provider: 'openai',
          email: `propagation-${trial}@example.com`,
          api_key: `sk-propagation-${trial}`,
          base_url: 'http://127.0.0.1:9/v1',
        },
      });
      if (created.status !== 201)
        throw new Error(`adding an account answered ${created.status}: ${created.text}`);
      added.push(await untilAll([second, third], '/api/proxy/status', 'total_accounts', trial + 1));

      const id = pick(created.json, 'id') as string;
      await expectStatus(
        second.call(`/api/accounts/${id}`, { method: 'PATCH', body: { disabled: true } }),
        200,
      );
      disabled.push(await untilAll([first, third], '/api/proxy/status', 'active_accounts', 0));
    }
  } finally {
    await cluster.stop();
  }
  return [
    { change: 'scheduling mode set through one instance', delaysMs: mode, targetMs: 1000 },
    { change: 'account added through one instance', delaysMs: added, targetMs: 1000 },
    { change: 'account disabled through one instance', delaysMs: disabled, targetMs: 1000 },
  ];
}

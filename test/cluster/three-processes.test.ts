/**
 * Three `switchyard start` processes on one Redis (scheduling state) and one PostgreSQL database
 * (store), the mock upstream behind them, client traffic spread round robin across them: from a
 * client's point of view they behave as one gateway. Stickiness, rotation, 429 locks, the fixed
 * account, clear bindings, the scheduling mode, the atomic first binding and account changes are
 * all shared. One cluster serves the whole file; every test leaves it as it found it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { runCli } from '../foundation/run-cli.js';
import {
  type ClusterInstance,
  type GatewayCluster,
  startGatewayCluster,
} from '../support/gateway-cluster.js';
import { type HttpExchange, pick } from '../support/http-call.js';
import { type MockUpstream, rateLimited, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import { createDatabase, redisKeyPrefix } from '../support/services.js';

const SECRET_KEY = 'c'.repeat(64);
const KEYS = ['sk-a', 'sk-b', 'sk-c'];
/**
 * Changes that travel between processes (PostgreSQL's change feed, Redis pub/sub) are awaited,
 * bounded: the 1 s target, generously widened for a machine shared by many test runs.
 */
const SEEN = { timeout: 10_000, interval: 50 };

let upstream: MockUpstream;
let cluster: GatewayCluster | undefined;
let nodes: ClusterInstance[] = [];
const accountIds: Record<string, string> = {};

beforeAll(async () => {
  upstream = await startMockUpstream();
  cluster = await startGatewayCluster({
    redisUrl: inject('redisUrl'),
    keyPrefix: redisKeyPrefix(),
    postgresUrl: await createDatabase(inject('postgresUrl')),
    secretKey: SECRET_KEY,
    // Four processes (three gateways and this one) share two cores: a generous Redis timeout keeps
    // every instance on Redis (the fault tests cover the short one).
    commandTimeoutMs: 2000,
  });
  nodes = cluster.instances;
  for (const key of KEYS) await addAccount(nodes[0]!, key);
  for (const node of nodes) {
    await vi.waitFor(async () => expect(await status(node, 'total_accounts')).toBe(KEYS.length), SEEN);
  }
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  await upstream?.close();
}, 60_000);

afterEach(async () => {
  // Every instance must have served on Redis: local state alone would pass some of these by luck.
  for (const node of nodes) expect(await status(node, 'state_degraded')).toBe(false);
  const [first] = nodes;
  expect((await first!.call('/api/proxy/session-bindings/clear', { method: 'POST' })).status).toBe(200);
  expect((await first!.call('/api/proxy/rate-limits', { method: 'DELETE' })).status).toBe(200);
  const unfixed = await first!.call('/api/proxy/fixed-account', {
    method: 'PUT',
    body: { account_id: null },
  });
  expect(unfixed.status).toBe(200);
  upstream.reset();
});

async function addAccount(node: ClusterInstance, key: string): Promise<string> {
  const body = {
    provider: 'openai',
    email: `${key}@example.com`,
    api_key: key,
    base_url: `${upstream.url}/v1`,
  };
  const created = await node.call('/api/accounts', { body });
  expect(created.status, created.text).toBe(201);
  accountIds[key] = pick(created.json, 'id') as string;
  return accountIds[key];
}

async function status(node: ClusterInstance, field: string): Promise<unknown> {
  return pick((await node.call('/api/proxy/status')).json, field);
}

function chat(node: ClusterInstance, text: string, session?: string): Promise<HttpExchange> {
  const headers = session === undefined ? undefined : { 'session-id': session };
  return node.call('/v1/chat/completions', { body: sampleChat(text), headers });
}

/** The account that served an answer, by `X-Account-Email`, after checking it succeeded. */
function servedBy(answer: HttpExchange): string {
  expect(answer.status, answer.text).toBe(200);
  return String(answer.headers['x-account-email']);
}

/** Sets the scheduling mode through `node` and waits until every instance uses it. */
async function useMode(node: ClusterInstance, mode: string): Promise<void> {
  expect((await node.call('/api/proxy/scheduling', { method: 'PUT', body: { mode } })).status).toBe(200);
  for (const other of nodes) {
    await vi.waitFor(
      async () => expect(pick((await other.call('/api/proxy/scheduling')).json, 'mode')).toBe(mode),
      SEEN,
    );
  }
}

/** `count` sequential requests, the i-th on instance i mod 3; how many each account served. */
async function roundRobin(count: number, label: string): Promise<Record<string, number>> {
  const served: Record<string, number> = {};
  for (let turn = 0; turn < count; turn++) {
    const email = servedBy(await chat(nodes[turn % nodes.length]!, `${label} ${turn}`));
    served[email] = (served[email] ?? 0) + 1;
  }
  return served;
}

describe('three gateway processes sharing Redis and PostgreSQL', () => {
  it('keeps the 10 turns of one conversation on one account whichever instance serves them', async () => {
    await useMode(nodes[0]!, 'Balance');
    // Another conversation on the second instance first: an instance on its own state would start elsewhere.
    servedBy(await chat(nodes[1]!, 'another', 'other-conversation'));
    upstream.reset();
    const emails = new Set<string>();
    for (let turn = 0; turn < 10; turn++) {
      emails.add(servedBy(await chat(nodes[turn % 3]!, `turn ${turn}`, 'conversation-1')));
    }
    expect(emails.size).toBe(1);
    expect(KEYS.map((key) => upstream.hits(key)).filter((hits) => hits > 0)).toEqual([10]);
  });

  it('spreads PerformanceFirst evenly over the accounts across the cluster', async () => {
    await useMode(nodes[1]!, 'PerformanceFirst');
    // 5 rounds: a round-robin position per instance would send accounts 7, 4 and 4 requests.
    const served = await roundRobin(5 * KEYS.length, 'spread');
    const counts = KEYS.map((key) => served[`${key}@example.com`] ?? 0);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(15);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(KEYS.map((key) => upstream.hits(key))).toEqual(counts);
  });

  it('keeps every instance off an account another instance saw rate-limited', async () => {
    await useMode(nodes[2]!, 'PerformanceFirst');
    upstream.script('sk-a', rateLimited({ retryAfter: '600' }));
    // Round robin on the first instance until its rotation reaches sk-a: the 429, then failover.
    for (let turn = 0; turn < KEYS.length && upstream.hits('sk-a') === 0; turn++) {
      servedBy(await chat(nodes[0]!, `warm ${turn}`));
    }
    expect(upstream.hits('sk-a')).toBe(1);
    const served = await roundRobin(12, 'after');
    // Without the lock, round robin over three accounts would have sent sk-a a third of these.
    expect(served['sk-a@example.com']).toBeUndefined();
    expect(upstream.hits('sk-a')).toBe(1);
    const locks = (await nodes[1]!.call('/api/proxy/rate-limits')).json;
    expect(pick(locks, 'rate_limits', 0, 'account_email')).toBe('sk-a@example.com');
  });

  it('applies clear bindings, the fixed account and the scheduling mode set through any instance', async () => {
    await useMode(nodes[0]!, 'Balance');
    for (let turn = 0; turn < 6; turn++) servedBy(await chat(nodes[0]!, `bound ${turn}`, `session-${turn}`));
    expect(await status(nodes[1]!, 'session_bindings')).toBe(6);
    const cleared = await nodes[2]!.call('/api/proxy/session-bindings/clear', { method: 'POST' });
    expect(pick(cleared.json, 'cleared')).toBe(6);
    for (const node of nodes) expect(await status(node, 'session_bindings')).toBe(0);

    upstream.reset();

    const fixed = await nodes[0]!.call('/api/proxy/fixed-account', {
      method: 'PUT',
      body: { account_id: accountIds['sk-c'] },
    });
    expect(fixed.status).toBe(200);
    for (let turn = 0; turn < 6; turn++) {
      expect(servedBy(await chat(nodes[1 + (turn % 2)]!, `pinned ${turn}`, `pinned-${turn}`))).toBe(
        'sk-c@example.com',
      );
    }
    expect(KEYS.map((key) => upstream.hits(key))).toEqual([0, 0, 6]);
    expect(pick((await nodes[2]!.call('/api/proxy/fixed-account')).json, 'account_id')).toBe(
      accountIds['sk-c'],
    );

    // A mode one instance received from another, changed away and back through that instance,
    // still reaches the others (it is not mistaken for the echo of the change it received).
    await useMode(nodes[1]!, 'PerformanceFirst');
    await useMode(nodes[0]!, 'Balance');
    await useMode(nodes[0]!, 'PerformanceFirst');
  });

  it('binds 50 concurrent first requests of one session across the instances to one account', async () => {
    await useMode(nodes[0]!, 'Balance');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) => chat(nodes[index % 3]!, `burst ${index}`, 'burst-session')),
    );
    expect(new Set(answers.map(servedBy)).size).toBe(1);
    expect(KEYS.map((key) => upstream.hits(key)).filter((hits) => hits > 0)).toEqual([50]);
  });

  it('serves from an account added through one instance on another, drops one disabled through a third, and takes it back when the CLI enables it', async () => {
    await useMode(nodes[0]!, 'PerformanceFirst');
    const added = await addAccount(nodes[0]!, 'sk-d');
    expect(
      (await nodes[0]!.call('/api/proxy/fixed-account', { method: 'PUT', body: { account_id: added } }))
        .status,
    ).toBe(200);
    // The third instance pins to it as soon as its pool has it (until then it serves elsewhere).
    await vi.waitFor(
      async () => expect(servedBy(await chat(nodes[2]!, 'new account'))).toBe('sk-d@example.com'),
      SEEN,
    );
    expect(
      (await nodes[0]!.call('/api/proxy/fixed-account', { method: 'PUT', body: { account_id: null } }))
        .status,
    ).toBe(200);

    const disabled = await nodes[1]!.call(`/api/accounts/${accountIds['sk-a']}`, {
      method: 'PATCH',
      body: { disabled: true },
    });
    expect(disabled.status, disabled.text).toBe(200);
    for (const node of nodes)
      await vi.waitFor(async () => expect(await status(node, 'active_accounts')).toBe(3), SEEN);
    upstream.reset();
    const served = await roundRobin(12, 'without sk-a');
    expect(upstream.hits('sk-a')).toBe(0);
    expect(served).toEqual({ 'sk-b@example.com': 4, 'sk-c@example.com': 4, 'sk-d@example.com': 4 });

    // The command line, run against the third instance's data directory, writes the shared store too.
    const enabled = await runCli(
      ['accounts', 'enable', 'sk-a@example.com', '--data-dir', nodes[2]!.dataDir],
      {
        env: cluster!.cliEnvironment,
      },
    );
    expect(enabled.code, enabled.stderr).toBe(0);
    for (const node of nodes) {
      await vi.waitFor(async () => expect(await status(node, 'active_accounts')).toBe(4), SEEN);
    }
    expect(await roundRobin(12, 'with sk-a again')).toEqual(
      Object.fromEntries(['sk-a', 'sk-b', 'sk-c', 'sk-d'].map((key) => [`${key}@example.com`, 3])),
    );
  });
});

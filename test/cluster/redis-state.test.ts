/**
 * Three gateway instances sharing one Redis (scheduling state) and one PostgreSQL (store), in
 * this process, against the mock upstream: a 429 seen by one instance keeps the others off the
 * account, a conversation stays on one account whichever instance serves it, and the fixed
 * account, clear bindings and scheduling mode set through one instance apply to all.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SEEN, startCluster } from '../support/gateway-cluster.js';
import type { GatewayHarness } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, rateLimited, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';

const KEYS = ['sk-a', 'sk-b', 'sk-c'];

let upstream: MockUpstream;
let cluster: GatewayHarness[] = [];

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(() => upstream.close());
afterEach(async () => {
  // Every instance must have served on Redis: local state alone would pass some of these by luck.
  for (const gateway of cluster) expect(gateway.runtime.services.state.health().degraded).toBe(false);
  await Promise.all(cluster.map((gateway) => gateway.close()));
  cluster = [];
  upstream.reset();
});

/** Three instances on a fresh database and key prefix; the first adds the accounts. */
function startThree(mode: string): Promise<GatewayHarness[]> {
  const accounts = KEYS.map((key) => ({
    provider: 'openai' as const,
    email: `${key}@example.com`,
    api_key: key,
    base_url: `${upstream.url}/v1`,
  }));
  const config = { proxy: { auth_mode: 'all_except_health', scheduling: { mode } } };
  return startCluster({ size: 3, accounts, config }, cluster);
}

function chat(gateway: GatewayHarness, text: string, headers: Record<string, string> = {}) {
  return gateway.call('POST', '/v1/chat/completions', {
    body: sampleChat(text),
    headers: { authorization: `Bearer ${gateway.apiKey}`, ...headers },
  });
}

function hitsByKey(): Record<string, number> {
  return Object.fromEntries(KEYS.map((key) => [key, upstream.hits(key)]));
}

describe('three instances sharing Redis and PostgreSQL', () => {
  it('a 429 seen by one instance keeps the other two off that account', async () => {
    const [a, b, c] = await startThree('PerformanceFirst');
    upstream.script('sk-a', rateLimited({ retryAfter: '600' }));
    // Round robin on A until its rotation reaches sk-a: the 429, then failover.
    for (let turn = 0; turn < KEYS.length && upstream.hits('sk-a') === 0; turn++) {
      expect((await chat(a!, `warm ${turn}`)).status).toBe(200);
    }
    expect(upstream.hits('sk-a')).toBe(1);
    for (let turn = 0; turn < 12; turn++) {
      expect((await chat(turn % 2 === 0 ? b! : c!, `after ${turn}`)).status).toBe(200);
    }
    expect(upstream.hits('sk-a')).toBe(1);
    // Without the lock, round robin over three accounts would have sent sk-a a third of these.
    expect(upstream.hits('sk-b') + upstream.hits('sk-c')).toBeGreaterThanOrEqual(12);
  });

  it('keeps the 10 turns of one conversation on one account whichever instance serves them', async () => {
    const [a, b, c] = await startThree('Balance');
    // Another conversation on B first: an instance on its own state would start elsewhere.
    expect((await chat(b!, 'another', { 'session-id': 'other' })).status).toBe(200);
    upstream.reset();
    for (let turn = 0; turn < 10; turn++) {
      const instance = [a, b, c][turn % 3]!;
      expect((await chat(instance, `turn ${turn}`, { 'session-id': 'conversation-1' })).status).toBe(200);
    }
    const served = Object.values(hitsByKey()).filter((hits) => hits > 0);
    expect(served).toEqual([10]);
  });

  it('binds 50 concurrent first requests of one session across the instances to one account', async () => {
    const nodes = await startThree('Balance');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        chat(nodes[index % 3]!, `burst ${index}`, { 'session-id': 'burst-session' }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    expect(Object.values(hitsByKey()).filter((hits) => hits > 0)).toEqual([50]);
  });

  it('applies the fixed account, clear bindings and the scheduling mode set through any instance', async () => {
    const [a, b, c] = await startThree('Balance');
    for (let turn = 0; turn < 6; turn++) {
      expect((await chat(a!, `bound ${turn}`, { 'session-id': `session-${turn}` })).status).toBe(200);
    }
    expect(pick((await b!.call('GET', '/api/proxy/status')).json, 'session_bindings')).toBe(6);
    expect(pick((await c!.call('POST', '/api/proxy/session-bindings/clear')).json, 'cleared')).toBe(6);
    expect(pick((await a!.call('GET', '/api/proxy/status')).json, 'session_bindings')).toBe(0);

    upstream.reset();
    const fixedId = a!.accountIds['sk-c@example.com'];
    const put = await a!.call('PUT', '/api/proxy/fixed-account', { body: { account_id: fixedId } });
    expect(put.status).toBe(200);
    for (let turn = 0; turn < 6; turn++) {
      const instance = [b, c][turn % 2]!;
      expect((await chat(instance, `pinned ${turn}`, { 'session-id': `pinned-${turn}` })).status).toBe(200);
    }
    expect(hitsByKey()).toEqual({ 'sk-a': 0, 'sk-b': 0, 'sk-c': 6 });
    expect(pick((await b!.call('GET', '/api/proxy/fixed-account')).json, 'account_id')).toBe(fixedId);

    const mode = await b!.call('PUT', '/api/proxy/scheduling', { body: { mode: 'PerformanceFirst' } });
    expect(mode.status).toBe(200);
    for (const gateway of [a!, c!]) {
      await vi.waitFor(
        () => expect(gateway.runtime.stores.config.get().proxy.scheduling.mode).toBe('PerformanceFirst'),
        SEEN,
      );
    }
  });
});

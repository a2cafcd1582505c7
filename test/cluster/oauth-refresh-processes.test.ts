/**
 * Two `switchyard start` processes on one Redis and one PostgreSQL database, one OAuth account whose
 * access token has expired, requests arriving on both while the first refresh is under way: the
 * mock upstream's token endpoint is called once, and both processes serve with the new token (the
 * refresh runs under the shared `oauth-refresh:<account>` lock; the other process waits for it and
 * reads the token it stored). `oauth-refresh.test.ts` covers the same in one process, and the
 * refresh of a token refused early (401).
 */
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import {
  type ClusterInstance,
  type GatewayCluster,
  startGatewayCluster,
} from '../support/gateway-cluster.js';
import { type MockUpstream, slowFirstByte, startMockUpstream } from '../support/mock-upstream.js';
import { createDatabase, redisKeyPrefix } from '../support/services.js';

const PER_INSTANCE = 6;
const REFRESH_TOKEN = 'rt-processes';

let upstream: MockUpstream;
let cluster: GatewayCluster | undefined;

beforeAll(async () => {
  upstream = await startMockUpstream();
  cluster = await startGatewayCluster({
    size: 2,
    redisUrl: inject('redisUrl'),
    keyPrefix: redisKeyPrefix(),
    postgresUrl: await createDatabase(inject('postgresUrl')),
    secretKey: 'f'.repeat(64),
    // Three processes share two cores: a generous Redis timeout keeps both instances on Redis.
    commandTimeoutMs: 2000,
    // Background quota refreshes would call the token endpoint on their own.
    config: { auto_refresh: false },
  });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  await upstream?.close();
}, 60_000);

function generate(node: ClusterInstance, text: string) {
  return node.call('/v1beta/models/gemini-2.5-pro:generateContent', {
    body: { contents: [{ role: 'user', parts: [{ text }] }] },
  });
}

const tokenCalls = () =>
  upstream.requestsFor(REFRESH_TOKEN).filter((request) => request.protocol === 'oauth');

describe('OAuth refresh across two gateway processes', () => {
  it('an expired token is refreshed once; both processes serve with the new token', async () => {
    const [a, b] = cluster!.instances as [ClusterInstance, ClusterInstance];
    const added = await a.call('/api/accounts', {
      body: {
        provider: 'gemini',
        email: 'processes@example.com',
        refresh_token: REFRESH_TOKEN,
        access_token: 'at-stale',
        expires_at: systemClock.now() - 60_000,
        client_id: 'own-client',
        token_url: `${upstream.url}/token`,
        base_url: upstream.url,
      },
    });
    expect(added.status, added.text).toBe(201);
    await vi.waitFor(
      async () => expect((await b.call('/api/accounts')).text).toContain('processes@example.com'),
      { timeout: 10_000, interval: 50 },
    );
    // The token endpoint holds its answer for a second: B's requests arrive while A refreshes.
    upstream.script(REFRESH_TOKEN, slowFirstByte(1000));

    const onA = Array.from({ length: PER_INSTANCE }, (_, index) => generate(a, `on A ${index}`));
    await vi.waitFor(() => expect(tokenCalls()).toHaveLength(1), { timeout: 10_000, interval: 10 });
    const onB = Array.from({ length: PER_INSTANCE }, (_, index) => generate(b, `on B ${index}`));
    const answers = await Promise.all([...onA, ...onB]);

    expect(answers.map((answer) => answer.status)).toEqual(Array(2 * PER_INSTANCE).fill(200));
    expect(tokenCalls()).toHaveLength(1);
    const bearers = upstream.requests
      .filter((request) => request.protocol === 'gemini')
      .map((request) => request.headers['authorization']);
    expect(bearers).toEqual(Array(2 * PER_INSTANCE).fill(`Bearer at-${REFRESH_TOKEN}-1`));
  }, 60_000);
});

/**
 * The Redis state store when Redis dies or freezes: every operation still answers (from local
 * state, within the command timeout), the store reports itself degraded, and once Redis is back the
 * bindings and locks learned meanwhile are written back. A gateway keeps serving meanwhile and says
 * so in /healthz, /api/proxy/status and /metrics. Each case is bounded (a few seconds).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { systemIds } from '../../src/core/ids.js';
import type { RateLimitLock } from '../../src/core/limits.js';
import { testAccountLock } from '../../src/scheduler/test-account.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';
import { redisKeyPrefix, startRedis, type TestService } from '../support/services.js';

const RECOVERY = { timeout: 10_000, interval: 50 };

let redis: TestService;
const stores: RedisStateStore[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.dispose());
afterEach(async () => {
  redis.thaw();
  if (!redis.running) await redis.start();
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function open(keyPrefix: string, options: { allowDegradedStart?: boolean; retryIntervalMs?: number } = {}) {
  return RedisStateStore.connect({
    url: redis.url,
    keyPrefix,
    clock: systemClock,
    ids: systemIds,
    commandTimeoutMs: 100,
    retryIntervalMs: 100,
    ...options,
  }).then((store) => {
    stores.push(store);
    return store;
  });
}

function lockOn(accountId: string): RateLimitLock {
  const now = systemClock.now();
  return testAccountLock(accountId, { detectedAt: now, until: now + 600_000 });
}

describe('RedisStateStore when Redis fails', () => {
  it('serves from local state while Redis is killed, and writes back what it learned once it returns', async () => {
    const prefix = redisKeyPrefix();
    const store = await open(prefix);
    await redis.kill();
    const read = await store.readForPick({ sessionId: 's1', lastUsed: false });
    expect(read.boundAccountId).toBeNull();
    expect(await store.bindIfAbsent('s1', 'a')).toBe('a');
    await store.extendLock(lockOn('a'));
    expect(store.health()).toMatchObject({ backend: 'redis', degraded: true });
    expect((await store.readForPick({ sessionId: 's1', lastUsed: false })).boundAccountId).toBe('a');

    await redis.start();
    await vi.waitFor(() => expect(store.health().degraded).toBe(false), RECOVERY);
    const other = await open(prefix);
    expect(await other.getBinding('s1')).toBe('a');
    expect((await other.listLocks()).map((lock) => lock.accountId)).toEqual(['a']);
    expect(other.health().degraded).toBe(false);
  });

  it('reports the outage as soon as the connection is lost, with no command and no reload to notice it', async () => {
    // Neither the once-a-second reload nor a command runs within the test: only the lost connection tells.
    const store = await open(redisKeyPrefix(), { retryIntervalMs: 600_000 });
    await redis.kill();
    await vi.waitFor(() => expect(store.health()).toMatchObject({ degraded: true }), RECOVERY);
  });

  it('keeps the conversations it holds leases on where they are through an outage', async () => {
    const store = await open(redisKeyPrefix());
    await store.setBinding('s1', 'a');
    expect((await store.readForPick({ sessionId: 's1', lastUsed: false })).boundAccountId).toBe('a');
    await redis.kill();
    await vi.waitFor(() => expect(store.health().degraded).toBe(true), RECOVERY);
    // On local state now: it knows the binding it was serving, not just the ones made since.
    const read = await store.readForPick({ sessionId: 's1', lastUsed: false });
    expect(read).toMatchObject({ boundAccountId: 'a' });
    expect(read.leased).toBeUndefined();
  });

  it('answers within the command timeout while Redis is frozen, and converges after it thaws', async () => {
    const prefix = redisKeyPrefix();
    const store = await open(prefix);
    await store.setBinding('s1', 'a');
    redis.freeze();
    // The first call waits out the timeout; later ones do not wait at all while degraded.
    const reads = await Promise.all([
      store.readForPick({ sessionId: 's2', lastUsed: false }),
      store.readForPick({ sessionId: null, lastUsed: true }),
    ]);
    expect(reads).toHaveLength(2);
    expect(store.health()).toMatchObject({ degraded: true, reason: expect.stringContaining('timed out') });
    await store.extendLock(lockOn('b'));
    redis.thaw();
    await vi.waitFor(() => expect(store.health().degraded).toBe(false), RECOVERY);
    const other = await open(prefix);
    expect(await other.getBinding('s1')).toBe('a');
    expect((await other.listLocks()).map((lock) => lock.accountId)).toEqual(['b']);
  });

  it('refuses to start on an unreachable Redis naming it, unless degraded start is allowed', async () => {
    await redis.stop();
    await expect(open(redisKeyPrefix())).rejects.toThrow(`Redis at ${redis.url} cannot be reached`);
    const store = await open(redisKeyPrefix(), { allowDegradedStart: true });
    expect(store.health().degraded).toBe(true);
    expect(await store.bindIfAbsent('s1', 'a')).toBe('a');
    await redis.start();
    await vi.waitFor(() => expect(store.health().degraded).toBe(false), RECOVERY);
  });
});

describe('a gateway on Redis when Redis is killed', () => {
  let upstream: MockUpstream;
  let gateway: GatewayHarness | null = null;
  beforeAll(async () => {
    upstream = await startMockUpstream();
  });
  afterAll(() => upstream.close());
  afterEach(async () => {
    await gateway?.close();
    gateway = null;
  });

  it('serves every request, reports state_degraded in health, status and metrics, and recovers', async () => {
    gateway = await startGateway({
      config: {
        state: {
          backend: 'redis',
          redis_url: redis.url,
          key_prefix: redisKeyPrefix(),
          command_timeout_ms: 100,
        },
        proxy: { auth_mode: 'all_except_health' },
      },
      accounts: [
        { provider: 'openai', email: 'a@example.com', api_key: 'sk-a', base_url: `${upstream.url}/v1` },
      ],
    });
    const chat = (text: string) =>
      gateway!.call('POST', '/v1/chat/completions', {
        body: sampleChat(text),
        headers: { authorization: `Bearer ${gateway!.apiKey}`, 'session-id': 'conversation' },
      });
    expect((await chat('before')).status).toBe(200);
    await redis.kill();
    for (let turn = 0; turn < 10; turn++) expect((await chat(`during ${turn}`)).status).toBe(200);
    // Turns served on the binding's lease make no Redis call: the lost connection itself tells.
    await vi.waitFor(
      async () => expect(pick((await gateway!.call('GET', '/healthz')).json, 'state_degraded')).toBe(true),
      RECOVERY,
    );
    const status = (await gateway.call('GET', '/api/proxy/status')).json;
    expect(pick(status, 'state_degraded')).toBe(true);
    expect(pick(status, 'state', 'backend')).toBe('redis');
    expect((await gateway.call('GET', '/metrics', { admin: true })).text).toContain(
      'switchyard_state_degraded 1',
    );

    await redis.start();
    await vi.waitFor(
      async () => expect(pick((await gateway!.call('GET', '/healthz')).json, 'state_degraded')).toBe(false),
      RECOVERY,
    );
    expect((await chat('after')).status).toBe(200);
    expect(upstream.hits('sk-a')).toBe(12);
  });
});

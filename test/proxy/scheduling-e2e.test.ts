import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, rateLimited, startMockUpstream } from '../support/mock-upstream.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;
const KEYS = ['sk-one', 'sk-two', 'sk-three'];

beforeEach(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: KEYS.map((key, index) => ({
      provider: 'openai' as const,
      email: `account${index + 1}@example.com`,
      api_key: key,
      base_url: `${upstream.url}/v1`,
    })),
  });
});

afterEach(async () => {
  await gateway.close();
  await upstream.close();
});

function chat(conversation: string, turn = 0) {
  const messages = [
    { role: 'user', content: `conversation ${conversation}: a first message long enough to hash` },
  ];
  for (let index = 0; index < turn; index++) {
    messages.push(
      { role: 'assistant', content: `answer ${index}` },
      { role: 'user', content: `follow-up ${index}` },
    );
  }
  return gateway.call('POST', '/v1/chat/completions', { body: { model: 'gpt-4o', messages } });
}

const servedBy = (result: { headers: Record<string, unknown> }) => String(result.headers['x-account-email']);

describe('scheduling through HTTP', () => {
  it('keeps every turn of one conversation on one account in Balance mode', async () => {
    const accounts = new Set<string>();
    for (let turn = 0; turn < 6; turn++) accounts.add(servedBy(await chat('alpha', turn)));
    expect(accounts.size).toBe(1);
  });

  it('spreads one conversation over the accounts in PerformanceFirst, switched at runtime', async () => {
    const switched = await gateway.call('PUT', '/api/proxy/scheduling', {
      body: { mode: 'PerformanceFirst' },
    });
    expect(switched.json).toEqual({ mode: 'PerformanceFirst', max_wait_seconds: 60 });
    const accounts = new Set<string>();
    for (let turn = 0; turn < 6; turn++) accounts.add(servedBy(await chat('beta', turn)));
    expect(accounts.size).toBe(3);
  });

  it('sends every request to the fixed account and falls back while it is locked', async () => {
    const fixedId = gateway.accountIds['account2@example.com']!;
    const pinned = await gateway.call('PUT', '/api/proxy/fixed-account', { body: { account_id: fixedId } });
    expect(pinned.json).toEqual({ account_id: fixedId, bypassed_reason: null });
    for (const conversation of ['c1', 'c2', 'c3'])
      expect(servedBy(await chat(conversation))).toBe('account2@example.com');

    upstream.script('sk-two', rateLimited({ retryAfter: '30' }));
    const fallback = await chat('c4');
    expect(fallback.status).toBe(200);
    expect(servedBy(fallback)).not.toBe('account2@example.com');
    const state = await gateway.call('GET', '/api/proxy/fixed-account');
    expect((state.json as { bypassed_reason: string }).bypassed_reason).toMatch(/rate-limited/);
    expect(upstream.hits('sk-two')).toBe(4);
  });

  it('moves a request off a rate-limited account, and later requests skip it', async () => {
    const first = servedBy(await chat('gamma'));
    const key = KEYS[Number(first.match(/account(\d)/)?.[1]) - 1]!;
    upstream.script(key, rateLimited({ retryAfter: '120' }));
    const hitsBefore = upstream.hits(key);

    const moved = await chat('gamma', 1);
    expect(moved.status).toBe(200);
    expect(servedBy(moved)).not.toBe(first);
    for (let turn = 2; turn < 5; turn++) expect(servedBy(await chat('gamma', turn))).toBe(servedBy(moved));
    expect(upstream.hits(key)).toBe(hitsBefore + 1);

    const limits = await gateway.call('GET', '/api/proxy/rate-limits');
    const list = (limits.json as { rate_limits: { account_email: string; remaining_seconds: number }[] })
      .rate_limits;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ account_email: first });
    expect(list[0]!.remaining_seconds).toBeGreaterThan(100);
  });

  it('answers 429 with an honest Retry-After when every account is limited', async () => {
    for (const key of KEYS) upstream.setDefault(key, rateLimited({ retryAfter: '90' }));
    const result = await chat('delta');
    expect(result.status).toBe(429);
    expect(Number(result.headers['retry-after'])).toBeGreaterThanOrEqual(85);
    expect(Number(result.headers['retry-after'])).toBeLessThanOrEqual(90);
    expect(result.json).toMatchObject({ error: { type: 'rate_limit_error' } });
    const again = await chat('epsilon');
    expect(again.status).toBe(429);
    expect(KEYS.map((key) => upstream.hits(key))).toEqual([1, 1, 1]);
  });

  it('clears rate-limit records so a locked account is used again', async () => {
    upstream.script('sk-one', rateLimited({ retryAfter: '600' }));
    upstream.script('sk-two', rateLimited({ retryAfter: '600' }));
    upstream.script('sk-three', rateLimited({ retryAfter: '600' }));
    expect((await chat('zeta')).status).toBe(429);
    const cleared = await gateway.call('DELETE', '/api/proxy/rate-limits');
    expect(cleared.json).toEqual({ cleared: 3 });
    expect((await chat('zeta')).status).toBe(200);
  });

  it('clears session bindings and reports how many there were', async () => {
    await chat('eta');
    await chat('theta');
    const status = await gateway.call('GET', '/api/proxy/status');
    expect(status.json).toMatchObject({ session_bindings: 2 });
    const cleared = await gateway.call('POST', '/api/proxy/session-bindings/clear');
    expect(cleared.json).toEqual({ cleared: 2 });
  });

  it('rejects an unknown fixed account and an invalid scheduling mode', async () => {
    const unknown = await gateway.call('PUT', '/api/proxy/fixed-account', { body: { account_id: 'nope' } });
    expect(unknown.status).toBe(404);
    const invalid = await gateway.call('PUT', '/api/proxy/scheduling', { body: { mode: 'Fastest' } });
    expect(invalid.status).toBe(400);
    expect((invalid.json as { error: { message: string } }).error.message).toContain('mode');
  });

  it('maps models by the custom mapping and reports the rule in X-Mapped-Model', async () => {
    await gateway.call('PUT', '/api/config', {
      body: { proxy: { custom_mapping: { 'gpt-4*': 'gpt-4.1-mini' } } },
    });
    const result = await chat('iota');
    expect(result.headers['x-mapped-model']).toBe('gpt-4.1-mini');
    const sent = upstream.requests.at(-1)?.body as { model: string };
    expect(sent.model).toBe('gpt-4.1-mini');
    const tested = await gateway.call('POST', '/api/proxy/mapping/test', { body: { model: 'gpt-4o' } });
    expect(tested.json).toEqual({
      model: 'gpt-4o',
      mapped: 'gpt-4.1-mini',
      models: ['gpt-4.1-mini'],
      rule: 'gpt-4*',
      kind: 'wildcard',
    });
  });
});

/**
 * Client keys end to end, through each client protocol against the mock upstream: a key is
 * created, used, stopped by its requests-per-minute limit and by its token budget (429 with an
 * honest Retry-After), rotated and revoked — and nothing refused ever reaches the upstream.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { nextDayStart } from '../../src/usage/usage-windows.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { ANY_KEY, type MockUpstream, ok, startMockUpstream } from '../support/mock-upstream.js';
import { createKey, expectRefusal, familyAccounts, keyAction, PROTOCOLS, send } from './key-rig.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

/** Every answer reports 600 input and 400 output tokens: 1000 per request. */
const USAGE = { inputTokens: 600, outputTokens: 400, cacheReadTokens: 0, cacheWriteTokens: 0 };

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    config: { proxy: { auth_mode: 'all_except_health' } },
    accounts: familyAccounts(upstream),
  });
});
afterEach(() => upstream.reset());
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

/** Seconds until the slot of a request sent within [before, after] leaves a 60 s window of whole seconds. */
function minuteWindowBounds(
  first: { before: number; after: number },
  refused: { before: number; after: number },
) {
  const frees = (sent: number) => (Math.floor(sent / 1000) + 60) * 1000;
  return {
    low: Math.ceil((frees(first.before) - refused.after) / 1000),
    high: Math.ceil((frees(first.after) - refused.before) / 1000),
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; before: number; after: number }> {
  const before = systemClock.now();
  const result = await work();
  return { result, before, after: systemClock.now() };
}

describe.each(PROTOCOLS)('a client key through $name', (protocol) => {
  it('is created, used, limited per minute and by its token budget, rotated and revoked', async () => {
    upstream.setDefault(ANY_KEY, ok({ usage: USAGE }));
    const { id, secret } = await createKey(gateway, {
      name: `team-${protocol.name}`,
      owner: 'Alice',
      limits: { requests_per_minute: 2 },
    });

    // Use: two requests within the limit reach the upstream.
    const first = await timed(() => send(gateway, protocol, secret));
    expect(first.result.status, first.result.text).toBe(200);
    expect((await send(gateway, protocol, secret)).status).toBe(200);
    expect(upstream.requests).toHaveLength(2);

    // The third within the minute is refused, with the seconds until the first one leaves the window.
    const refused = await timed(() => send(gateway, protocol, secret));
    const retryAfter = expectRefusal(protocol, refused.result, 429);
    const bounds = minuteWindowBounds(first, refused);
    expect(retryAfter).toBeGreaterThanOrEqual(bounds.low);
    expect(retryAfter).toBeLessThanOrEqual(bounds.high);
    expect(refused.result.text).toContain('2 requests per minute');
    expect(upstream.requests).toHaveLength(2);

    // Token budget: 2000 tokens used so far; a budget of 3500 lets two more through (the second
    // goes past it: budgets are checked before sending and charged with the answer), then refuses
    // until the next UTC midnight.
    const patched = await gateway.call('PATCH', `/api/keys/${id}`, {
      body: { limits: { tokens_per_day: 3500 } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(pick(patched.json, 'usage', 'tokens_today')).toBe(2000);
    expect((await send(gateway, protocol, secret)).status).toBe(200);
    expect((await send(gateway, protocol, secret)).status).toBe(200);
    const overBudget = await timed(() => send(gateway, protocol, secret));
    const untilMidnight = expectRefusal(protocol, overBudget.result, 429);
    expect(untilMidnight).toBeGreaterThanOrEqual(
      Math.ceil((nextDayStart(overBudget.after) - overBudget.after) / 1000),
    );
    expect(untilMidnight).toBeLessThanOrEqual(
      Math.ceil((nextDayStart(overBudget.before) - overBudget.before) / 1000),
    );
    expect(overBudget.result.text).toContain('3500 tokens for today (UTC)');
    expect(upstream.requests).toHaveLength(4);

    // Rotate: same key (id, limits, usage), new secret; the old secret is refused at once.
    await gateway.call('PATCH', `/api/keys/${id}`, { body: { limits: {} } });
    const rotated = await keyAction(gateway, id, 'rotate');
    const newSecret = String(pick(rotated.json, 'secret'));
    expect(pick(rotated.json, 'key', 'id')).toBe(id);
    expect(pick(rotated.json, 'key', 'usage', 'tokens_today')).toBe(4000);
    expectRefusal(protocol, await send(gateway, protocol, secret), 401);
    expect((await send(gateway, protocol, newSecret)).status).toBe(200);
    expect(upstream.requests).toHaveLength(5);

    // Revoke: refused from now on, in the protocol's own shape; the key stays listed as revoked.
    await keyAction(gateway, id, 'revoke');
    const revoked = await send(gateway, protocol, newSecret);
    expectRefusal(protocol, revoked, 401);
    expect(revoked.text).toContain('revoked');
    expect(upstream.requests).toHaveLength(5);
    const listed = await gateway.call('GET', `/api/keys/${id}`);
    expect(listed.json).toMatchObject({ id, status: 'revoked', owner: 'Alice' });
  });

  it('refuses a model the key may not use with 403, before any upstream request', async () => {
    const { secret } = await createKey(gateway, { name: `narrow-${protocol.name}`, models: ['o3-*'] });

    const result = await send(gateway, protocol, secret);

    expectRefusal(protocol, result, 403);
    expect(result.text).toContain('may not use model');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('client keys and the gateway around them', () => {
  it('keep the owner key working and unrestricted beside them', async () => {
    await createKey(gateway, { name: 'someone', limits: { requests_per_minute: 1 } });

    for (const protocol of PROTOCOLS) {
      expect((await send(gateway, protocol, gateway.apiKey)).status).toBe(200);
      expect((await send(gateway, protocol, gateway.apiKey)).status).toBe(200);
    }
  });

  it('refuse an expired key with 401 and an unknown one as before', async () => {
    const { secret } = await createKey(gateway, { name: 'expired', expires_at: '2020-01-01T00:00:00Z' });
    const protocol = PROTOCOLS[0]!;

    const expired = await send(gateway, protocol, secret);
    const unknown = await send(gateway, protocol, 'sk-sy-not-a-key');

    expectRefusal(protocol, expired, 401);
    expect(expired.text).toContain('expired at 2020-01-01T00:00:00.000Z');
    expectRefusal(protocol, unknown, 401);
    expect(upstream.requests).toHaveLength(0);
  });

  it('list only the models a key may use', async () => {
    const { secret } = await createKey(gateway, { name: 'lister', models: ['gpt-4o'] });
    await gateway.call('PUT', '/api/config', {
      body: { proxy: { custom_mapping: { 'gpt-4o': 'gpt-4o', o3: 'gpt-4o', 'not-served': 'o1' } } },
    });

    const openai = await gateway.call('GET', '/v1/models', {
      admin: false,
      headers: { authorization: `Bearer ${secret}` },
    });
    const owner = await gateway.call('GET', '/v1/models', {
      admin: false,
      headers: { authorization: `Bearer ${gateway.apiKey}` },
    });

    expect((pick(openai.json, 'data') as { id: string }[]).map((model) => model.id)).toEqual(['gpt-4o']);
    const ownerModels = (pick(owner.json, 'data') as { id: string }[]).map((model) => model.id);
    expect(ownerModels).toEqual(expect.arrayContaining(['gpt-4o', 'o3']));
    // A mapping whose models no account serves is not offered.
    expect(ownerModels).not.toContain('not-served');
    await gateway.call('PUT', '/api/config', { body: { proxy: { custom_mapping: {} } } });
  });

  it('charge a stream with the usage it reports at its end', async () => {
    upstream.setDefault(ANY_KEY, ok({ usage: USAGE, chunks: 3 }));
    const { id, secret } = await createKey(gateway, { name: 'streamer' });

    const streamed = await gateway.call('POST', '/v1/messages', {
      admin: false,
      body: { ...PROTOCOLS[1]!.body('Stream me a story, please.'), stream: true },
      headers: { 'x-api-key': secret },
    });

    expect(streamed.status).toBe(200);
    expect(streamed.text).toContain('message_stop');
    const key = await gateway.call('GET', `/api/keys/${id}`);
    expect(pick(key.json, 'usage', 'tokens_today')).toBe(1000);
    expect(pick(key.json, 'last_used_at')).toEqual(expect.any(String));
  });

  it('answer 400 naming the field for bad key settings, and 404 for an unknown key', async () => {
    const bad = await gateway.call('POST', '/api/keys', {
      body: { name: 'x', limits: { requests_per_minute: 0 }, account_id: 'a', account_group: 'b' },
    });
    const unknownAccount = await gateway.call('POST', '/api/keys', {
      body: { name: 'y', account_id: 'nope' },
    });
    const missing = await gateway.call('POST', '/api/keys/missing/rotate', { body: {} });

    expect(bad.status).toBe(400);
    expect(bad.text).toContain('limits.requests_per_minute');
    expect(bad.text).toContain('account_group');
    expect(unknownAccount.status).toBe(400);
    expect(unknownAccount.text).toContain('no account with id nope');
    expect(missing.status).toBe(404);
  });
});

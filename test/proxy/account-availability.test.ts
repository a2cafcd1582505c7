/**
 * What `GET /api/accounts` says of each model of an account — available, protected, or out of quota
 * until a predicted reset — decided by the server from the rate-limit headers the upstream sent
 * and the quota-protection settings in force, with the reason and the end time.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/admin/account-contracts.js';
import { systemClock } from '../../src/core/clock.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, ok, startMockUpstream } from '../support/mock-upstream.js';

const MODEL = 'gpt-4o';
let upstream: MockUpstream;
let gateway: GatewayHarness;
let accountId: string;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      { provider: 'openai', email: 'a@example.com', api_key: 'sk-a', base_url: `${upstream.url}/v1` },
    ],
  });
  accountId = gateway.accountIds['a@example.com'] ?? '';
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

async function chat(): Promise<number> {
  const body = { model: MODEL, messages: [{ role: 'user', content: 'hi' }] };
  return (await gateway.call('POST', '/v1/chat/completions', { body })).status;
}

async function availability(): Promise<AccountView['availability']> {
  const listed = (await gateway.call('GET', '/api/accounts')).json as { accounts: AccountView[] };
  const one = (await gateway.call('GET', `/api/accounts/${accountId}`)).json as AccountView;
  expect(listed.accounts[0]?.availability).toEqual(one.availability);
  return one.availability;
}

describe('account availability', () => {
  it('is available with quota left, protected below the threshold, and says why until when', async () => {
    upstream.setDefault('sk-a', ok({ rateLimitHeaders: { remaining: 5, limit: 100, reset: 600 } }));
    const before = systemClock.now();
    expect(await chat()).toBe(200);
    expect(await availability()).toEqual([
      { model: MODEL, state: 'available', reason: null, until: null, lock_source: null },
    ]);

    const protection = { enabled: true, threshold_percentage: 10, monitored_models: ['gpt-4*'] };
    expect(
      (await gateway.call('PUT', '/api/config', { body: { proxy: { quota_protection: protection } } }))
        .status,
    ).toBe(200);
    const [entry] = await availability();
    expect(entry).toMatchObject({
      model: MODEL,
      state: 'protected',
      reason: '5% of the quota left, below the 10% quota-protection threshold',
      lock_source: null,
    });
    const until = Date.parse(entry?.until ?? '');
    expect(until).toBeGreaterThanOrEqual(before + 599_000);
    expect(until).toBeLessThanOrEqual(systemClock.now() + 601_000);
    // The scheduler agrees: the only account is skipped for the model.
    expect(await chat()).toBe(503);
  });

  it('is out of quota until the announced reset once the headers say nothing is left', async () => {
    await gateway.call('PUT', '/api/config', { body: { proxy: { quota_protection: { enabled: false } } } });
    upstream.setDefault('sk-a', ok({ rateLimitHeaders: { remaining: 0, limit: 100, reset: 300 } }));
    expect(await chat()).toBe(200);
    const [entry] = await availability();
    expect(entry).toMatchObject({ model: MODEL, state: 'predicted_out', lock_source: 'rate-limit-headers' });
    expect(entry?.reason).toContain('out of quota until the reset');
    expect(Date.parse(entry?.until ?? '')).toBeGreaterThan(systemClock.now() + 250_000);
  });
});

/**
 * Two gateway instances on one Redis and one PostgreSQL refreshing one OAuth account's token: the
 * mock upstream's token endpoint is called once, and both instances serve with the new token —
 * whether the token expired or the upstream refused it early (401).
 */
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { generate } from '../oauth/oauth-gateway.js';
import type { GatewayHarness, HarnessAccount } from '../support/gateway-harness.js';
import { clusterTestBed } from '../support/in-process-cluster.js';
import { slowFirstByte, unauthorized } from '../support/mock-upstream.js';

const EMAIL = 'shared@example.com';
const PER_INSTANCE = 8;

const bed = clusterTestBed();

/** A Gemini OAuth account with its own client, refreshed at the mock's token endpoint. */
function oauthAccount(refreshToken: string, token: { access: string; expiresAt: number }): HarnessAccount {
  return {
    provider: 'gemini',
    email: EMAIL,
    refresh_token: refreshToken,
    access_token: token.access,
    expires_at: token.expiresAt,
    client_id: 'own-client',
    token_url: `${bed.upstream.url}/token`,
    base_url: bed.upstream.url,
  };
}

async function startTwo(account: HarnessAccount): Promise<GatewayHarness[]> {
  // Background quota refreshes would add token calls of their own.
  return bed.start({ size: 2, accounts: [account], config: { auto_refresh: false } });
}

const tokenCalls = (refreshToken: string) =>
  bed.upstream.requestsFor(refreshToken).filter((request) => request.protocol === 'oauth');
const bearers = () =>
  bed.upstream.requests
    .filter((request) => request.protocol === 'gemini')
    .map((request) => request.headers['authorization']);

/**
 * Requests on `a` until its refresh reaches the token endpoint (whose answer the mock holds back),
 * then as many on `b`: those find the refresh lock held by `a`.
 */
async function whileARefreshes(a: GatewayHarness, b: GatewayHarness, refreshToken: string) {
  const onA = Array.from({ length: PER_INSTANCE }, (_, index) => generate(a, `on A ${index}`));
  await vi.waitFor(() => expect(tokenCalls(refreshToken)).toHaveLength(1), { timeout: 5000, interval: 10 });
  const onB = Array.from({ length: PER_INSTANCE }, (_, index) => generate(b, `on B ${index}`));
  return Promise.all([...onA, ...onB]);
}

describe('OAuth refresh across two instances sharing Redis and PostgreSQL', () => {
  it('an expired token is refreshed once; both instances serve with the new token', async () => {
    const [a, b] = await startTwo(
      oauthAccount('rt-shared', { access: 'at-stale', expiresAt: systemClock.now() - 60_000 }),
    );
    bed.upstream.script('rt-shared', slowFirstByte(1000));

    const answers = await whileARefreshes(a!, b!, 'rt-shared');

    expect(answers.map((answer) => answer.status)).toEqual(Array(2 * PER_INSTANCE).fill(200));
    expect(tokenCalls('rt-shared')).toHaveLength(1);
    expect(bearers()).toEqual(Array(2 * PER_INSTANCE).fill('Bearer at-rt-shared-1'));
    const id = a!.accountIds[EMAIL] ?? '';
    for (const gateway of [a!, b!]) {
      expect(gateway.runtime.stores.accounts.get(id)?.credential).toMatchObject({
        accessToken: 'at-rt-shared-1',
      });
    }
  });

  it('a token the upstream refuses (401) before its expiry is refreshed once for both instances', async () => {
    const [a, b] = await startTwo(
      oauthAccount('rt-early', { access: 'at-revoked', expiresAt: systemClock.now() + 3600_000 }),
    );
    bed.upstream.setDefault('at-revoked', unauthorized());
    bed.upstream.script('rt-early', slowFirstByte(1000));

    const answers = await whileARefreshes(a!, b!, 'rt-early');

    expect(answers.map((answer) => answer.status)).toEqual(Array(2 * PER_INSTANCE).fill(200));
    expect(tokenCalls('rt-early')).toHaveLength(1);
    const served = bearers().filter((bearer) => bearer !== 'Bearer at-revoked');
    expect(served).toEqual(Array(2 * PER_INSTANCE).fill('Bearer at-rt-early-1'));
  });
});

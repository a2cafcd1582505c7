/**
 * Two providers standing for two gateway instances: one database (each with its own view of it),
 * one refresh lock (`LocalExclusion`, as a shared state store's `runExclusive` behaves), one token
 * endpoint. `test/cluster/oauth-refresh.test.ts` does the same with real Redis and PostgreSQL.
 */
import { describe, expect, it, vi } from 'vitest';
import { FakeAccounts, FakeEndpoints, oauth, START } from '../../../test/support/oauth-fakes.js';
import { FakeClock } from '../../core/clock.js';
import { LocalExclusion } from '../../state/local-exclusion.js';
import {
  OAuthCredentialProvider,
  REFRESH_DEADLINE_MS,
  REFRESH_LOCK_TTL_MS,
} from './oauth-credential-provider.js';
import { TokenEndpointError } from './oauth-endpoints.js';

function twoInstances(credential = oauth({ expiresAt: START - 1 })) {
  const clock = new FakeClock(START);
  const endpoints = new FakeEndpoints();
  const lock = new LocalExclusion(clock);
  const first = new FakeAccounts(clock);
  const account = first.add(credential);
  const instance = (accounts: FakeAccounts) =>
    new OAuthCredentialProvider({
      accounts,
      endpoints,
      clock,
      settings: () => ({ skewMs: 90_000, clients: {} }),
      exclusion: { runExclusive: (name, task, options) => lock.run(name, task, options) },
    });
  const second = first.view();
  return { clock, endpoints, account, a: instance(first), b: instance(second), second };
}

describe('OAuth refresh across instances sharing a store and a lock', () => {
  it('an instance waiting for the lock uses the token the holder stored instead of refreshing again', async () => {
    const { endpoints, account, a, b, second } = twoInstances();
    endpoints.manual = true;

    const holder = a.authorize(account);
    await vi.waitFor(() => expect(endpoints.grants).toHaveLength(1));
    const waiter = b.authorize(account);
    // A second refresh would be answered at once (and seen below), not held.
    endpoints.manual = false;
    endpoints.releaseAll();

    expect((await holder).value).toBe('at-new-1');
    expect((await waiter).value).toBe('at-new-1');
    expect(endpoints.grants).toHaveLength(1);
    // The waiter read the stored token: its view now has it too.
    expect(second.get(account.id)?.credential).toMatchObject({ accessToken: 'at-new-1' });
  });

  it('an instance whose view is stale uses the token stored by an earlier refresh elsewhere', async () => {
    const { endpoints, account, a, b } = twoInstances();
    expect((await a.authorize(account)).value).toBe('at-new-1');

    expect((await b.authorize(account)).value).toBe('at-new-1');
    expect(endpoints.grants).toHaveLength(1);
  });

  it('after a 401 on the old token, uses the token another instance stored since, without a refresh', async () => {
    const { endpoints, account, a, b } = twoInstances(oauth());
    expect((await a.authorize(account, { forceRefresh: true })).value).toBe('at-new-1');

    expect((await b.authorize(account, { forceRefresh: true })).value).toBe('at-new-1');
    expect(endpoints.grants).toHaveLength(1);
  });

  it('refreshes itself when the holder failed and stored nothing', async () => {
    const { endpoints, account, a, b } = twoInstances();
    endpoints.manual = true;
    endpoints.answer = (_grant, call) =>
      call === 1
        ? new TokenEndpointError('token endpoint answered 503', 503, 'server_error', null)
        : { accessToken: `at-new-${call}`, expiresInSeconds: 3600, refreshToken: null, idToken: null };

    const holder = a.authorize(account);
    await vi.waitFor(() => expect(endpoints.grants).toHaveLength(1));
    const waiter = b.authorize(account);
    endpoints.releaseAll();
    await expect(holder).rejects.toMatchObject({ permanent: false });
    await vi.waitFor(() => expect(endpoints.grants).toHaveLength(2));
    endpoints.releaseAll();

    expect((await waiter).value).toBe('at-new-2');
  });

  it('a waiter does not refresh an account the holder disabled (invalid_grant)', async () => {
    const { endpoints, account, a, b } = twoInstances();
    endpoints.manual = true;
    endpoints.answer = () =>
      new TokenEndpointError('revoked', 400, 'invalid_grant', 'Token has been revoked.');

    const holder = a.authorize(account);
    await vi.waitFor(() => expect(endpoints.grants).toHaveLength(1));
    const waiter = b.authorize(account);
    endpoints.releaseAll();

    await expect(holder).rejects.toMatchObject({ permanent: true });
    await expect(waiter).rejects.toThrow(/removed or disabled/);
    expect(endpoints.grants).toHaveLength(1);
  });

  it('a token endpoint that does not answer is abandoned at the deadline, before the lock could lapse', async () => {
    const { clock, endpoints, account, a, b } = twoInstances();
    endpoints.manual = true;

    const holder = a.authorize(account);
    const failed = expect(holder).rejects.toThrow(/did not answer within 30 s/);
    await vi.waitFor(() => expect(endpoints.grants).toHaveLength(1));
    const waiter = b.authorize(account);
    await clock.advance(REFRESH_DEADLINE_MS);

    await failed;
    expect(endpoints.signals[0]?.aborted).toBe(true);
    // The holder let go at its deadline, well inside the lock's time to live: the waiter now
    // refreshes itself, because nothing was stored, and was never left to take a lapsed lock.
    expect(REFRESH_DEADLINE_MS).toBeLessThan(REFRESH_LOCK_TTL_MS);
    await vi.waitFor(() => expect(endpoints.grants).toHaveLength(2));
    endpoints.releaseAll();
    expect((await waiter).value).toBe('at-new-2');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { FakeAccounts, FakeEndpoints, oauth, START } from '../../../test/support/oauth-fakes.js';
import type { Account } from '../../core/account.js';
import { FakeClock } from '../../core/clock.js';
import { LocalExclusion } from '../../state/local-exclusion.js';
import { CredentialError } from './credential-provider.js';
import type { OAuthClientSettings, OAuthClients } from './oauth-clients.js';
import { OAuthCredentialProvider } from './oauth-credential-provider.js';
import { type TokenAnswer, TokenEndpointError, type TokenGrant } from './oauth-endpoints.js';

function setup(credential = oauth(), clients: OAuthClients = {}) {
  const clock = new FakeClock(START);
  const accounts = new FakeAccounts(clock);
  const endpoints = new FakeEndpoints();
  const errors: unknown[] = [];
  const exclusion = new LocalExclusion(clock);
  const provider = new OAuthCredentialProvider({
    accounts,
    endpoints,
    clock,
    settings: () => ({ skewMs: 90_000, clients }),
    exclusion: { runExclusive: (name, task, options) => exclusion.run(name, task, options) },
    onError: (error) => errors.push(error),
  });
  const account = accounts.add(credential);
  return { clock, accounts, endpoints, provider, account, errors };
}

describe('OAuthCredentialProvider: refresh timing', () => {
  it('uses the stored access token while it is valid for more than the skew', async () => {
    const { provider, account, endpoints, clock } = setup();
    await clock.advance(3600_000 - 91_000);

    expect(await provider.authorize(account)).toEqual({ kind: 'bearer', value: 'at-old' });
    expect(endpoints.grants).toHaveLength(0);
  });

  it('refreshes within 90 s of expiry, sends the refresh grant and stores the new token', async () => {
    const { provider, account, endpoints, clock, accounts } = setup();
    await clock.advance(3600_000 - 90_000);

    expect(await provider.authorize(account)).toEqual({ kind: 'bearer', value: 'at-new-1' });
    expect(endpoints.grants).toEqual([
      {
        tokenUrl: 'http://127.0.0.1:9/token',
        clientId: 'client-1',
        clientSecret: null,
        params: { grant_type: 'refresh_token', refresh_token: 'rt-1' },
      },
    ]);
    expect(accounts.get('acct-1')?.credential).toMatchObject({
      accessToken: 'at-new-1',
      expiresAt: clock.now() + 3600_000,
      refreshToken: 'rt-1',
    });
  });

  it.each([
    ['no access token', { accessToken: null }],
    ['an unknown expiry', { expiresAt: null }],
    ['an expired token', { expiresAt: START - 1 }],
  ])('refreshes an account with %s', async (_case, overrides) => {
    const { provider, account, endpoints } = setup(oauth(overrides));

    await provider.authorize(account);

    expect(endpoints.grants).toHaveLength(1);
  });

  it('passes API-key accounts through untouched', async () => {
    const { provider, account, endpoints } = setup();
    const keyed: Account = { ...account, credential: { type: 'api_key', apiKey: 'sk-x' } };

    expect(await provider.authorize(keyed)).toEqual({ kind: 'api_key', value: 'sk-x' });
    expect(endpoints.grants).toHaveLength(0);
  });
});

describe('OAuthCredentialProvider: single flight', () => {
  it('sends one refresh for many concurrent requests on an expired account', async () => {
    const { provider, account, endpoints } = setup(oauth({ expiresAt: START - 1 }));
    endpoints.manual = true;

    const pending = Array.from({ length: 50 }, () => provider.authorize(account));
    await vi.waitFor(() => expect(endpoints.grants).toHaveLength(1));
    endpoints.releaseAll();
    const results = await Promise.all(pending);

    expect(endpoints.grants).toHaveLength(1);
    expect(new Set(results.map((result) => result.value))).toEqual(new Set(['at-new-1']));
  });

  it('reuses the new token for a caller holding the stale account object', async () => {
    const { provider, account, endpoints } = setup(oauth({ expiresAt: START - 1 }));
    await provider.authorize(account);

    expect(await provider.authorize(account)).toEqual({ kind: 'bearer', value: 'at-new-1' });
    expect(endpoints.grants).toHaveLength(1);
  });

  it('refreshes again after a failed refresh instead of remembering the failure', async () => {
    const { provider, account, endpoints } = setup(oauth({ expiresAt: START - 1 }));
    endpoints.answer = (_grant, call) =>
      call === 1
        ? new TokenEndpointError('token endpoint answered 503', 503, 'server_error', null)
        : { accessToken: 'at-second', expiresInSeconds: 3600, refreshToken: null, idToken: null };

    await expect(provider.authorize(account)).rejects.toMatchObject({ permanent: false });
    expect(await provider.authorize(account)).toEqual({ kind: 'bearer', value: 'at-second' });
  });
});

describe('OAuthCredentialProvider: forced refresh after a 401', () => {
  it('refreshes a still-valid token once, and lets concurrent 401s share it', async () => {
    const { provider, account, endpoints, clock } = setup();
    await clock.advance(600_000);

    const first = await provider.authorize(account, { forceRefresh: true });
    const second = await provider.authorize(account, { forceRefresh: true });

    expect(first.value).toBe('at-new-1');
    expect(second.value).toBe('at-new-1');
    expect(endpoints.grants).toHaveLength(1);
  });

  it('refreshes again when forced long after the last refresh', async () => {
    const { provider, account, endpoints, clock } = setup();
    await provider.authorize(account, { forceRefresh: true });
    await clock.advance(11_000);

    expect((await provider.authorize(account, { forceRefresh: true })).value).toBe('at-new-2');
    expect(endpoints.grants).toHaveLength(2);
  });
});

describe('OAuthCredentialProvider: rotation and persistence', () => {
  it('stores a rotated refresh token and refreshes with it next time', async () => {
    const { provider, account, endpoints, accounts, clock } = setup(oauth({ expiresAt: START - 1 }));
    endpoints.answer = (_grant, call) => ({
      accessToken: `at-${call}`,
      expiresInSeconds: 3600,
      refreshToken: `rt-${call + 1}`,
      idToken: null,
    });

    await provider.authorize(account);
    expect(accounts.get('acct-1')?.credential).toMatchObject({ refreshToken: 'rt-2' });
    await clock.advance(3600_000);
    await provider.authorize(account);

    expect(endpoints.grants.map((grant) => grant.params['refresh_token'])).toEqual(['rt-1', 'rt-2']);
  });

  it('keeps using a token it could not store, and reports the store failure', async () => {
    const { provider, account, endpoints, accounts, errors } = setup(oauth({ expiresAt: START - 1 }));
    accounts.failWrites = true;

    expect((await provider.authorize(account)).value).toBe('at-new-1');
    expect((await provider.authorize(account)).value).toBe('at-new-1');
    expect(endpoints.grants).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it('prefers a credential the user replaced over a token obtained with the old refresh token', async () => {
    const { provider, account, accounts } = setup(oauth({ expiresAt: START - 1 }));
    await provider.authorize(account);
    accounts.accounts.set('acct-1', {
      ...account,
      credential: oauth({ refreshToken: 'rt-user', accessToken: 'at-user', expiresAt: START + 1000_000 }),
    });

    expect((await provider.authorize(account)).value).toBe('at-user');
  });
});

describe('OAuthCredentialProvider: failures', () => {
  it('disables the account on invalid_grant with the reason, and throws a permanent error', async () => {
    const { provider, account, endpoints, accounts } = setup(oauth({ expiresAt: START - 1 }));
    endpoints.answer = () =>
      new TokenEndpointError(
        'token endpoint answered 400',
        400,
        'invalid_grant',
        'Token has been expired or revoked.',
      );

    const failure = provider.authorize(account);

    await expect(failure).rejects.toBeInstanceOf(CredentialError);
    await expect(failure).rejects.toMatchObject({ permanent: true });
    expect(accounts.get('acct-1')).toMatchObject({
      disabled: true,
      disabledReason: 'invalid_grant: Token has been expired or revoked.',
      disabledAt: START,
    });
  });

  it('cuts a long invalid_grant reason to 800 characters', async () => {
    const { provider, account, endpoints, accounts } = setup(oauth({ expiresAt: START - 1 }));
    endpoints.answer = () => new TokenEndpointError('400', 400, 'invalid_grant', 'x'.repeat(2000));

    await provider.authorize(account).catch(() => undefined);

    const reason = accounts.get('acct-1')?.disabledReason ?? '';
    expect(reason).toHaveLength(800);
    expect(reason.endsWith('...')).toBe(true);
  });

  it.each([
    ['a server error', new TokenEndpointError('503', 503, 'server_error', null)],
    ['an unreachable endpoint', new TokenEndpointError('unreachable', 0, null, null)],
    ['a rejected client', new TokenEndpointError('401', 401, 'invalid_client', null)],
  ])('keeps the account enabled after %s and throws a temporary error', async (_case, error) => {
    const { provider, account, endpoints, accounts } = setup(oauth({ expiresAt: START - 1 }));
    endpoints.answer = () => error;

    await expect(provider.authorize(account)).rejects.toMatchObject({ permanent: false });
    expect(accounts.get('acct-1')?.disabled).toBe(false);
  });

  it('sends nothing when no OAuth client is known for the account', async () => {
    const { provider, account, endpoints } = setup(oauth({ expiresAt: START - 1, clientId: null }));

    await expect(provider.authorize(account)).rejects.toThrow(
      /switchyard oauth client add --provider code-assist --client-id <id> --client-secret -/,
    );
    expect(endpoints.grants).toHaveLength(0);
  });
});

describe('OAuthCredentialProvider: several OAuth clients', () => {
  const configured = (id: string): OAuthClientSettings => ({
    name: null,
    clientId: id,
    clientSecret: `${id}-secret`,
    tokenUrl: 'http://127.0.0.1:9/token',
    authUrl: 'http://127.0.0.1:9/authorize',
    userinfoUrl: 'http://127.0.0.1:9/userinfo',
    scopes: ['openid'],
  });
  const clients: OAuthClients = { 'code-assist': [configured('client-a'), configured('client-b')] };
  const expired = () => oauth({ expiresAt: START - 1, clientId: null });
  /** A token endpoint that accepts only `client-b`, as Google does for a token issued to it. */
  const issuedToB = (grant: TokenGrant, call: number): TokenAnswer | Error =>
    grant.clientId === 'client-b'
      ? { accessToken: `at-b-${call}`, expiresInSeconds: 3600, refreshToken: null, idToken: null }
      : new TokenEndpointError('token endpoint answered 401', 401, 'unauthorized_client', 'Unauthorized');

  it('moves to the next client when one is refused, and remembers the one that worked', async () => {
    const { provider, account, endpoints, accounts, clock } = setup(expired(), clients);
    endpoints.answer = issuedToB;

    expect(await provider.authorize(account)).toEqual({ kind: 'bearer', value: 'at-b-2' });
    expect(endpoints.grants.map((grant) => [grant.clientId, grant.clientSecret])).toEqual([
      ['client-a', 'client-a-secret'],
      ['client-b', 'client-b-secret'],
    ]);
    expect(accounts.get('acct-1')?.credential).toMatchObject({ clientId: 'client-b', clientSecret: null });

    await clock.advance(3600_000);
    expect(await provider.authorize(account)).toEqual({ kind: 'bearer', value: 'at-b-3' });
    expect(endpoints.grants.map((grant) => grant.clientId)).toEqual(['client-a', 'client-b', 'client-b']);
  });

  it('stops at invalid_grant: the token is revoked, the account is disabled, no other client is tried', async () => {
    const { provider, account, endpoints, accounts } = setup(expired(), clients);
    endpoints.answer = () =>
      new TokenEndpointError('400', 400, 'invalid_grant', 'Token has been expired or revoked.');

    await expect(provider.authorize(account)).rejects.toMatchObject({ permanent: true });
    expect(endpoints.grants).toHaveLength(1);
    expect(accounts.get('acct-1')?.disabled).toBe(true);
  });

  it('reports every refusal when no client is accepted, and keeps the account enabled', async () => {
    const { provider, account, endpoints, accounts } = setup(expired(), clients);
    endpoints.answer = () =>
      new TokenEndpointError('token endpoint answered 401 (invalid_client)', 401, 'invalid_client', null);

    const failure = provider.authorize(account);

    await expect(failure).rejects.toMatchObject({ permanent: false });
    await expect(failure).rejects.toThrow(
      'refused by all 2 OAuth clients (client-a: token endpoint answered 401 (invalid_client) | client-b: token endpoint answered 401 (invalid_client))',
    );
    expect(accounts.get('acct-1')?.disabled).toBe(false);
  });

  it('does not try another client after a server error', async () => {
    const { provider, account, endpoints } = setup(expired(), clients);
    endpoints.answer = () => new TokenEndpointError('503', 503, 'server_error', null);

    await expect(provider.authorize(account)).rejects.toMatchObject({ permanent: false });
    expect(endpoints.grants).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { Account } from '../../core/account.js';
import { FakeClock } from '../../core/clock.js';
import { type NewAccountInput, newAccount } from '../../store/account-patch.js';
import { emailFromIdToken } from './id-token-email.js';
import type { OAuthClientSettings } from './oauth-clients.js';
import type { OAuthEndpoints, TokenAnswer, TokenGrant } from './oauth-endpoints.js';
import { OAuthLogin } from './oauth-login.js';
import { pkceChallenge } from './pkce.js';

const CLIENT: OAuthClientSettings = {
  name: null,
  clientId: 'client-1.apps.example',
  clientSecret: 'secret-1',
  tokenUrl: 'http://127.0.0.1:9/token',
  authUrl: 'http://127.0.0.1:9/authorize',
  userinfoUrl: 'http://127.0.0.1:9/userinfo',
  scopes: ['openid', 'email'],
};
const REDIRECT = 'http://127.0.0.1:8045/auth/callback';

function idToken(claims: Record<string, unknown>): string {
  return `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
}

function setup(answer: Partial<TokenAnswer> = {}) {
  const clock = new FakeClock();
  const grants: TokenGrant[] = [];
  const userinfo: string[] = [];
  const stored: NewAccountInput[] = [];
  const endpoints: OAuthEndpoints = {
    async requestToken(grant) {
      grants.push(grant);
      return {
        accessToken: 'at-1',
        expiresInSeconds: 3599,
        refreshToken: 'rt-1',
        idToken: idToken({ email: 'signed-in@example.com' }),
        ...answer,
      };
    },
    async fetchUserEmail(url, token) {
      userinfo.push(`${url} ${token}`);
      return 'from-userinfo@example.com';
    },
  };
  let counter = 0;
  const login = new OAuthLogin({
    clients: () => ({ 'code-assist': [CLIENT, { ...CLIENT, clientId: 'second-client' }] }),
    endpoints,
    clock,
    random: (bytes) => String(++counter).padStart(bytes * 2, '0'),
    accounts: {
      async upsertMany(inputs) {
        stored.push(...inputs);
        const account: Account = newAccount(inputs[0] as NewAccountInput, { id: 'acct-1', now: clock.now() });
        return { created: [account], updated: [] };
      },
    },
  });
  return { clock, grants, userinfo, stored, login };
}

describe('OAuthLogin.start', () => {
  it('builds the authorization URL with PKCE S256, state, offline access and the redirect URI', () => {
    const { login } = setup();

    const started = login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    const url = new URL(started.authorizationUrl);
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-1.apps.example',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid email',
      state: started.state,
      code_challenge: pkceChallenge('2'.padStart(64, '0')),
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
    });
    expect(started.state).toBe('1'.padStart(32, '0'));
  });

  it('refuses a provider without a configured client, naming the setting', () => {
    const { login } = setup();

    expect(() => login.start({ provider: 'gemini', redirectUri: REDIRECT })).toThrow(
      /oauth\.clients\["gemini"\]/,
    );
  });
});

describe('OAuthLogin.complete', () => {
  it('exchanges the code with the verifier and stores the account named by the id_token', async () => {
    const { login, grants, stored, clock } = setup();
    const started = login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    const done = await login.complete({ redirectUrl: `${REDIRECT}?state=${started.state}&code=c-1&scope=x` });

    expect(grants[0]).toEqual({
      tokenUrl: CLIENT.tokenUrl,
      clientId: CLIENT.clientId,
      clientSecret: 'secret-1',
      params: {
        grant_type: 'authorization_code',
        code: 'c-1',
        redirect_uri: REDIRECT,
        code_verifier: '2'.padStart(64, '0'),
      },
    });
    expect(stored).toEqual([
      {
        provider: 'code-assist',
        email: 'signed-in@example.com',
        credential: {
          type: 'oauth',
          refreshToken: 'rt-1',
          accessToken: 'at-1',
          expiresAt: clock.now() + 3599_000,
          tokenUrl: CLIENT.tokenUrl,
          clientId: CLIENT.clientId,
          clientSecret: null,
        },
      },
    ]);
    expect(done.created).toBe(true);
    expect(login.status(started.state)).toMatchObject({ status: 'completed', created: true });
  });

  it('accepts a pasted code alone while one sign-in is pending', async () => {
    const { login, grants } = setup();
    login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    await login.complete({ code: 'pasted-code' });

    expect(grants[0]?.params['code']).toBe('pasted-code');
  });

  it('asks for the state when a bare code could belong to several sign-ins', () => {
    const { login } = setup();
    login.start({ provider: 'code-assist', redirectUri: REDIRECT });
    login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    expect(() => login.complete({ code: 'c' })).toThrow(/give the state/);
  });

  it('exchanges once when the callback and a pasted URL both arrive', async () => {
    const { login, grants } = setup();
    const { state } = login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    const [first, second] = await Promise.all([
      login.complete({ state, code: 'c' }),
      login.complete({ state, code: 'c' }),
    ]);
    const third = await login.complete({ state, code: 'c' });

    expect(grants).toHaveLength(1);
    expect(second.account).toBe(first.account);
    expect(third.account).toBe(first.account);
  });

  it('falls back to the userinfo endpoint when the answer has no id_token', async () => {
    const { login, userinfo, stored } = setup({ idToken: null });
    const { state } = login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    await login.complete({ state, code: 'c' });

    expect(userinfo).toEqual(['http://127.0.0.1:9/userinfo at-1']);
    expect(stored[0]?.email).toBe('from-userinfo@example.com');
  });

  it('refuses an answer without a refresh token', async () => {
    const { login, stored } = setup({ refreshToken: null });
    const { state } = login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    await expect(login.complete({ state, code: 'c' })).rejects.toThrow(/no refresh token/);
    expect(stored).toEqual([]);
    expect(login.status(state)).toMatchObject({ status: 'failed' });
  });

  it('reports a declined consent', () => {
    const { login } = setup();
    const { state } = login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    expect(() => login.complete({ redirectUrl: `${REDIRECT}?state=${state}&error=access_denied` })).toThrow(
      /access_denied/,
    );
  });

  it('forgets a sign-in after 10 minutes', async () => {
    const { login, clock } = setup();
    const { state } = login.start({ provider: 'code-assist', redirectUri: REDIRECT });

    await clock.advance(10 * 60_000);

    expect(() => login.complete({ state, code: 'c' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(login.status(state)).toBeNull();
  });
});

describe('pkceChallenge and emailFromIdToken', () => {
  it('computes the RFC 7636 appendix B challenge', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it.each([
    [idToken({ email: 'a@b.c', email_verified: true }), 'a@b.c'],
    [idToken({ email: 'a@b.c', email_verified: false }), null],
    [idToken({ sub: '1' }), null],
    ['not-a-jwt', null],
    ['a.!!!.c', null],
    [null, null],
  ])('%s → %s', (token, email) => {
    expect(emailFromIdToken(token)).toBe(email);
  });
});

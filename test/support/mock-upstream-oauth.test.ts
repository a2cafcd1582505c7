import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpCall } from './http-call.js';
import { forbidden, type MockUpstream, ok, startMockUpstream } from './mock-upstream.js';

let upstream: MockUpstream;
beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

const REDIRECT = 'http://127.0.0.1:1/auth/callback';
const VERIFIER = 'v'.repeat(64);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

async function authorize(extra: Record<string, string> = {}) {
  const query = new URLSearchParams({
    client_id: 'client-1',
    redirect_uri: REDIRECT,
    response_type: 'code',
    state: 'st-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...extra,
  });
  const answer = await httpCall(`${upstream.url}/oauth/authorize?${query}`);
  const location = new URL(String(answer.headers['location']));
  return { answer, location, code: location.searchParams.get('code') ?? '' };
}

function exchange(code: string, verifier = VERIFIER, redirectUri = REDIRECT) {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    client_id: 'client-1',
  });
  return httpCall(`${upstream.url}/oauth/token`, { form: form.toString() });
}

function idTokenEmail(idToken: unknown): unknown {
  const payload = String(idToken).split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).email;
}

describe('mock OAuth sign-in', () => {
  it('redirects back with a code and the state, keyed by client_id', async () => {
    const { answer, location, code } = await authorize();

    expect(answer.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(code).toMatch(/^mc\./);
    expect(upstream.hits('client-1')).toBe(1);
  });

  it('exchanges the code with the right verifier for tokens and an id_token naming the account', async () => {
    upstream.script('client-1', ok({ login: { email: 'someone@example.com' } }));
    const { code } = await authorize();

    const answer = await exchange(code);

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ access_token: `at-${code}-1`, refresh_token: `rt-${code}` });
    expect(idTokenEmail((answer.json as { id_token: string }).id_token)).toBe('someone@example.com');
  });

  it.each([
    ['a wrong PKCE verifier', 'w'.repeat(64), REDIRECT, 'PKCE verification failed'],
    ['another redirect URI', VERIFIER, 'http://127.0.0.1:2/cb', 'redirect_uri does not match'],
  ])('refuses an exchange with %s as invalid_grant', async (_case, verifier, redirectUri, message) => {
    const { code } = await authorize();

    const answer = await exchange(code, verifier, redirectUri);

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining(message),
    });
  });

  it('leaves the id_token out on request; userinfo then names the account', async () => {
    upstream.script('client-1', ok({ login: { email: 'plain@example.com', idToken: false } }));
    const { code } = await authorize();
    const tokens = (await exchange(code)).json as { access_token: string; id_token?: string };

    const info = await httpCall(`${upstream.url}/oauth/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });

    expect(tokens.id_token).toBeUndefined();
    expect(info.json).toEqual({ email: 'plain@example.com', verified_email: true });
  });

  it('redirects with error=access_denied for an error behaviour', async () => {
    upstream.script('client-1', forbidden());

    const { location } = await authorize();

    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-1');
  });
});

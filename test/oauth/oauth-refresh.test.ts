import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { temporaryDirectory } from '../foundation/run-cli.js';
import type { GatewayHarness } from '../support/gateway-harness.js';
import {
  invalidGrant,
  type MockUpstream,
  ok,
  startMockUpstream,
  unauthorized,
} from '../support/mock-upstream.js';
import {
  accountsByEmail,
  expiredAccount,
  geminiClient,
  generate,
  startOAuthGateway,
} from './oauth-gateway.js';

let upstream: MockUpstream;
let gateway: GatewayHarness | null = null;

beforeAll(async () => {
  upstream = await startMockUpstream();
});
let removeDirectory: (() => Promise<void>) | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
  await removeDirectory?.();
  removeDirectory = null;
  upstream.reset();
});
afterAll(() => upstream.close());

const tokenCalls = (refreshToken: string) =>
  upstream.requestsFor(refreshToken).filter((request) => request.protocol === 'oauth');
const codeAssistCalls = (method: string) =>
  upstream.requests.filter((request) => request.path.startsWith(`/v1internal:${method}`));

describe('token refresh through the gateway', () => {
  it('refreshes an expired token once for 50 concurrent requests, and discovers the project once', async () => {
    gateway = await startOAuthGateway(upstream, {
      accounts: [expiredAccount('g@example.com', 'rt-concurrent')],
    });
    const client = geminiClient(gateway);

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        client.models.generateContent({
          model: 'gemini-2.5-pro',
          contents: `concurrent request number ${index}`,
        }),
      ),
    );

    expect(
      answers.every((answer, index) => answer.text?.includes(`concurrent request number ${index}`)),
    ).toBe(true);
    expect(tokenCalls('rt-concurrent')).toHaveLength(1);
    expect(tokenCalls('rt-concurrent')[0]?.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'rt-concurrent',
      client_id: 'test-client.apps.example',
      client_secret: 'test-secret',
    });
    expect(codeAssistCalls('loadCodeAssist')).toHaveLength(1);
    const generations = codeAssistCalls('generateContent');
    expect(generations).toHaveLength(50);
    expect(new Set(generations.map((request) => request.key))).toEqual(new Set(['at-rt-concurrent-1']));
  });

  it('stores a rotated refresh token, refreshes with it next time, and still has it after a restart', async () => {
    const directory = await temporaryDirectory();
    removeDirectory = directory.remove;
    const dataDir = directory.path;
    gateway = await startOAuthGateway(upstream, {
      dataDir,
      accounts: [expiredAccount('r@example.com', 'rt-first')],
    });
    const id = gateway.accountIds['r@example.com'] ?? '';
    // 60 s of validity is inside the 90 s refresh skew: the next request refreshes again.
    upstream.script('rt-first', ok({ token: { refreshToken: 'rt-rotated', expiresIn: 60 } }));
    upstream.setDefault('rt-rotated', ok({ token: { expiresIn: 60 } }));

    expect((await generate(gateway, 'first request after expiry')).status).toBe(200);
    expect(gateway.runtime.stores.accounts.get(id)?.credential).toMatchObject({ refreshToken: 'rt-rotated' });
    expect((await generate(gateway, 'second request, token about to expire')).status).toBe(200);
    expect(tokenCalls('rt-first')).toHaveLength(1);
    expect(tokenCalls('rt-rotated')).toHaveLength(1);

    const first = gateway;
    gateway = null;
    await first.close();
    gateway = await startOAuthGateway(upstream, { dataDir });
    expect(gateway.runtime.stores.accounts.get(id)?.credential).toMatchObject({ refreshToken: 'rt-rotated' });
    expect((await generate(gateway, 'after a restart')).status).toBe(200);
    expect(tokenCalls('rt-rotated')).toHaveLength(2);
    expect(tokenCalls('rt-first')).toHaveLength(1);
  });

  it('refreshes once after an upstream 401 on a token that had not expired, then succeeds', async () => {
    gateway = await startOAuthGateway(upstream, {
      accounts: [
        {
          provider: 'code-assist',
          email: 'u@example.com',
          refresh_token: 'rt-revoked-early',
          access_token: 'at-still-valid',
          expires_at: systemClock.now() + 3600_000,
        },
      ],
    });
    expect((await generate(gateway, 'warm up: discovers the project')).status).toBe(200);
    expect(tokenCalls('rt-revoked-early')).toHaveLength(0);
    upstream.script('at-still-valid', unauthorized());

    const answer = await generate(gateway, 'token revoked before its expiry');

    expect(answer.status).toBe(200);
    expect(tokenCalls('rt-revoked-early')).toHaveLength(1);
    expect(upstream.requests.at(-1)?.key).toBe('at-rt-revoked-early-1');
  });
});

describe('several OAuth clients per provider', () => {
  it('tries them in order, remembers the one that worked, and uses it first after a restart', async () => {
    const directory = await temporaryDirectory();
    removeDirectory = directory.remove;
    const token_url = `${upstream.url}/oauth/token`;
    const config = {
      oauth: {
        clients: {
          'code-assist': [
            { name: 'first', client_id: 'client-a', client_secret: 'secret-a', token_url },
            { name: 'second', client_id: 'client-b', client_secret: 'secret-b', token_url },
          ],
        },
      },
    };
    gateway = await startOAuthGateway(upstream, {
      dataDir: directory.path,
      config,
      accounts: [expiredAccount('two@example.com', 'rt-of-b')],
    });
    // 60 s of validity is inside the 90 s refresh skew: every request refreshes again.
    upstream.setDefault('rt-of-b', ok({ token: { issuedTo: 'client-b', expiresIn: 60 } }));
    const clientsTried = () =>
      tokenCalls('rt-of-b').map((request) => (request.body as Record<string, string>)['client_id']);

    expect((await generate(gateway, 'first refresh tries both clients')).status).toBe(200);
    expect(clientsTried()).toEqual(['client-a', 'client-b']);
    expect(tokenCalls('rt-of-b')[1]?.body).toMatchObject({ client_secret: 'secret-b' });
    expect((await generate(gateway, 'second refresh starts with the remembered client')).status).toBe(200);
    expect(clientsTried()).toEqual(['client-a', 'client-b', 'client-b']);

    const first = gateway;
    gateway = null;
    await first.close();
    gateway = await startOAuthGateway(upstream, { dataDir: directory.path, config });
    expect((await generate(gateway, 'after a restart')).status).toBe(200);
    expect(clientsTried()).toEqual(['client-a', 'client-b', 'client-b', 'client-b']);
    expect((await accountsByEmail(gateway))['two@example.com']?.disabled).toBe(false);
  });
});

describe('gemini accounts with OAuth', () => {
  it('sends a refreshed bearer token instead of an API key, using the account’s own client', async () => {
    gateway = await startOAuthGateway(upstream, {
      accounts: [
        {
          provider: 'gemini',
          email: 'oauth-gemini@example.com',
          refresh_token: 'rt-gemini',
          client_id: 'own-client',
          token_url: `${upstream.url}/token`,
          base_url: upstream.url,
        },
      ],
    });

    const answer = await generate(gateway, 'gemini with a bearer token');

    expect(answer.status).toBe(200);
    expect(tokenCalls('rt-gemini')[0]?.body).toMatchObject({ client_id: 'own-client' });
    expect(tokenCalls('rt-gemini')[0]?.body).not.toHaveProperty('client_secret');
    const sent = upstream.requests.find((request) => request.protocol === 'gemini');
    expect(sent?.headers['authorization']).toBe('Bearer at-rt-gemini-1');
    expect(sent?.headers['x-goog-api-key']).toBeUndefined();
  });
});

describe('invalid_grant', () => {
  const REASON = 'invalid_grant: Token has been expired or revoked.';

  it('disables the account with its reason, serves the request elsewhere, keeps it out, and a re-import re-enables it', async () => {
    gateway = await startOAuthGateway(upstream, {
      config: { proxy: { scheduling: { mode: 'PerformanceFirst' } } },
      accounts: [
        expiredAccount('revoked@example.com', 'rt-revoked'),
        expiredAccount('good@example.com', 'rt-good'),
      ],
    });
    upstream.setDefault('rt-revoked', invalidGrant());

    const served: string[] = [];
    for (let index = 0; index < 6; index++) {
      const answer = await generate(gateway, `request ${index} while one token is revoked`);
      expect(answer.status).toBe(200);
      served.push(String(answer.headers['x-account-email']));
    }

    expect(new Set(served)).toEqual(new Set(['good@example.com']));
    expect(tokenCalls('rt-revoked')).toHaveLength(1);
    const revoked = (await accountsByEmail(gateway))['revoked@example.com'];
    expect(revoked).toMatchObject({ disabled: true, disabled_reason: REASON });
    expect(revoked?.disabled_at).toEqual(expect.any(String));

    const reimport = await gateway.call('POST', '/api/accounts/import', {
      body: [{ email: 'revoked@example.com', refresh_token: 'rt-new-grant' }],
    });
    expect(reimport.status).toBe(200);
    expect((await accountsByEmail(gateway))['revoked@example.com']).toMatchObject({
      disabled: false,
      disabled_reason: null,
    });
    await expect
      .poll(async () => (await gateway?.call('GET', '/api/proxy/rate-limits'))?.json)
      .toEqual({
        rate_limits: [],
      });
    const after: string[] = [];
    for (let index = 0; index < 4; index++) {
      after.push(String((await generate(gateway, `after re-import ${index}`)).headers['x-account-email']));
    }
    expect(after).toContain('revoked@example.com');
    expect(tokenCalls('rt-new-grant')).toHaveLength(1);
  });
});

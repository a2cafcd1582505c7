import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat, sampleContents, sampleMessages } from '../support/sample-requests.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      { provider: 'openai', email: 'o@example.com', api_key: 'sk-up-openai', base_url: `${upstream.url}/v1` },
      { provider: 'anthropic', email: 'a@example.com', api_key: 'sk-up-anthropic', base_url: upstream.url },
      { provider: 'gemini', email: 'g@example.com', api_key: 'up-gemini', base_url: upstream.url },
    ],
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});
beforeEach(async () => {
  // Every test starts from the defaults: auto mode, no admin password.
  const reset = await gateway.call('PUT', '/api/config', {
    body: { proxy: { auth_mode: 'auto', admin_password: null } },
  });
  expect(reset.status).toBe(200);
  upstream.reset();
});

async function setAuthMode(mode: string): Promise<void> {
  expect((await gateway.call('PUT', '/api/config', { body: { proxy: { auth_mode: mode } } })).status).toBe(
    200,
  );
}

const noKey = { admin: false } as const;
const withHeaders = (headers: Record<string, string>) => ({ admin: false, headers });

describe('admin API auth', () => {
  it('refuses /api routes without the API key, in the admin error shape', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-key' },
      { 'x-api-key': 'wrong-key' },
    ];
    for (const headers of attempts) {
      const result = await gateway.call('GET', '/api/accounts', withHeaders(headers));
      expect(result.status).toBe(401);
      expect(result.json).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('accepts the API key as Authorization: Bearer or x-api-key', async () => {
    const bearer = await gateway.call(
      'GET',
      '/api/accounts',
      withHeaders({ authorization: `Bearer ${gateway.apiKey}` }),
    );
    const header = await gateway.call('GET', '/api/accounts', withHeaders({ 'x-api-key': gateway.apiKey }));
    expect([bearer.status, header.status]).toEqual([200, 200]);
  });

  it('keeps /api/health public', async () => {
    const result = await gateway.call('GET', '/api/health', noKey);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ status: 'ok' });
  });

  it('once an admin password is set, takes it and no longer the API key', async () => {
    const set = await gateway.call('PUT', '/api/config', {
      headers: { authorization: `Bearer ${gateway.apiKey}` },
      body: { proxy: { admin_password: 'correct horse battery' } },
    });
    expect(set.status).toBe(200);
    const byKey = await gateway.call(
      'GET',
      '/api/accounts',
      withHeaders({ authorization: `Bearer ${gateway.apiKey}` }),
    );
    expect(byKey.status).toBe(401);
    const byPassword = await gateway.call(
      'GET',
      '/api/accounts',
      withHeaders({ authorization: 'Bearer correct horse battery' }),
    );
    expect(byPassword.status).toBe(200);
    // The proxy routes still take the API key, not the password.
    await setAuthMode('strict');
    expect(
      (await gateway.call('GET', '/v1/models', withHeaders({ 'x-api-key': gateway.apiKey }))).status,
    ).toBe(200);
  });
});

describe('proxy auth per auth_mode', () => {
  it('auto on loopback: open, no key needed', async () => {
    expect(pick((await gateway.call('GET', '/api/proxy/status')).json, 'auth_mode')).toBe('off');
    const chat = await gateway.call('POST', '/v1/chat/completions', {
      ...noKey,
      body: sampleChat('open door'),
    });
    expect(chat.status).toBe(200);
    expect((await gateway.call('GET', '/healthz', noKey)).status).toBe(200);
  });

  it('strict: every route needs the key, /healthz included', async () => {
    await setAuthMode('strict');
    for (const path of ['/healthz', '/v1/models', '/v1beta/models']) {
      expect((await gateway.call('GET', path, noKey)).status, path).toBe(401);
      expect(
        (await gateway.call('GET', path, withHeaders({ 'x-api-key': gateway.apiKey }))).status,
        path,
      ).toBe(200);
    }
    expect((await gateway.call('GET', '/api/health', noKey)).status).toBe(200);
    expect(upstream.requests).toHaveLength(0);
  });

  it('all_except_health: /healthz is open, the rest needs the key', async () => {
    await setAuthMode('all_except_health');
    expect((await gateway.call('GET', '/healthz', noKey)).json).toMatchObject({ status: 'ok' });
    expect((await gateway.call('GET', '/v1/models', noKey)).status).toBe(401);
    const chat = await gateway.call('POST', '/v1/chat/completions', {
      ...noKey,
      body: sampleChat('closed door'),
    });
    expect(chat.status).toBe(401);
    expect(upstream.requests).toHaveLength(0);
  });

  it('a change of auth_mode through PUT /api/config applies to the very next request', async () => {
    expect((await gateway.call('GET', '/v1/models', noKey)).status).toBe(200);
    await setAuthMode('strict');
    expect((await gateway.call('GET', '/v1/models', noKey)).status).toBe(401);
    await setAuthMode('off');
    expect((await gateway.call('GET', '/v1/models', noKey)).status).toBe(200);
  });
});

describe('a 401 is shaped like the route protocol', () => {
  it.each([
    {
      name: 'OpenAI error object on /v1/chat/completions',
      path: '/v1/chat/completions',
      body: sampleChat('hi'),
      shape: { error: { type: 'authentication_error', message: expect.stringMatching(/API key/) } },
    },
    {
      name: 'Anthropic envelope on /v1/messages',
      path: '/v1/messages',
      body: sampleMessages('hi'),
      shape: { type: 'error', error: { type: 'authentication_error', message: expect.any(String) } },
    },
    {
      name: 'Google error on /v1beta/models/...:generateContent',
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
      body: sampleContents('hi'),
      shape: { error: { code: 401, status: 'UNAUTHENTICATED', message: expect.any(String) } },
    },
  ])('$name', async ({ path, body, shape }) => {
    await setAuthMode('strict');
    const result = await gateway.call('POST', path, { ...noKey, body });
    expect(result.status).toBe(401);
    expect(result.json).toMatchObject(shape);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('the proxy key is accepted in every header clients use', () => {
  it.each([
    { name: 'Authorization: Bearer', headers: (key: string) => ({ authorization: `Bearer ${key}` }) },
    { name: 'a raw Authorization value', headers: (key: string) => ({ authorization: key }) },
    { name: 'x-api-key', headers: (key: string) => ({ 'x-api-key': key }) },
    { name: 'x-goog-api-key', headers: (key: string) => ({ 'x-goog-api-key': key }) },
  ])('$name', async ({ headers }) => {
    await setAuthMode('strict');
    const accepted = await gateway.call('POST', '/v1/chat/completions', {
      ...withHeaders(headers(gateway.apiKey)),
      body: sampleChat('keyed'),
    });
    expect(accepted.status).toBe(200);
    const refused = await gateway.call('POST', '/v1/chat/completions', {
      ...withHeaders(headers('sk-not-the-key')),
      body: sampleChat('keyed'),
    });
    expect(refused.status).toBe(401);
    expect(pick(refused.json, 'error', 'message')).toBe('Invalid API key');
  });
});

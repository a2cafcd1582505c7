/**
 * What a web page on another origin can do to a gateway on 127.0.0.1 with `auth_mode: auto` (no
 * key needed): nothing. DNS rebinding is refused by the Host check, no CORS is granted, and
 * state-changing admin requests from another origin are refused even with a valid credential.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat, sampleContents, sampleMessages } from '../support/sample-requests.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      { provider: 'openai', email: 'o@example.com', api_key: 'sk-up-openai', base_url: `${upstream.url}/v1` },
    ],
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});
beforeEach(async () => {
  expect((await gateway.call('PUT', '/api/config', { body: { proxy: { allowed_hosts: [] } } })).status).toBe(
    200,
  );
  upstream.reset();
});

const rebound = { host: 'attacker.example:8045' };

describe('DNS rebinding: a Host that does not name the gateway is refused', () => {
  it.each([
    { path: '/v1/models', method: 'GET', shape: { error: { type: 'permission_error', code: 'forbidden' } } },
    { path: '/metrics', method: 'GET', shape: { error: { type: 'permission_error' } } },
    {
      path: '/v1/messages',
      method: 'POST',
      body: sampleMessages('hi'),
      shape: { type: 'error', error: { type: 'permission_error' } },
    },
    {
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
      method: 'POST',
      body: sampleContents('hi'),
      shape: { error: { code: 403, status: 'PERMISSION_DENIED' } },
    },
    { path: '/api/accounts', method: 'GET', shape: { error: { code: 'forbidden' } } },
    { path: '/', method: 'GET', shape: { error: { code: 'forbidden' } } },
  ])(
    '$method $path → 403 in its protocol shape, naming proxy.allowed_hosts',
    async ({ path, method, body, shape }) => {
      const result = await gateway.call(method, path, { body, headers: rebound, admin: false });
      expect(result.status).toBe(403);
      expect(result.json).toMatchObject(shape);
      expect(result.text).toContain('proxy.allowed_hosts');
      expect(result.text).not.toContain('o@example.com');
    },
  );

  it('a chat request under a rebound name never reaches an account', async () => {
    const result = await gateway.call('POST', '/v1/chat/completions', {
      body: sampleChat('steal a completion'),
      headers: rebound,
      admin: false,
    });
    expect(result.status).toBe(403);
    expect(result.headers['x-account-email']).toBeUndefined();
    expect(upstream.requests).toHaveLength(0);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])(
    'serves the loopback name %s, with or without port',
    async (name) => {
      const port = new URL(gateway.url).port;
      for (const host of [name, `${name}:${port}`]) {
        expect(
          (await gateway.call('GET', '/v1/models', { headers: { host }, admin: false })).status,
          host,
        ).toBe(200);
      }
    },
  );

  it('serves a name once it is listed in proxy.allowed_hosts, at once', async () => {
    const named = { host: 'gateway.lan:8045' };
    expect((await gateway.call('GET', '/v1/models', { headers: named, admin: false })).status).toBe(403);
    const listed = await gateway.call('PUT', '/api/config', {
      body: { proxy: { allowed_hosts: ['gateway.lan'] } },
    });
    expect(listed.status).toBe(200);
    expect((await gateway.call('GET', '/v1/models', { headers: named, admin: false })).status).toBe(200);
  });
});

describe('no CORS', () => {
  it.each([
    {
      path: '/v1/chat/completions',
      shape: { error: { type: 'invalid_request_error', code: 'method_not_allowed' } },
    },
    { path: '/v1/messages', shape: { type: 'error', error: { type: 'invalid_request_error' } } },
    { path: '/v1beta/models/gemini-2.5-flash:generateContent', shape: { error: { code: 405 } } },
    { path: '/api/config', shape: { error: { code: 'method_not_allowed' } } },
  ])(
    'a preflight of $path gets 405 in its protocol shape and no Access-Control header',
    async ({ path, shape }) => {
      const result = await gateway.call('OPTIONS', path, {
        admin: false,
        headers: {
          origin: 'http://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
      expect(result.status).toBe(405);
      expect(result.json).toMatchObject(shape);
      expect(Object.keys(result.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    },
  );

  it('answers a cross-origin GET without any Access-Control header (the page cannot read it)', async () => {
    const result = await gateway.call('GET', '/v1/models', {
      admin: false,
      headers: { origin: 'http://evil.example' },
    });
    expect(Object.keys(result.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('state-changing admin requests from another origin', () => {
  it('are refused with 403 even with a valid credential, and change nothing', async () => {
    const result = await gateway.call('PUT', '/api/config', {
      body: { proxy: { auth_mode: 'strict' } },
      headers: { origin: 'http://evil.example' },
    });
    expect(result.status).toBe(403);
    expect(result.json).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('another origin') },
    });
    expect((await gateway.call('GET', '/api/proxy/status')).json).toMatchObject({ auth_mode: 'off' });
  });

  it('are refused as a simple (form) request that a page could send without a preflight', async () => {
    const result = await gateway.call('POST', '/api/proxy/session-bindings/clear', {
      admin: false,
      raw: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(result.status).toBe(403);
    expect(result.json).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('Content-Type') },
    });
  });

  it('pass from the gateway’s own origin (the web UI)', async () => {
    const result = await gateway.call('POST', '/api/proxy/session-bindings/clear', {
      headers: { origin: gateway.url },
    });
    expect(result.status).toBe(200);
  });
});

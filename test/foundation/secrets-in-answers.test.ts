/**
 * Secrets never come back in an answer: the admin API masks the config's secrets (write-only),
 * and an upstream error that quotes the account's credential is scrubbed before it reaches the
 * client, the lock list, the request log or a log line.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { captureLogs } from '../support/log-capture.js';
import { type MockUpstream, rateLimited, startMockUpstream, status } from '../support/mock-upstream.js';
import { sampleChat, sampleMessages } from '../support/sample-requests.js';

/** The account's own key, in a shape no generic pattern knows: only the verbatim match catches it. */
const OPENAI_KEY = 'custom-upstream-credential-0042';
const ADMIN_PASSWORD = 'correct horse battery staple';
const CLIENT_SECRET = 'oauth-client-secret-value-77';
const PROXY_PASSWORD = 'proxy-pass-123';

let upstream: MockUpstream;
let gateway: GatewayHarness;
const captured = captureLogs({ level: 'trace' });

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    logger: captured.logger,
    config: {
      proxy: { logging: { debug_bodies: true } },
      oauth: { clients: { 'code-assist': { client_id: 'client-1', client_secret: CLIENT_SECRET } } },
    },
    accounts: [
      { provider: 'openai', email: 'o@example.com', api_key: OPENAI_KEY, base_url: `${upstream.url}/v1` },
    ],
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});
beforeEach(() => {
  upstream.reset();
});

describe('config secrets are write-only in the admin API', () => {
  it('GET and PUT /api/config show "********" for every set secret, never the value', async () => {
    const put = await gateway.call('PUT', '/api/config', {
      body: {
        proxy: {
          admin_password: ADMIN_PASSWORD,
          upstream_proxy: { enabled: false, url: `http://me:${PROXY_PASSWORD}@proxy.lan:3128` },
        },
      },
    });
    expect(put.status).toBe(200);
    const read = await gateway.call('GET', '/api/config');
    for (const answer of [put, read]) {
      expect(pick(answer.json, 'proxy', 'admin_password')).toBe('********');
      expect(pick(answer.json, 'oauth', 'clients', 'code-assist', 0, 'client_secret')).toBe('********');
      expect(pick(answer.json, 'proxy', 'upstream_proxy', 'url')).toBe('http://me:********@proxy.lan:3128');
      for (const secret of [ADMIN_PASSWORD, CLIENT_SECRET, PROXY_PASSWORD])
        expect(answer.text).not.toContain(secret);
    }
  });

  it('a PUT sending the masks back keeps the stored secrets; a new value replaces one', async () => {
    const shown = (await gateway.call('GET', '/api/config')).json as Record<string, unknown>;
    expect((await gateway.call('PUT', '/api/config', { body: shown })).status).toBe(200);
    const stored = gateway.runtime.stores.config.get();
    expect(stored.proxy.admin_password).toBe(ADMIN_PASSWORD);
    expect(stored.oauth.clients['code-assist']?.[0]?.client_secret).toBe(CLIENT_SECRET);
    expect(stored.proxy.upstream_proxy.url).toBe(`http://me:${PROXY_PASSWORD}@proxy.lan:3128`);
    // The admin password still signs in, and a new one takes over.
    const changed = await gateway.call('PUT', '/api/config', {
      body: { proxy: { admin_password: 'a newer password' } },
    });
    expect(changed.status).toBe(200);
    const signIn = (password: string) =>
      gateway.call('GET', '/api/accounts', { headers: { authorization: `Bearer ${password}` } });
    expect((await signIn('a newer password')).status).toBe(200);
    expect((await signIn(ADMIN_PASSWORD)).status).toBe(401);
  });
});

describe('upstream error text is scrubbed of credentials', () => {
  const quoting = (code: number) =>
    status(code, {
      body: {
        error: {
          message: `Invalid request for key ${OPENAI_KEY}; also seen: sk-proj-abcdef0123456789 and Bearer tok.en-1`,
          type: 'invalid_request_error',
        },
      },
    });

  it('in a client error passed through to a client of the same protocol', async () => {
    upstream.script(OPENAI_KEY, quoting(400));
    const result = await gateway.call('POST', '/v1/chat/completions', {
      body: sampleChat('hi'),
      admin: false,
    });
    expect(result.status).toBe(400);
    expect(pick(result.json, 'error', 'message')).toBe(
      'Invalid request for key [redacted]; also seen: [redacted] and [redacted]',
    );
  });

  it('in a client error translated for a client of another protocol', async () => {
    upstream.script(OPENAI_KEY, quoting(422));
    const result = await gateway.call('POST', '/v1/messages', { body: sampleMessages('hi'), admin: false });
    expect(result.status).toBe(422);
    expect(pick(result.json, 'error', 'message')).toBe(
      'Upstream rejected the request: Invalid request for key [redacted]; also seen: [redacted] and [redacted]',
    );
  });

  it('in the lock the failure leaves (admin API), the request log and the log lines', async () => {
    upstream.script(
      OPENAI_KEY,
      rateLimited({ retryAfter: '120', message: `Quota exceeded for ${OPENAI_KEY}` }),
    );
    const result = await gateway.call('POST', '/v1/chat/completions', {
      body: sampleChat('limited'),
      admin: false,
    });
    expect(result.status).toBe(429);
    const locks = await gateway.call('GET', '/api/proxy/rate-limits');
    expect(locks.text).toContain('[redacted]');
    await gateway.runtime.services.observability.writer.flush();
    const logs = await gateway.call('GET', '/api/logs');
    expect(logs.text).toContain('chat/completions');
    for (const text of [result.text, locks.text, logs.text, captured.text()])
      expect(text).not.toContain(OPENAI_KEY);
    expect(await gateway.call('DELETE', '/api/proxy/rate-limits')).toMatchObject({ status: 200 });
  });
});

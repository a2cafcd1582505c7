import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CallResult, type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;
const configPath = () => join(gateway.dataDir, 'gui_config.json');

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(async () => {
  await upstream?.close();
});
beforeEach(async () => {
  gateway = await startGateway({
    accounts: [
      {
        provider: 'openai',
        email: 'first@example.com',
        api_key: 'sk-first-1',
        base_url: `${upstream.url}/v1`,
      },
    ],
  });
});
afterEach(async () => {
  await gateway?.close();
  upstream.reset();
});

function errorOf(result: CallResult): { code: string; message: string } {
  return {
    code: String(pick(result.json, 'error', 'code')),
    message: String(pick(result.json, 'error', 'message')),
  };
}

async function accountCount(): Promise<number> {
  return (pick((await gateway.call('GET', '/api/accounts')).json, 'accounts') as unknown[]).length;
}

/** The gateway still answers both its admin API and its proxy routes. */
async function expectStillUp(): Promise<void> {
  expect((await gateway.call('GET', '/api/health')).status).toBe(200);
  expect((await gateway.call('GET', '/healthz')).json).toMatchObject({ status: 'ok' });
  expect((await gateway.call('GET', '/api/accounts')).status).toBe(200);
}

describe('bad admin requests are refused, write nothing, and the gateway stays up', () => {
  it('malformed JSON → 400 invalid_json', async () => {
    const result = await gateway.call('POST', '/api/accounts', { raw: '{"provider": "openai", "email": ' });
    expect(result.status).toBe(400);
    expect(errorOf(result).code).toBe('invalid_json');
    expect(errorOf(result).message).toMatch(/not valid JSON/);
    expect(await accountCount()).toBe(1);
    await expectStillUp();
  });

  it('malformed JSON in PUT /api/config → 400, the file is untouched', async () => {
    const before = await readFile(configPath(), 'utf8');
    const result = await gateway.call('PUT', '/api/config', { raw: '{"proxy": {' });
    expect(result.status).toBe(400);
    expect(errorOf(result).code).toBe('invalid_json');
    expect(await readFile(configPath(), 'utf8')).toBe(before);
    await expectStillUp();
  });

  it('wrong types → 400 naming every bad field', async () => {
    const result = await gateway.call('POST', '/api/accounts', {
      body: { provider: 'openai', email: 42, api_key: true, models: 'gpt-4o', tier: 'GOLD' },
    });
    expect(result.status).toBe(400);
    expect(errorOf(result).code).toBe('validation_failed');
    for (const field of ['email', 'api_key', 'models', 'tier'])
      expect(errorOf(result).message).toContain(field);
    expect(await accountCount()).toBe(1);
    await expectStillUp();
  });

  it('unknown provider → 400 naming provider and the kinds allowed', async () => {
    const result = await gateway.call('POST', '/api/accounts', {
      body: { provider: 'mistral', email: 'x@example.com', api_key: 'sk-x' },
    });
    expect(result.status).toBe(400);
    expect(errorOf(result).message).toMatch(/provider/);
    expect(errorOf(result).message).toMatch(/openai, anthropic, code-assist, gemini/);
    expect(await accountCount()).toBe(1);
    await expectStillUp();
  });

  it('duplicate (provider, email) → 409 conflict', async () => {
    const result = await gateway.call('POST', '/api/accounts', {
      body: { provider: 'openai', email: 'first@example.com', api_key: 'sk-other' },
    });
    expect(result.status).toBe(409);
    expect(errorOf(result).code).toBe('conflict');
    expect(errorOf(result).message).toContain('first@example.com');
    expect(await accountCount()).toBe(1);
    // The same email under another provider is a different account.
    const other = await gateway.call('POST', '/api/accounts', {
      body: { provider: 'anthropic', email: 'first@example.com', api_key: 'sk-ant-other' },
    });
    expect(other.status).toBe(201);
    await expectStillUp();
  });

  it('missing credential → 400 naming api_key', async () => {
    const result = await gateway.call('POST', '/api/accounts', {
      body: { provider: 'openai', email: 'nokey@example.com' },
    });
    expect(result.status).toBe(400);
    expect(errorOf(result).message).toMatch(/api_key: missing credential/);
    expect(await accountCount()).toBe(1);
    await expectStillUp();
  });

  it('an unknown field in POST /api/accounts → 400 naming it', async () => {
    const result = await gateway.call('POST', '/api/accounts', {
      body: { provider: 'openai', email: 'typo@example.com', api_key: 'sk-typo', api_kye: 'sk-typo' },
    });
    expect(result.status).toBe(400);
    expect(errorOf(result).message).toContain('api_kye');
    expect(await accountCount()).toBe(1);
    await expectStillUp();
  });

  it.each(['GET', 'PATCH', 'DELETE'])('unknown account id → 404 for %s, naming the id', async (method) => {
    const id = '00000000-0000-4000-8000-000000000000';
    const result = await gateway.call(method, `/api/accounts/${id}`, {
      body: method === 'PATCH' ? { label: 'x' } : undefined,
    });
    expect(result.status).toBe(404);
    expect(errorOf(result)).toEqual({ code: 'not_found', message: expect.stringContaining(id) });
    expect(await accountCount()).toBe(1);
    await expectStillUp();
  });
});

describe('oversized bodies', () => {
  const bigChat = (bytes: number) => sampleChat('x'.repeat(bytes));

  it('answer 413 above proxy.max_body_bytes, and a new limit applies without a restart', async () => {
    const lowered = await gateway.call('PUT', '/api/config', { body: { proxy: { max_body_bytes: 2048 } } });
    expect(lowered.status).toBe(200);

    const proxied = await gateway.call('POST', '/v1/chat/completions', { body: bigChat(4096) });
    expect(proxied.status).toBe(413);
    expect(pick(proxied.json, 'error', 'message')).toMatch(/max_body_bytes/);
    expect(pick(proxied.json, 'error', 'type')).toBe('invalid_request_error');
    expect(upstream.requests).toHaveLength(0);

    const admin = await gateway.call('POST', '/api/accounts', {
      body: { provider: 'openai', email: 'big@example.com', api_key: 'sk-big', label: 'y'.repeat(4096) },
    });
    expect(admin.status).toBe(413);
    expect(errorOf(admin)).toEqual({
      code: 'payload_too_large',
      message: expect.stringMatching(/2048 bytes/),
    });
    expect(await accountCount()).toBe(1);

    await gateway.call('PUT', '/api/config', { body: { proxy: { max_body_bytes: 1_000_000 } } });
    const accepted = await gateway.call('POST', '/v1/chat/completions', { body: bigChat(4096) });
    expect(accepted.status).toBe(200);
    await expectStillUp();
  });

  it('answer 413 for a chunked body (no Content-Length) above the limit', async () => {
    await gateway.call('PUT', '/api/config', { body: { proxy: { max_body_bytes: 2048 } } });
    const response = await request(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from([JSON.stringify(bigChat(4096))]),
    });
    expect(response.statusCode).toBe(413);
    expect(await response.body.text()).toMatch(/max_body_bytes/);
    expect(upstream.requests).toHaveLength(0);
    await expectStillUp();
  });

  it('default to 50 MB', async () => {
    const config = (await gateway.call('GET', '/api/config')).json;
    expect(pick(config, 'proxy', 'max_body_bytes')).toBe(50 * 1024 * 1024);
  });
});

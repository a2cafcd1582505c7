import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CallOptions,
  type CallResult,
  type GatewayHarness,
  startGateway,
} from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat } from '../support/sample-requests.js';

const OPENAI_KEY = 'sk-foundation-openai-0123456789abcdef';
const REPLACED_KEY = 'sk-foundation-replaced-9876543210fedcba';
const ANTHROPIC_KEY = 'sk-ant-foundation-aaaabbbbccccdddd';
const REFRESH_TOKEN = '1//foundation-refresh-token-qwertyuiop';
const SECRETS = [OPENAI_KEY, REPLACED_KEY, ANTHROPIC_KEY, REFRESH_TOKEN];

let upstream: MockUpstream;
let gateway: GatewayHarness;
/** Every admin response body of the current test, checked for secrets after it. */
let bodies: string[];

async function call(method: string, path: string, options?: CallOptions): Promise<CallResult> {
  const result = await gateway.call(method, path, options);
  bodies.push(result.text);
  return result;
}

async function addOpenAi(extra: Record<string, unknown> = {}): Promise<string> {
  const created = await call('POST', '/api/accounts', {
    body: {
      provider: 'openai',
      email: 'one@example.com',
      api_key: OPENAI_KEY,
      base_url: `${upstream.url}/v1`,
      ...extra,
    },
  });
  expect(created.status).toBe(201);
  return String(pick(created.json, 'id'));
}

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(async () => {
  await upstream?.close();
});
beforeEach(async () => {
  bodies = [];
  gateway = await startGateway();
});
afterEach(async () => {
  await gateway?.close();
  upstream.reset();
  const leaked = SECRETS.filter((secret) => bodies.some((body) => body.includes(secret)));
  expect(leaked, 'secrets found in admin responses').toEqual([]);
});

describe('POST /api/accounts', () => {
  it('answers 201 with the account, its credential masked', async () => {
    const created = await call('POST', '/api/accounts', {
      body: {
        provider: 'openai',
        email: 'one@example.com',
        api_key: OPENAI_KEY,
        tier: 'PRO',
        models: ['gpt-4*'],
        label: 'work',
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      email: 'one@example.com',
      provider: 'openai',
      base_url: null,
      tier: 'PRO',
      models: ['gpt-4*'],
      label: 'work',
      disabled: false,
      proxy_disabled: false,
      credential: { type: 'api_key', masked: 'sk-…cdef' },
    });
    expect(pick(created.json, 'id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('masks an OAuth refresh token too', async () => {
    const created = await call('POST', '/api/accounts', {
      body: { provider: 'code-assist', email: 'g@example.com', refresh_token: REFRESH_TOKEN },
    });
    expect(created.status).toBe(201);
    expect(pick(created.json, 'credential')).toMatchObject({
      type: 'oauth',
      masked: '1//…uiop',
      has_refresh_token: true,
    });
  });
});

describe('GET /api/accounts and /api/accounts/:id', () => {
  it('lists every account masked and shows one by id', async () => {
    const id = await addOpenAi();
    await call('POST', '/api/accounts', {
      body: { provider: 'anthropic', email: 'two@example.com', api_key: ANTHROPIC_KEY },
    });
    const list = await call('GET', '/api/accounts');
    expect(list.status).toBe(200);
    const accounts = pick(list.json, 'accounts') as Array<Record<string, unknown>>;
    expect(accounts.map((account) => [account['email'], pick(account, 'credential', 'masked')])).toEqual([
      ['one@example.com', 'sk-…cdef'],
      ['two@example.com', 'sk-…dddd'],
    ]);
    const one = await call('GET', `/api/accounts/${id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id, email: 'one@example.com' });
  });
});

describe('PATCH /api/accounts/:id', () => {
  it('disables with a reason and enables again', async () => {
    const id = await addOpenAi();
    const disabled = await call('PATCH', `/api/accounts/${id}`, {
      body: { disabled: true, disabled_reason: 'over budget' },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.json).toMatchObject({ disabled: true, disabled_reason: 'over budget' });
    expect(pick(disabled.json, 'disabled_at')).toEqual(expect.any(String));
    const status = await call('GET', '/api/proxy/status');
    expect(status.json).toMatchObject({ active_accounts: 0, total_accounts: 1 });

    const enabled = await call('PATCH', `/api/accounts/${id}`, { body: { disabled: false } });
    expect(enabled.json).toMatchObject({ disabled: false, disabled_reason: null, disabled_at: null });
  });

  it('changes proxy_disabled, tier, label, models and base_url, and GET shows the change', async () => {
    const id = await addOpenAi();
    const patched = await call('PATCH', `/api/accounts/${id}`, {
      body: {
        proxy_disabled: true,
        proxy_disabled_reason: 'maintenance',
        tier: 'ULTRA',
        label: 'team',
        models: ['gpt-4o', 'o3*'],
        base_url: 'https://api.example.com/v1',
      },
    });
    expect(patched.status).toBe(200);
    const expected = {
      proxy_disabled: true,
      proxy_disabled_reason: 'maintenance',
      tier: 'ULTRA',
      label: 'team',
      models: ['gpt-4o', 'o3*'],
      base_url: 'https://api.example.com/v1',
    };
    expect(patched.json).toMatchObject(expected);
    expect((await call('GET', `/api/accounts/${id}`)).json).toMatchObject(expected);

    const cleared = await call('PATCH', `/api/accounts/${id}`, {
      body: { tier: null, label: null, base_url: null },
    });
    expect(cleared.json).toMatchObject({ tier: null, label: null, base_url: null });
  });

  it('replaces the credential: the response is masked and the upstream receives the new key', async () => {
    const id = await addOpenAi();
    const patched = await call('PATCH', `/api/accounts/${id}`, { body: { api_key: REPLACED_KEY } });
    expect(patched.status).toBe(200);
    expect(pick(patched.json, 'credential', 'masked')).toBe('sk-…dcba');
    const answer = await gateway.call('POST', '/v1/chat/completions', { body: sampleChat('new key please') });
    expect(answer.status).toBe(200);
    expect(upstream.hits(REPLACED_KEY)).toBe(1);
    expect(upstream.hits(OPENAI_KEY)).toBe(0);
  });
});

describe('DELETE /api/accounts/:id', () => {
  it('answers 204, then the account is gone (404)', async () => {
    const id = await addOpenAi();
    const removed = await call('DELETE', `/api/accounts/${id}`);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect((await call('GET', `/api/accounts/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/accounts/${id}`)).status).toBe(404);
    expect(pick((await call('GET', '/api/accounts')).json, 'accounts')).toEqual([]);
  });
});

describe('POST /api/accounts/import', () => {
  const listEmails = async () =>
    (
      pick((await call('GET', '/api/accounts')).json, 'accounts') as Array<{
        email: string;
        provider: string;
      }>
    )
      .map((account) => `${account.provider}:${account.email}`)
      .sort();

  it('imports a list in our own shape', async () => {
    const result = await call('POST', '/api/accounts/import', {
      body: [
        { provider: 'openai', email: 'a@example.com', api_key: OPENAI_KEY },
        { provider: 'anthropic', email: 'b@example.com', api_key: ANTHROPIC_KEY, tier: 'FREE' },
      ],
    });
    expect(result.status).toBe(200);
    expect((pick(result.json, 'created') as unknown[]).length).toBe(2);
    expect(await listEmails()).toEqual(['anthropic:b@example.com', 'openai:a@example.com']);
  });

  it("imports the reference's [{email, refresh_token}] list as OAuth accounts", async () => {
    const result = await call('POST', '/api/accounts/import', {
      body: [{ email: 'g1@gmail.com', refresh_token: REFRESH_TOKEN }],
    });
    expect(result.status).toBe(200);
    expect(pick(result.json, 'created', 0)).toMatchObject({
      provider: 'code-assist',
      email: 'g1@gmail.com',
      credential: { type: 'oauth', masked: '1//…uiop' },
    });
  });

  it('imports {accounts: [...]} and gives an account that already exists the new credential', async () => {
    await addOpenAi();
    const result = await call('POST', '/api/accounts/import', {
      body: {
        accounts: [
          { provider: 'openai', email: 'one@example.com', api_key: REPLACED_KEY },
          { provider: 'gemini', email: 'g@example.com', api_key: 'AIza-foundation-gemini-key-01' },
        ],
      },
    });
    expect(result.status).toBe(200);
    expect(pick(result.json, 'updated', 0)).toMatchObject({
      email: 'one@example.com',
      credential: { masked: 'sk-…dcba' },
    });
    expect(pick(result.json, 'created', 0)).toMatchObject({ email: 'g@example.com' });
    expect(await listEmails()).toEqual(['gemini:g@example.com', 'openai:one@example.com']);
  });
});

describe('GET /api/proxy/status', () => {
  it('reports the address, version, account counts, effective auth mode and no config error', async () => {
    await addOpenAi();
    const second = await call('POST', '/api/accounts', {
      body: { provider: 'anthropic', email: 'two@example.com', api_key: ANTHROPIC_KEY },
    });
    await call('PATCH', `/api/accounts/${pick(second.json, 'id')}`, { body: { disabled: true } });
    const status = await call('GET', '/api/proxy/status');
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({
      running: true,
      host: '127.0.0.1',
      port: gateway.runtime.address.port,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      active_accounts: 1,
      total_accounts: 2,
      auth_mode: 'off',
      config_error: null,
    });
  });

  it('shows the effective auth mode after it changes', async () => {
    await call('PUT', '/api/config', { body: { proxy: { auth_mode: 'strict' } } });
    expect(pick((await call('GET', '/api/proxy/status')).json, 'auth_mode')).toBe('strict');
  });
});

describe('GET and PUT /api/config', () => {
  const configFile = () => join(gateway.dataDir, 'gui_config.json');

  it('merges a partial PUT into the config in force and into the file', async () => {
    const before = (await call('GET', '/api/config')).json;
    const put = await call('PUT', '/api/config', {
      body: { proxy: { scheduling: { mode: 'CacheFirst' }, custom_mapping: { 'gpt-4*': 'claude-x' } } },
    });
    expect(put.status).toBe(200);
    const after = (await call('GET', '/api/config')).json;
    expect(pick(after, 'proxy', 'scheduling')).toEqual({ mode: 'CacheFirst', max_wait_seconds: 60 });
    expect(pick(after, 'proxy', 'custom_mapping')).toEqual({ 'gpt-4*': 'claude-x' });
    expect(pick(after, 'proxy', 'api_key')).toBe(pick(before, 'proxy', 'api_key'));
    expect(pick(after, 'proxy', 'port')).toBe(pick(before, 'proxy', 'port'));
    const onDisk = JSON.parse(await readFile(configFile(), 'utf8')) as unknown;
    expect(pick(onDisk, 'proxy', 'scheduling', 'mode')).toBe('CacheFirst');
  });

  it('keeps keys the schema does not know', async () => {
    await call('PUT', '/api/config', { body: { ui: { theme: 'dark' }, proxy: { future_flag: 1 } } });
    await call('PUT', '/api/config', { body: { proxy: { request_timeout: 300 } } });
    const onDisk = JSON.parse(await readFile(configFile(), 'utf8')) as unknown;
    expect(pick(onDisk, 'ui')).toEqual({ theme: 'dark' });
    expect(pick(onDisk, 'proxy', 'future_flag')).toBe(1);
    expect(pick(onDisk, 'proxy', 'request_timeout')).toBe(300);
  });

  it('rejects an invalid PUT with 400 naming the path, and leaves the file untouched', async () => {
    const fileBefore = await readFile(configFile(), 'utf8');
    const put = await call('PUT', '/api/config', {
      body: { proxy: { scheduling: { mode: 'Fastest' }, port: 70_000 } },
    });
    expect(put.status).toBe(400);
    expect(pick(put.json, 'error', 'code')).toBe('validation_failed');
    const message = String(pick(put.json, 'error', 'message'));
    expect(message).toContain('proxy.scheduling.mode');
    expect(message).toContain('proxy.port');
    expect(await readFile(configFile(), 'utf8')).toBe(fileBefore);
    expect(pick((await call('GET', '/api/config')).json, 'proxy', 'scheduling', 'mode')).toBe('Balance');
  });
});

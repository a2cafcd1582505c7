import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayRuntime } from '../../src/cli/gateway-runtime.js';
import { systemClock } from '../../src/core/clock.js';
import { systemIds } from '../../src/core/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import { httpCall, pick } from '../support/http-call.js';
import { ANY_KEY, type MockUpstream, startMockUpstream, unauthorized } from '../support/mock-upstream.js';
import { sampleChat, sampleContents, sampleMessages } from '../support/sample-requests.js';
import { temporaryDirectory } from './run-cli.js';

const PROXY_KEY = 'sk-proxykey0000aaaa1111bbbb2222cccc';
const ADMIN_PASSWORD = 'admin-password-never-logged-42';
const OPENAI_KEY = 'sk-openai-secret-at-rest-0123456789';
const OPENAI_KEY_REPLACED = 'sk-openai-secret-replaced-9876543210';
const ANTHROPIC_KEY = 'sk-ant-secret-at-rest-abcdefabcdef';
const GEMINI_KEY = 'AIzaSecretAtRest-gemini-0123456789';
const REFRESH_TOKEN = '1//refresh-secret-at-rest-zyxwvuts';
const CLIENT_SECRET = 'GOCSPX-client-secret-at-rest-5555';
const IMPORTED_TOKEN = '1//imported-refresh-secret-qponmlkj';
const ACCOUNT_SECRETS = [
  OPENAI_KEY,
  OPENAI_KEY_REPLACED,
  ANTHROPIC_KEY,
  GEMINI_KEY,
  REFRESH_TOKEN,
  CLIENT_SECRET,
  IMPORTED_TOKEN,
];
const ALL_SECRETS = [...ACCOUNT_SECRETS, PROXY_KEY, ADMIN_PASSWORD];

let upstream: MockUpstream;
let directory: { path: string; remove: () => Promise<void> };
let runtime: GatewayRuntime;
let url: string;
let logOutput = '';

beforeAll(async () => {
  upstream = await startMockUpstream();
  directory = await temporaryDirectory();
  await writeFile(
    join(directory.path, 'gui_config.json'),
    JSON.stringify({ proxy: { api_key: PROXY_KEY, auth_mode: 'strict' } }),
  );
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logOutput += chunk.toString('utf8');
      done();
    },
  });
  runtime = await GatewayRuntime.start({
    dataDir: directory.path,
    host: '127.0.0.1',
    port: 0,
    secretKey: undefined,
    logger: createLogger({ level: 'trace', destination }),
    clock: systemClock,
    ids: systemIds,
    shutdownTimeoutMs: 2000,
  });
  url = `http://127.0.0.1:${runtime.address.port}`;
  await exerciseEverything();
});
afterAll(async () => {
  await runtime?.stop();
  await upstream?.close();
  await directory?.remove();
});

/** One admin API call with the admin credential in force, the answer read whole. */
async function admin(
  path: string,
  options: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH'; body?: unknown } = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const credential = runtime.stores.config.get().proxy.admin_password ?? PROXY_KEY;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const response = await request(`${url}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.body.text();
  return { status: response.statusCode, text, json: text ? JSON.parse(text) : undefined };
}

/** Adds, patches and imports accounts, proxies requests (one failing upstream), sets an admin password. */
async function exerciseEverything(): Promise<void> {
  const accounts = [
    { provider: 'openai', email: 'o@example.com', api_key: OPENAI_KEY, base_url: `${upstream.url}/v1` },
    { provider: 'anthropic', email: 'a@example.com', api_key: ANTHROPIC_KEY, base_url: upstream.url },
    { provider: 'gemini', email: 'g@example.com', api_key: GEMINI_KEY, base_url: upstream.url },
    {
      provider: 'code-assist',
      email: 'ca@example.com',
      refresh_token: REFRESH_TOKEN,
      client_id: 'client-id.apps.example.com',
      client_secret: CLIENT_SECRET,
      token_url: `${upstream.url}/oauth/token`,
    },
  ];
  for (const body of accounts) expect((await admin('/api/accounts', { body })).status).toBe(201);
  const openaiId = runtime.stores.accounts.list().find((account) => account.email === 'o@example.com')?.id;
  const patched = await admin(`/api/accounts/${openaiId}`, {
    method: 'PATCH',
    body: { api_key: OPENAI_KEY_REPLACED },
  });
  expect(patched.status).toBe(200);
  const imported = await admin('/api/accounts/import', {
    body: [{ email: 'i@gmail.com', refresh_token: IMPORTED_TOKEN }],
  });
  expect(imported.status).toBe(200);
  // A validation error about a secret field must not echo the secret.
  const refused = await admin('/api/accounts', {
    body: { provider: 'openai', email: 'x@example.com', api_key: OPENAI_KEY, refresh_token: REFRESH_TOKEN },
  });
  expect(refused.status).toBe(400);
  expect(refused.text).not.toContain(OPENAI_KEY);

  await proxyRequests();
  expect(
    (await admin('/api/config', { method: 'PUT', body: { proxy: { admin_password: ADMIN_PASSWORD } } }))
      .status,
  ).toBe(200);
  expect((await admin('/api/accounts')).status).toBe(200);
  expect((await httpCall(`${url}/api/accounts`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
    401,
  );
}

async function proxyRequests(): Promise<void> {
  const chat = await httpCall(`${url}/v1/chat/completions`, {
    headers: { authorization: `Bearer ${PROXY_KEY}` },
    body: sampleChat('hello'),
  });
  expect(chat.status).toBe(200);
  const gemini = await httpCall(`${url}/v1beta/models/gemini-2.5-flash:generateContent`, {
    headers: { 'x-goog-api-key': PROXY_KEY },
    body: sampleContents('hello'),
  });
  expect(gemini.status).toBe(200);
  // Every upstream refuses its credential: the failure paths log about accounts too.
  upstream.setDefault(ANY_KEY, unauthorized());
  const messages = await httpCall(`${url}/v1/messages`, {
    headers: { 'x-api-key': PROXY_KEY, 'anthropic-version': '2023-06-01' },
    body: sampleMessages('hello'),
  });
  expect(messages.status).toBeGreaterThanOrEqual(400);
  expect(upstream.requests.some((recorded) => recorded.behaviour.type !== 'ok')).toBe(true);
  upstream.reset();
  const refused = await httpCall(`${url}/v1/chat/completions`, {
    headers: { authorization: `Bearer ${OPENAI_KEY}` },
    body: sampleChat('wrong key'),
  });
  expect(refused.status).toBe(401);
  // An internal failure is logged with the request URL: a key in the query must not go with it.
  const spy = vi.spyOn(runtime.services.gateway, 'handle').mockRejectedValueOnce(new Error('boom'));
  const failed = await httpCall(`${url}/v1beta/models/gemini-2.5-flash:generateContent?key=${PROXY_KEY}`, {
    body: sampleContents('hello'),
  });
  spy.mockRestore();
  expect(failed.status).toBe(500);
  expect(logOutput).toContain('request failed');
}

/** Folds the WAL into the main file through a connection of our own, as a user's sqlite3 shell would. */
function checkpoint(file: string): void {
  const connection = new Database(file);
  try {
    connection.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    connection.close();
  }
}

describe('secrets at rest', () => {
  it('never appear in the bytes of switchyard.db, -wal or -shm (request log included)', async () => {
    const file = join(directory.path, 'switchyard.db');
    await runtime.services.observability.writer.flush();
    expect((await admin('/api/logs')).text).toContain('generateContent');
    checkpoint(file);
    const names = (await readdir(directory.path)).filter((name) => name.startsWith('switchyard.db'));
    expect(names).toContain('switchyard.db');
    for (const name of names) {
      const bytes = await readFile(join(directory.path, name));
      for (const secret of ACCOUNT_SECRETS)
        expect(bytes.includes(secret), `${secret} in ${name}`).toBe(false);
    }
  });

  it('the accounts table holds only ciphertext', () => {
    const connection = new Database(join(directory.path, 'switchyard.db'), { readonly: true });
    const rows = connection.prepare('SELECT credential FROM accounts').all() as Array<{ credential: string }>;
    connection.close();
    expect(rows).toHaveLength(5);
    for (const { credential } of rows) {
      expect(credential).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
      for (const secret of ACCOUNT_SECRETS) expect(credential).not.toContain(secret);
    }
  });

  it('the secret key file and the data directory are private to their owner', async () => {
    expect((await stat(join(directory.path, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(directory.path)).mode & 0o077).toBe(0);
  });
});

describe('logs', () => {
  it('were written (the capture works) and never contain a secret', () => {
    expect(logOutput).toContain('account added');
    expect(logOutput.split('\n').length).toBeGreaterThan(5);
    expect(ALL_SECRETS.filter((secret) => logOutput.includes(secret))).toEqual([]);
  });
});

describe('admin responses', () => {
  it('show every account masked', async () => {
    const listed = await admin('/api/accounts');
    expect(listed.status).toBe(200);
    expect((pick(listed.json, 'accounts') as unknown[]).length).toBe(5);
    expect(ALL_SECRETS.filter((secret) => listed.text.includes(secret))).toEqual([]);
  });
});

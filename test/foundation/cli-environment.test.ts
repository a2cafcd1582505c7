/**
 * Settings given by environment variables, through the real `switchyard start`: they win over
 * gui_config.json at start and across hand edits, the admin API cannot change them and never
 * writes them (secrets included) to the file, and a bad variable stops the start with one clear
 * line per problem.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { type HttpExchange, httpCall, pick } from '../support/http-call.js';
import { type CliGateway, runCli, startCliGateway, temporaryDirectory } from './run-cli.js';

const FILE_KEY = 'sk-file-key-0123456789abcdef01234567';
const ENV_KEY = 'sk-environment-key-0123456789abcdef';
const ENV_PASSWORD = 'admin-password-from-the-environment';
const ENV_CLIENT_SECRET = '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onment';

const environment = {
  SWITCHYARD_PROXY__API_KEY: ENV_KEY,
  SWITCHYARD_PROXY__ADMIN_PASSWORD: ENV_PASSWORD,
  SWITCHYARD_PROXY__AUTH_MODE: 'strict',
  SWITCHYARD_PROXY__SCHEDULING__MODE: 'PerformanceFirst',
  SWITCHYARD_PROXY__CUSTOM_MAPPING: '{"gpt-*": "claude-sonnet-4-6"}',
  SWITCHYARD_OAUTH__CLIENTS: JSON.stringify({
    'code-assist': { client_id: 'client-1.apps.example.com', client_secret: ENV_CLIENT_SECRET },
  }),
};

let directory: { path: string; remove: () => Promise<void> };
let gateway: CliGateway | undefined;

beforeEach(async () => {
  directory = await temporaryDirectory();
});
afterEach(async () => {
  await gateway?.stop('SIGKILL');
  gateway = undefined;
  await directory.remove();
});

function admin(
  url: string,
  options: { body?: unknown; method?: 'GET' | 'POST' } = {},
): Promise<HttpExchange> {
  return httpCall(url, { ...options, headers: { authorization: `Bearer ${ENV_PASSWORD}` } });
}

async function put(url: string, body: unknown): Promise<HttpExchange> {
  const response = await request(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ENV_PASSWORD}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: JSON.parse(text) };
}

/** Reads GET /api/config until `done` holds (the watcher picks a hand edit up within a second). */
async function configWhen(url: string, done: (config: unknown) => boolean): Promise<unknown> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const config = (await admin(`${url}/api/config`)).json;
    if (done(config)) return config;
    await new Promise<void>((resolve) => systemClock.after(50, resolve));
  }
  throw new Error('the hand edit was not applied');
}

function expectNoEnvironmentSecret(text: string): void {
  for (const secret of [ENV_KEY, ENV_PASSWORD, ENV_CLIENT_SECRET]) expect(text).not.toContain(secret);
}

describe('switchyard start with settings in environment variables', () => {
  it('puts them over gui_config.json, keeps them across hand edits and API writes, and never writes them', async () => {
    const file = join(directory.path, 'gui_config.json');
    const original = {
      proxy: { api_key: FILE_KEY, scheduling: { mode: 'CacheFirst', max_wait_seconds: 30 } },
    };
    await writeFile(file, JSON.stringify(original));
    gateway = await startCliGateway({ dataDir: directory.path, env: environment });
    const { url } = gateway;
    expect(gateway.apiKey).toBe(ENV_KEY);
    expect(gateway.banner).toContain('Proxy auth:      strict (every route needs the API key)');

    // auth_mode strict from the environment: even /healthz needs the key.
    expect((await httpCall(`${url}/healthz`)).status).toBe(401);
    const health = await httpCall(`${url}/healthz`, { headers: { authorization: `Bearer ${ENV_KEY}` } });
    expect(health.status).toBe(200);
    expect(
      (await httpCall(`${url}/api/config`, { headers: { authorization: `Bearer ${FILE_KEY}` } })).status,
    ).toBe(401);

    const config = (await admin(`${url}/api/config`)).json;
    expect(pick(config, 'proxy', 'scheduling')).toEqual({ mode: 'PerformanceFirst', max_wait_seconds: 30 });
    expect(pick(config, 'proxy', 'custom_mapping')).toEqual({ 'gpt-*': 'claude-sonnet-4-6' });
    expect(pick((await admin(`${url}/api/proxy/status`)).json, 'pinned_settings')).toEqual([
      { variable: 'SWITCHYARD_OAUTH__CLIENTS', path: 'oauth.clients' },
      { variable: 'SWITCHYARD_PROXY__ADMIN_PASSWORD', path: 'proxy.admin_password' },
      { variable: 'SWITCHYARD_PROXY__API_KEY', path: 'proxy.api_key' },
      { variable: 'SWITCHYARD_PROXY__AUTH_MODE', path: 'proxy.auth_mode' },
      { variable: 'SWITCHYARD_PROXY__CUSTOM_MAPPING', path: 'proxy.custom_mapping' },
      { variable: 'SWITCHYARD_PROXY__SCHEDULING__MODE', path: 'proxy.scheduling.mode' },
    ]);

    // The admin API cannot change them, whichever route it takes.
    const before = await readFile(file, 'utf8');
    const refused = await put(`${url}/api/config`, { proxy: { auth_mode: 'off' } });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      error: {
        code: 'conflict',
        message: expect.stringContaining('environment variable SWITCHYARD_PROXY__AUTH_MODE'),
      },
    });
    expect((await put(`${url}/api/proxy/scheduling`, { mode: 'Balance' })).status).toBe(409);
    expect((await admin(`${url}/api/proxy/api-key/regenerate`, { method: 'POST', body: {} })).status).toBe(
      409,
    );
    expect(await readFile(file, 'utf8')).toBe(before);

    // Other settings still change through the API, and only they reach the file.
    expect((await put(`${url}/api/proxy/scheduling`, { max_wait_seconds: 45 })).status).toBe(200);
    const written = await readFile(file, 'utf8');
    expectNoEnvironmentSecret(written);
    expect(JSON.parse(written).proxy).toMatchObject({
      api_key: FILE_KEY,
      scheduling: { mode: 'CacheFirst', max_wait_seconds: 45 },
    });

    // A hand edit applies to what the environment does not give.
    const edited = JSON.parse(written);
    edited.proxy.scheduling.mode = 'Balance';
    edited.proxy.request_timeout = 300;
    await writeFile(file, JSON.stringify(edited));
    const reloaded = await configWhen(url, (current) => pick(current, 'proxy', 'request_timeout') === 300);
    expect(pick(reloaded, 'proxy', 'scheduling', 'mode')).toBe('PerformanceFirst');
    expect(pick(reloaded, 'proxy', 'auth_mode')).toBe('strict');

    const stopped = await gateway.stop();
    expect(stopped.code).toBe(0);
    for (const secret of [ENV_PASSWORD, ENV_CLIENT_SECRET])
      expect(stopped.stdout + stopped.stderr).not.toContain(secret);
    expect(stopped.stdout).toContain('settings from environment variables');

    // Without the variables, the file's own settings are back.
    gateway = await startCliGateway({ dataDir: directory.path });
    expect(gateway.apiKey).toBe(FILE_KEY);
    expect(gateway.banner).toContain('Proxy auth:      off (no API key needed)');
  });

  it('creates a new data directory whose gui_config.json holds none of them', async () => {
    const dataDir = join(directory.path, 'fresh');
    gateway = await startCliGateway({ dataDir, env: environment });
    expect(gateway.apiKey).toBe(ENV_KEY);
    const created = await readFile(join(dataDir, 'gui_config.json'), 'utf8');
    expectNoEnvironmentSecret(created);
    expect(JSON.parse(created).proxy).not.toHaveProperty('auth_mode');
  });
});

describe('switchyard start with a bad environment variable', () => {
  it('exits 1 before touching the data directory, one line per problem, no stack trace', async () => {
    const truncatedMapping = `{"gpt-*": "${ENV_KEY}"`;
    const result = await runCli(['start', '--data-dir', directory.path, '--port', '0'], {
      env: {
        SWITCHYARD_PROXY__PORT: 'eighty',
        SWITCHYARD_PROXY__AUTHMODE: 'strict',
        SWITCHYARD_PROXY__CUSTOM_MAPPING: truncatedMapping,
      },
      timeoutMs: 10_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'switchyard: Invalid environment variables:',
        '  SWITCHYARD_PROXY__AUTHMODE: no such setting (a variable is SWITCHYARD_ + the gui_config.json path, ' +
          'upper-cased, with __ between keys; did you mean SWITCHYARD_PROXY__AUTH_MODE?)',
        '  SWITCHYARD_PROXY__CUSTOM_MAPPING (proxy.custom_mapping): expected a JSON object of strings or arrays, ' +
          `got text that is not JSON (${truncatedMapping.length} characters, not shown)`,
        '  SWITCHYARD_PROXY__PORT (proxy.port): expected an integer from 1 to 65535, got "eighty"',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('');
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('refuses --host 0.0.0.0 with auth_mode "off" from the environment, naming --allow-unauthenticated', async () => {
    const result = await runCli(['start', '--data-dir', directory.path, '--port', '0', '--host', '0.0.0.0'], {
      env: { SWITCHYARD_PROXY__AUTH_MODE: 'off' },
      timeoutMs: 10_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/auth_mode/);
    expect(result.stderr).toContain('--allow-unauthenticated');
    expect(result.stdout).not.toContain('is listening');
  });
});

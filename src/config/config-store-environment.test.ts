import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { ConfigFileError } from './config-file-error.js';
import { type ConfigLogger, ConfigStore } from './config-store.js';
import { type EnvironmentOverrides, readEnvironmentOverrides } from './environment-overrides.js';

const ENV_KEY = 'sk-from-the-environment-0123456789';
const ENV_PASSWORD = 'admin-password-from-env';
const ENV_CLIENT_SECRET = 'GOCSPX-client-secret-from-env';

let directory: string;
let path: string;
let stores: ConfigStore[];
let warnings: Array<{ details: object | string; message: string | undefined }>;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-config-env-'));
  path = join(directory, 'gui_config.json');
  stores = [];
  warnings = [];
});
afterEach(async () => {
  for (const store of stores) store.close();
  await rm(directory, { recursive: true, force: true });
});

function overrides(environment: Record<string, string>): EnvironmentOverrides {
  const reading = readEnvironmentOverrides(environment);
  if (!reading.ok) throw new Error(reading.problems.join('\n'));
  return reading.overrides;
}

const secretsEnvironment = {
  SWITCHYARD_PROXY__API_KEY: ENV_KEY,
  SWITCHYARD_PROXY__ADMIN_PASSWORD: ENV_PASSWORD,
  SWITCHYARD_OAUTH__CLIENTS: JSON.stringify({
    'code-assist': { client_id: 'client-1', client_secret: ENV_CLIENT_SECRET },
  }),
  SWITCHYARD_PROXY__SCHEDULING__MODE: 'PerformanceFirst',
};

async function open(environment: Record<string, string>): Promise<ConfigStore> {
  const logger: ConfigLogger = {
    info() {},
    warn: (details, message) => warnings.push({ details, message }),
    error() {},
  };
  const store = await ConfigStore.open({
    path,
    clock: new FakeClock(),
    logger,
    generateApiKey: () => 'sk-generated-by-the-file',
    overrides: overrides(environment),
  });
  stores.push(store);
  return store;
}

async function fileText(): Promise<string> {
  return readFile(path, 'utf8');
}

function expectNoEnvironmentSecret(text: string): void {
  for (const secret of [ENV_KEY, ENV_PASSWORD, ENV_CLIENT_SECRET]) expect(text).not.toContain(secret);
}

describe('ConfigStore with settings from the environment', () => {
  it('puts them in force over the file, without writing them to it', async () => {
    const original = JSON.stringify({
      proxy: { api_key: 'sk-file-key-0123', scheduling: { mode: 'CacheFirst', max_wait_seconds: 30 } },
    });
    await writeFile(path, original);
    const store = await open(secretsEnvironment);
    const { proxy, oauth } = store.get();
    expect(proxy.api_key).toBe(ENV_KEY);
    expect(proxy.admin_password).toBe(ENV_PASSWORD);
    expect(proxy.scheduling).toEqual({ mode: 'PerformanceFirst', max_wait_seconds: 30 });
    expect(oauth.clients['code-assist']?.[0]?.client_secret).toBe(ENV_CLIENT_SECRET);
    expect(await fileText()).toBe(original);
    expect(store.pinned()).toEqual([
      { variable: 'SWITCHYARD_OAUTH__CLIENTS', path: 'oauth.clients' },
      { variable: 'SWITCHYARD_PROXY__ADMIN_PASSWORD', path: 'proxy.admin_password' },
      { variable: 'SWITCHYARD_PROXY__API_KEY', path: 'proxy.api_key' },
      { variable: 'SWITCHYARD_PROXY__SCHEDULING__MODE', path: 'proxy.scheduling.mode' },
    ]);
  });

  it('creates a missing file without them (no key of its own while the environment gives one)', async () => {
    const store = await open(secretsEnvironment);
    expect(store.get().proxy.api_key).toBe(ENV_KEY);
    const created = JSON.parse(await fileText());
    expect(created.proxy).not.toHaveProperty('api_key');
    expect(created.proxy).not.toHaveProperty('admin_password');
    expect(created.proxy.scheduling).not.toHaveProperty('mode');
    expect(created.oauth).not.toHaveProperty('clients');
    expect(created.proxy.port).toBe(8045);
    store.close();
    const withoutEnvironment = await open({});
    expect(withoutEnvironment.get().proxy.api_key).toBe('sk-generated-by-the-file');
    expect(JSON.parse(await fileText()).proxy.api_key).toBe('sk-generated-by-the-file');
  });

  it('keeps them in force across a hand edit, which still applies to the other settings, and warns', async () => {
    await writeFile(path, JSON.stringify({ proxy: { api_key: 'sk-file-key-0123' } }));
    const store = await open(secretsEnvironment);
    const keyShadowed = { variable: 'SWITCHYARD_PROXY__API_KEY', path: 'proxy.api_key' };
    expect(warnings).toEqual([
      { details: { path, shadowed: [keyShadowed] }, message: 'environment variables override the file' },
    ]);
    warnings.length = 0;
    const edit = { proxy: { api_key: 'sk-file-key-0123', port: 9001, scheduling: { mode: 'CacheFirst' } } };
    await writeFile(path, JSON.stringify(edit));
    await store.reload();
    expect(store.get().proxy.port).toBe(9001);
    expect(store.get().proxy.scheduling.mode).toBe('PerformanceFirst');
    expect(store.get().proxy.api_key).toBe(ENV_KEY);
    expect(warnings).toEqual([
      {
        details: {
          path,
          shadowed: [
            keyShadowed,
            { variable: 'SWITCHYARD_PROXY__SCHEDULING__MODE', path: 'proxy.scheduling.mode' },
          ],
        },
        message: 'environment variables override the file',
      },
    ]);
  });

  it('refuses an update that changes one of them with a conflict naming the variable, writing nothing', async () => {
    await writeFile(path, JSON.stringify({ proxy: { api_key: 'sk-file-key-0123' } }));
    const store = await open(secretsEnvironment);
    const before = await fileText();
    const attempts = [
      { proxy: { scheduling: { mode: 'Balance' }, port: 9002 } },
      { proxy: { api_key: 'sk-a-new-key-from-the-api' } },
      { proxy: { scheduling: { mode: 'NotAMode' } } },
      { oauth: { clients: { gemini: { client_id: 'client-2' } } } },
    ];
    for (const patch of attempts) {
      const error = await store.update(patch).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'conflict', status: 409 });
      expect((error as Error).message).toMatch(/is set by the environment variable SWITCHYARD_/);
    }
    const error = await store.update(attempts[0]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message:
        'proxy.scheduling.mode is set by the environment variable SWITCHYARD_PROXY__SCHEDULING__MODE: ' +
        'change the variable and restart the gateway to change it',
      details: {
        pinned: [{ path: 'proxy.scheduling.mode', variable: 'SWITCHYARD_PROXY__SCHEDULING__MODE' }],
      },
    });
    expect(await fileText()).toBe(before);
    expect(store.get().proxy.port).toBe(8045);
  });

  it('accepts an update that sends their values in force (a form saved as read) and writes the rest only', async () => {
    await writeFile(path, JSON.stringify({ proxy: { api_key: 'sk-file-key-0123' } }));
    const store = await open(secretsEnvironment);
    const shown = JSON.parse(JSON.stringify(store.get()));
    shown.proxy.scheduling.max_wait_seconds = 90;
    const updated = await store.update(shown);
    expect(updated.proxy.scheduling).toEqual({ mode: 'PerformanceFirst', max_wait_seconds: 90 });
    const written = await fileText();
    expectNoEnvironmentSecret(written);
    const document = JSON.parse(written);
    expect(document.proxy.scheduling).toEqual({ max_wait_seconds: 90 });
    expect(document.proxy.api_key).toBe('sk-file-key-0123');
  });

  it('refuses to open when a value from the environment and the file together break the schema', async () => {
    await writeFile(
      path,
      JSON.stringify({ proxy: { api_key: 'sk-file-key-0123', upstream_proxy: { url: 'ftp://x' } } }),
    );
    const error = await open({ SWITCHYARD_PROXY__UPSTREAM_PROXY__ENABLED: 'true' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toContain('proxy.upstream_proxy.url:');
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { ConfigFileError } from './config-file-error.js';
import { ConfigStore } from './config-store.js';
import type { ConfigIssue, SwitchyardConfig } from './schema.js';

/** A rule beyond the schema, like the runtime's exposure rule: no `off` with LAN access. */
function noOpenLan(config: SwitchyardConfig): ConfigIssue[] {
  return config.proxy.allow_lan_access && config.proxy.auth_mode === 'off'
    ? [{ path: 'proxy.auth_mode', message: 'not "off" with proxy.allow_lan_access' }]
    : [];
}

let directory: string;
let path: string;
let store: ConfigStore | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-config-'));
  path = join(directory, 'gui_config.json');
});
afterEach(async () => {
  store?.close();
  store = undefined;
  await rm(directory, { recursive: true, force: true });
});

async function open(text: string): Promise<ConfigStore> {
  await writeFile(path, text);
  store = await ConfigStore.open({
    path,
    clock: new FakeClock(),
    generateApiKey: () => 'sk-new-key',
    validate: noOpenLan,
  });
  return store;
}

describe('ConfigStore with a validate rule', () => {
  const safe = JSON.stringify({ proxy: { api_key: 'sk-12345678', allow_lan_access: true } });
  const unsafe = JSON.stringify({
    proxy: { api_key: 'sk-12345678', allow_lan_access: true, auth_mode: 'off' },
  });

  it('refuses to open a file that breaks it, naming the file and the field', async () => {
    const error = await open(unsafe).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toBe(
      `Invalid config file ${path}:\n  proxy.auth_mode: not "off" with proxy.allow_lan_access`,
    );
  });

  it('refuses an update that breaks it with a 400 naming the field, writing nothing', async () => {
    const config = await open(safe);
    const error = await config.update({ proxy: { auth_mode: 'off' } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'validation_failed',
      status: 400,
      details: { issues: [{ path: 'proxy.auth_mode', message: 'not "off" with proxy.allow_lan_access' }] },
    });
    expect(config.get().proxy.auth_mode).toBe('auto');
    expect(await readFile(path, 'utf8')).toBe(safe);
  });

  it('keeps a hand edit that breaks it out like an invalid file: last good config stays, problem reported', async () => {
    const config = await open(safe);
    await writeFile(path, unsafe);
    await config.reload();
    expect(config.get().proxy.auth_mode).toBe('auto');
    expect(config.problem()?.message).toContain('proxy.auth_mode: not "off" with proxy.allow_lan_access');
    expect(await readFile(path, 'utf8')).toBe(unsafe);
  });
});

describe('ConfigStore syntax errors', () => {
  it('never quote the file text (it may hold a key), but still say where', async () => {
    const text = '{\n  "proxy": {\n    "api_key": sk-1234567890abcdef1234567890abcdef\n  }\n}';
    const error = (await open(text).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain('(root): invalid JSON: Unexpected token');
    expect(error.message).toContain('(line 3 column 16)');
    expect(error.message).not.toContain('sk-1234567');
  });
});

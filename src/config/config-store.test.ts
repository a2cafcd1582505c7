import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock, systemClock } from '../core/clock.js';
import { isSwitchyardError } from '../core/errors.js';
import { ConfigFileError } from './config-file-error.js';
import {
  type ConfigChangeEvent,
  type ConfigLogger,
  ConfigStore,
  type ConfigStoreOptions,
} from './config-store.js';

let directory: string;
let path: string;
let stores: ConfigStore[];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-config-'));
  path = join(directory, 'gui_config.json');
  stores = [];
});

afterEach(async () => {
  for (const store of stores) store.close();
  await rm(directory, { recursive: true, force: true });
});

function recordingLogger() {
  const lines: Array<{ level: string; details: object | string; message: string | undefined }> = [];
  const record = (level: string) => (details: object | string, message?: string) => {
    lines.push({ level, details, message });
  };
  const logger: ConfigLogger = { info: record('info'), warn: record('warn'), error: record('error') };
  return { logger, lines };
}

async function openStore(options: Partial<ConfigStoreOptions> = {}) {
  let counter = 0;
  const clock = new FakeClock();
  const store = await ConfigStore.open({
    path,
    clock,
    generateApiKey: () => `sk-generated-${++counter}`,
    ...options,
  });
  stores.push(store);
  const events: ConfigChangeEvent[] = [];
  store.subscribe((event) => events.push(event));
  return { store, events, clock };
}

async function writeJson(document: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(document, null, 2));
}

async function readJson(): Promise<Record<string, unknown> & { proxy: Record<string, unknown> }> {
  return JSON.parse(await readFile(path, 'utf8'));
}

async function expectOpenToFail(): Promise<ConfigFileError> {
  const error = await openStore().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigFileError);
  return error as ConfigFileError;
}

describe('ConfigStore.open', () => {
  it('creates a missing file with the full defaults and a generated API key, owner-only', async () => {
    const { store } = await openStore();
    const onDisk = await readJson();
    expect(onDisk.proxy['api_key']).toBe('sk-generated-1');
    expect(onDisk.proxy['port']).toBe(8045);
    expect(onDisk.proxy['scheduling']).toEqual({ mode: 'Balance', max_wait_seconds: 60 });
    expect(onDisk['refresh_interval']).toBe(15);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(store.get().proxy.api_key).toBe('sk-generated-1');
    expect(store.problem()).toBeNull();
    expect(store.path).toBe(path);
  });

  it('removes the temporary file that a write killed halfway left beside the file', async () => {
    await writeJson({ proxy: { request_timeout: 30 } });
    // A pid far above any pid_max: no process runs with it.
    const leftover = '.gui_config.json.99999999.0a1b2c3d4e5f.tmp';
    await writeFile(join(directory, leftover), '{"proxy": {"api_');
    const { logger, lines } = recordingLogger();
    const { store } = await openStore({ logger });
    expect(await readdir(directory)).toEqual(['gui_config.json']);
    expect(store.get().proxy.request_timeout).toBe(30);
    expect(lines).toContainEqual(expect.objectContaining({ details: { path, removed: 1 } }));
  });

  it('creates the data directory when it does not exist', async () => {
    path = join(directory, 'nested', 'home', 'gui_config.json');
    const { store } = await openStore();
    expect(store.get().proxy.api_key).toBe('sk-generated-1');
    expect(await readdir(join(directory, 'nested', 'home'))).toEqual(['gui_config.json']);
  });

  it('keeps the persisted API key on the next start', async () => {
    await openStore();
    const { store } = await openStore({ generateApiKey: () => 'sk-never-used' });
    expect(store.get().proxy.api_key).toBe('sk-generated-1');
  });

  it.each([
    ['no proxy section', { refresh_interval: 30, custom: { keep: true } }],
    [
      'a proxy section without a key',
      { refresh_interval: 30, custom: { keep: true }, proxy: { port: 9000 } },
    ],
    ['a null key', { refresh_interval: 30, custom: { keep: true }, proxy: { port: 9000, api_key: null } }],
    ['an empty key', { refresh_interval: 30, custom: { keep: true }, proxy: { port: 9000, api_key: '' } }],
  ])('adds and saves a key to a file with %s, keeping everything else', async (_name, document) => {
    await writeJson(document);
    const { store } = await openStore();
    const onDisk = await readJson();
    expect(onDisk.proxy['api_key']).toBe('sk-generated-1');
    expect(onDisk['custom']).toEqual({ keep: true });
    expect(onDisk['refresh_interval']).toBe(30);
    expect(store.get().proxy.api_key).toBe('sk-generated-1');
    expect(store.get().refresh_interval).toBe(30);
  });

  it('does not rewrite a valid file that has a key', async () => {
    const text = '{"proxy":{"api_key":"sk-existing-key","port":9000}}';
    await writeFile(path, text);
    const { store } = await openStore();
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(store.get().proxy.port).toBe(9000);
  });

  it.each([
    ['bad JSON', '{"proxy": {"port": 8045,}}', ['(root): invalid JSON']],
    ['an empty file', '  \n', ['(root): the file is empty']],
    ['a root that is not an object', '[1, 2]', ['(root): expected object, received array']],
    [
      'a wrong type',
      '{"proxy": {"api_key": "sk-12345678", "allow_lan_access": "yes"}}',
      ['proxy.allow_lan_access'],
    ],
    [
      'an out-of-range value',
      '{"proxy": {"api_key": "sk-12345678", "port": 70000}}',
      ['proxy.port: must be <= 65535'],
    ],
    [
      'a bad enum and a bad top-level value',
      '{"refresh_interval": 0, "proxy": {"api_key": "sk-12345678", "scheduling": {"mode": "Fast"}}}',
      [
        'proxy.scheduling.mode: expected one of "CacheFirst" | "Balance" | "PerformanceFirst"',
        'refresh_interval: must be >= 1',
      ],
    ],
  ])('refuses %s with a ConfigFileError naming the file and each problem', async (_name, text, expected) => {
    await writeFile(path, text);
    const error = await expectOpenToFail();
    expect(error.code).toBe('config_error');
    expect(error.message).toContain(path);
    for (const fragment of expected) expect(error.message).toContain(fragment);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('reports JSON syntax errors with a line and column', async () => {
    await writeFile(path, '{\n  "proxy": {\n    "port": 8045,\n  }\n}');
    const error = await expectOpenToFail();
    expect(error.message).toMatch(/line 4 column 3/);
  });

  it('refuses an unreadable path with the path and the OS error', async () => {
    await mkdir(path);
    const error = await expectOpenToFail();
    expect(error.message).toContain(path);
    expect(error.message).toContain('EISDIR');
  });
});

describe('ConfigStore.get', () => {
  it('returns a deep-frozen config', async () => {
    const { store } = await openStore();
    const config = store.get();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.proxy.scheduling)).toBe(true);
    expect(Object.isFrozen(config.proxy.circuit_breaker.backoff_steps)).toBe(true);
    expect(() => {
      (config.proxy as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('accepts a pino logger', async () => {
    const { store } = await openStore({ logger: pino({ level: 'silent' }) });
    expect(store.get().proxy.port).toBe(8045);
  });
});

describe('ConfigStore.update', () => {
  beforeEach(async () => {
    await writeJson({
      future_section: { x: 1 },
      proxy: {
        api_key: 'sk-existing-key',
        unknown_flag: true,
        scheduling: { mode: 'Balance', max_wait_seconds: 30, note: 'mine' },
        custom_mapping: { 'gpt-4o': 'gemini-2.5-pro', 'claude-*': 'gemini-2.5-flash' },
      },
    });
  });

  it('merges a partial patch, applies it at once and saves it', async () => {
    const { store } = await openStore();
    const updated = await store.update({ proxy: { scheduling: { mode: 'CacheFirst' } } });
    expect(updated.proxy.scheduling.mode).toBe('CacheFirst');
    expect(updated.proxy.scheduling.max_wait_seconds).toBe(30);
    expect(store.get().proxy.scheduling.mode).toBe('CacheFirst');
    expect((await readJson()).proxy['scheduling']).toEqual({
      mode: 'CacheFirst',
      max_wait_seconds: 30,
      note: 'mine',
    });
  });

  it('keeps keys the schema does not know, at every level', async () => {
    const { store } = await openStore();
    await store.update({ proxy: { port: 9100 } });
    const onDisk = await readJson();
    expect(onDisk['future_section']).toEqual({ x: 1 });
    expect(onDisk.proxy['unknown_flag']).toBe(true);
    expect(onDisk.proxy['api_key']).toBe('sk-existing-key');
    expect(onDisk.proxy['port']).toBe(9100);
    expect(store.get()['future_section']).toEqual({ x: 1 });
  });

  it('replaces custom_mapping and arrays as a whole', async () => {
    const { store } = await openStore();
    await store.update({
      proxy: { custom_mapping: { 'o3-*': 'gemini-2.5-pro' }, circuit_breaker: { backoff_steps: [10] } },
    });
    expect(store.get().proxy.custom_mapping).toEqual({ 'o3-*': 'gemini-2.5-pro' });
    expect(store.get().proxy.circuit_breaker.backoff_steps).toEqual([10]);
    expect((await readJson()).proxy['custom_mapping']).toEqual({ 'o3-*': 'gemini-2.5-pro' });
  });

  it('emits one api event listing the changed sections at depth two', async () => {
    const { store, events } = await openStore();
    await store.update({
      refresh_interval: 5,
      proxy: { scheduling: { mode: 'PerformanceFirst' }, port: 9001 },
    });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.source).toBe('api');
    expect(event?.changed.sort()).toEqual(['proxy.port', 'proxy.scheduling', 'refresh_interval']);
    expect(event?.previous.proxy.scheduling.mode).toBe('Balance');
    expect(event?.current.proxy.scheduling.mode).toBe('PerformanceFirst');
  });

  it('emits no event when the patch changes nothing', async () => {
    const { store, events } = await openStore();
    await store.update({ proxy: { scheduling: { mode: 'Balance' } } });
    await store.update({});
    expect(events).toEqual([]);
  });

  it.each([
    ['a bad enum', { proxy: { scheduling: { mode: 'Fast' } } }, 'proxy.scheduling.mode'],
    ['an out-of-range value', { proxy: { max_attempts: 0 } }, 'proxy.max_attempts'],
    [
      'a wrong type',
      { proxy: { circuit_breaker: { backoff_steps: ['60'] } } },
      'proxy.circuit_breaker.backoff_steps[0]',
    ],
    ['a patch that is not an object', ['proxy'], '(root)'],
  ])('rejects %s with validation_failed and writes nothing', async (_name, patch, issuePath) => {
    const { store, events } = await openStore();
    const before = await readFile(path, 'utf8');
    const error = await store.update(patch).catch((caught: unknown) => caught);
    expect(isSwitchyardError(error) && error.code).toBe('validation_failed');
    const issues = (isSwitchyardError(error) && error.details?.['issues']) as Array<{ path: string }>;
    expect(issues.map((issue) => issue.path)).toEqual([issuePath]);
    expect((error as Error).message).toContain(`${issuePath}: `);
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(store.get().proxy.scheduling.mode).toBe('Balance');
    expect(events).toEqual([]);
  });

  it('reads a pending hand edit before merging, so the edit is not lost', async () => {
    const { store } = await openStore();
    const onDisk = await readJson();
    await writeJson({ ...onDisk, refresh_interval: 42 });
    await store.update({ proxy: { port: 9002 } });
    const saved = await readJson();
    expect(saved['refresh_interval']).toBe(42);
    expect(saved.proxy['port']).toBe(9002);
  });

  it('refuses to overwrite a file that is invalid on disk', async () => {
    const { store } = await openStore();
    await writeFile(path, '{"proxy": ');
    const error = await store.update({ proxy: { port: 9003 } }).catch((caught: unknown) => caught);
    expect(isSwitchyardError(error) && error.code).toBe('conflict');
    expect(await readFile(path, 'utf8')).toBe('{"proxy": ');
  });

  it('recreates a deleted file', async () => {
    const { store } = await openStore();
    await rm(path);
    await store.update({ proxy: { port: 9004 } });
    expect((await readJson()).proxy['port']).toBe(9004);
    expect(store.problem()).toBeNull();
  });

  it('keeps serving when a listener throws', async () => {
    const { store, events } = await openStore();
    store.subscribe(() => {
      throw new Error('listener bug');
    });
    await store.update({ proxy: { port: 9005 } });
    expect(events).toHaveLength(1);
    expect(store.get().proxy.port).toBe(9005);
  });

  it('stops notifying an unsubscribed listener', async () => {
    const { store } = await openStore();
    const seen: string[][] = [];
    const unsubscribe = store.subscribe((event) => seen.push(event.changed));
    unsubscribe();
    await store.update({ proxy: { port: 9006 } });
    expect(seen).toEqual([]);
  });
});

describe('ConfigStore watching', () => {
  it('picks up a hand edit within a second and emits a file event', async () => {
    const { store, events } = await openStore({ clock: systemClock });
    store.startWatching();
    const onDisk = await readJson();
    await writeJson({
      ...onDisk,
      proxy: { ...onDisk.proxy, scheduling: { mode: 'CacheFirst', max_wait_seconds: 60 } },
    });
    await vi.waitFor(() => expect(store.get().proxy.scheduling.mode).toBe('CacheFirst'), { timeout: 2000 });
    expect(events.map((event) => [event.source, event.changed])).toEqual([['file', ['proxy.scheduling']]]);
  });

  it('picks up a file replaced by rename, as editors save, through the directory watch', async () => {
    // A poll interval longer than the wait leaves the fs.watch path as the only way to see it.
    const { store } = await openStore({ clock: systemClock, pollIntervalMs: 60_000 });
    store.startWatching();
    const onDisk = await readJson();
    const temporary = join(directory, 'gui_config.json.swp');
    await writeFile(temporary, JSON.stringify({ ...onDisk, refresh_interval: 60 }));
    await rename(temporary, path);
    await vi.waitFor(() => expect(store.get().refresh_interval).toBe(60), { timeout: 2000 });
  });

  it('finds a change through the stat poll when no file-system event is acted on', async () => {
    const { store, clock, events } = await openStore({ pollIntervalMs: 1000, debounceMs: 60_000 });
    store.startWatching();
    await writeJson({ ...(await readJson()), refresh_interval: 99 });
    await clock.advance(1000);
    await vi.waitFor(() => expect(store.get().refresh_interval).toBe(99), { timeout: 2000 });
    expect(events.map((event) => event.source)).toEqual(['file']);
  });

  it('does not reload or emit for its own writes', async () => {
    const { store, clock, events } = await openStore();
    store.startWatching();
    await store.update({ proxy: { port: 9010 } });
    const before = await readFile(path, 'utf8');
    await clock.advance(5000);
    await store.reload();
    expect(events.map((event) => event.source)).toEqual(['api']);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('keeps the last good config on an invalid edit, reports it, and never rewrites the file', async () => {
    const { logger, lines } = recordingLogger();
    const { store, clock, events } = await openStore({ logger });
    store.startWatching();
    const invalid = JSON.stringify({ proxy: { api_key: 'sk-generated-1', port: 0, auth_mode: 'sometimes' } });
    await writeFile(path, invalid);
    clock.set(clock.now() + 777);
    await store.reload();
    await clock.advance(3000);
    await store.reload();

    expect(store.get().proxy.port).toBe(8045);
    expect(events).toEqual([]);
    const problem = store.problem();
    expect(problem?.at).toBe(Date.UTC(2026, 0, 1) + 777);
    expect(problem?.message).toContain(path);
    expect(problem?.message).toContain('proxy.port: must be >= 1');
    expect(problem?.message).toContain('proxy.auth_mode: expected one of');
    expect(await readFile(path, 'utf8')).toBe(invalid);
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });

  it('applies a later valid edit and clears the problem', async () => {
    const { store, events } = await openStore();
    const good = await readJson();
    await writeFile(path, '{ not json');
    await store.reload();
    expect(store.problem()?.message).toContain('(root): invalid JSON');
    await writeJson({ ...good, proxy: { ...good.proxy, port: 9020 } });
    await store.reload();
    expect(store.problem()).toBeNull();
    expect(store.get().proxy.port).toBe(9020);
    expect(events.map((event) => [event.source, event.changed])).toEqual([['file', ['proxy.port']]]);
  });

  it('clears the problem when the file is restored to the content it had', async () => {
    const { store, events } = await openStore();
    const good = await readFile(path, 'utf8');
    await writeFile(path, '{}}');
    await store.reload();
    expect(store.problem()).not.toBeNull();
    await writeFile(path, good);
    await store.reload();
    expect(store.problem()).toBeNull();
    expect(events).toEqual([]);
  });

  it('reports a deleted file and recovers when it comes back', async () => {
    const { store } = await openStore();
    const good = await readFile(path, 'utf8');
    await rm(path);
    await store.reload();
    expect(store.problem()?.message).toMatch(/missing/);
    expect(store.get().proxy.port).toBe(8045);
    await writeFile(path, good);
    await store.reload();
    expect(store.problem()).toBeNull();
  });

  it('generates and saves a new key when a hand edit removes it', async () => {
    const { store } = await openStore();
    const onDisk = await readJson();
    const { api_key: _removed, ...proxy } = onDisk.proxy;
    await writeJson({ ...onDisk, proxy });
    await store.reload();
    expect(store.get().proxy.api_key).toBe('sk-generated-2');
    expect((await readJson()).proxy['api_key']).toBe('sk-generated-2');
  });

  it('stops its timers on close', async () => {
    const { store, clock } = await openStore();
    store.startWatching();
    store.startWatching();
    expect(clock.pendingTimers()).toBe(1);
    store.close();
    expect(clock.pendingTimers()).toBe(0);
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import type { ProcessGroup, ServerProcess } from './process-group.js';
import type { WireProtocol } from './wire-samples.js';

/** What serves a benchmark row. */
export type TargetSpec =
  /** The mock upstream itself (no proxy). */
  | { kind: 'mock' }
  /** The bare Node proxy of `bare-proxy.ts` in front of the mock. */
  | { kind: 'bare-proxy' }
  /**
   * A Switchyard gateway whose accounts (`accounts` is their provider kind) all point at the mock;
   * `config` is written as its gui_config.json before it starts (defaults otherwise).
   */
  | {
      kind: 'switchyard';
      accounts: 'openai' | 'anthropic';
      config?: Record<string, unknown>;
      /** Another build of Switchyard to run (a checkout with its `dist/`); default `TargetContext.root`. */
      root?: string;
    }
  /** Portkey's open-source gateway, routed to the mock as a custom OpenAI-compatible host. */
  | { kind: 'portkey' };

/** A started target: where to send requests and which process to watch. */
export interface RunningTarget {
  origin: string;
  process: ServerProcess;
  /** Credential and routing headers for requests in `protocol`. */
  headers(protocol: WireProtocol): Record<string, string>;
  /** Stops the target's process (a no-op for the shared mock) and removes its files. */
  stop(): Promise<void>;
}

export interface TargetContext {
  group: ProcessGroup;
  /** The running mock upstream every target forwards to. */
  mock: RunningTarget;
  /** The repository root (bin/switchyard.js, node_modules). */
  root: string;
  /** When set, Switchyard runs with `--cpu-prof` and writes its profile here on exit. */
  cpuProfileDir?: string;
  /** More options for the Switchyard processes' `node` (V8 flags for experiments, a `--import` probe). */
  nodeArgs?: readonly string[];
}

const SWITCHYARD_ACCOUNTS = 3;
const LISTENING_URL = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** Credential headers as each client protocol's SDK sends them. */
export function credentialHeaders(protocol: WireProtocol, key: string): Record<string, string> {
  return protocol === 'openai'
    ? { authorization: `Bearer ${key}` }
    : { 'x-api-key': key, 'anthropic-version': '2023-06-01' };
}

/** Starts the benchmark's mock upstream in its own process. */
export async function startMock(group: ProcessGroup): Promise<RunningTarget> {
  const child = await group.start({
    name: 'mock upstream',
    command: process.execPath,
    args: [fileURLToPath(new URL('./serve.js', import.meta.url)), 'mock'],
    readyPattern: LISTENING_URL,
  });
  return {
    origin: child.ready?.[1] ?? '',
    process: child,
    headers: (protocol) => credentialHeaders(protocol, 'sk-bench-mock'),
    stop: () => child.stop(),
  };
}

/** Starts the target of a row; the mock is shared, everything else gets its own process. */
export async function startTarget(spec: TargetSpec, context: TargetContext): Promise<RunningTarget> {
  switch (spec.kind) {
    case 'mock':
      return { ...context.mock, stop: async () => {} };
    case 'bare-proxy':
      return startBareProxy(context);
    case 'switchyard':
      return startSwitchyard(spec, context);
    case 'portkey':
      return startPortkey(context);
  }
}

async function startBareProxy(context: TargetContext): Promise<RunningTarget> {
  const child = await context.group.start({
    name: 'bare proxy',
    command: process.execPath,
    args: [fileURLToPath(new URL('./serve.js', import.meta.url)), 'bare-proxy', context.mock.origin],
    readyPattern: LISTENING_URL,
  });
  return {
    origin: child.ready?.[1] ?? '',
    process: child,
    headers: (protocol) => credentialHeaders(protocol, 'sk-bench-bare'),
    stop: () => child.stop(),
  };
}

/**
 * A Switchyard gateway as a user runs it (`switchyard start`), with a fresh data directory, the
 * default gui_config.json (request log on) unless the spec gives one, and a few accounts pointing at
 * the mock, added through the admin API.
 */
async function startSwitchyard(
  spec: Extract<TargetSpec, { kind: 'switchyard' }>,
  context: TargetContext,
): Promise<RunningTarget> {
  const { accounts } = spec;
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  if (spec.config) await writeFile(join(dataDir, 'gui_config.json'), JSON.stringify(spec.config));
  // Node names each profile CPU.<date>.<time>.<pid>…; the log shows which pid serves which row.
  const profile = context.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${context.cpuProfileDir}`] : [];
  const child = await context.group.start({
    name: `Switchyard (${accounts} accounts)`,
    command: process.execPath,
    args: [
      ...profile,
      ...(context.nodeArgs ?? []),
      join(spec.root ?? context.root, 'bin/switchyard.js'),
      'start',
      '--data-dir',
      dataDir,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
    ],
    readyPattern: /is listening on 127\.0\.0\.1:(\d+)/,
  });
  const origin = `http://127.0.0.1:${child.ready?.[1]}`;
  const config = JSON.parse(await readFile(join(dataDir, 'gui_config.json'), 'utf8')) as {
    proxy: { api_key: string };
  };
  const apiKey = config.proxy.api_key;
  const baseUrl = accounts === 'openai' ? `${context.mock.origin}/v1` : context.mock.origin;
  for (let index = 0; index < SWITCHYARD_ACCOUNTS; index++) {
    const response = await request(`${origin}/api/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: accounts,
        email: `bench-${accounts}-${index}@example.com`,
        api_key: `sk-bench-${accounts}-${index}`,
        base_url: baseUrl,
      }),
    });
    const text = await response.body.text();
    if (response.statusCode !== 201) throw new Error(`could not add a Switchyard account: ${text}`);
  }
  return {
    origin,
    process: child,
    headers: (protocol) => credentialHeaders(protocol, apiKey),
    stop: async () => {
      await child.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Portkey's gateway listens on a port it is given (`--port=N`) and prints no parseable address. */
async function startPortkey(context: TargetContext): Promise<RunningTarget> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = await context.group.start({
    name: 'Portkey gateway',
    command: process.execPath,
    args: [
      join(context.root, 'node_modules/@portkey-ai/gateway/build/start-server.js'),
      '--headless',
      `--port=${port}`,
    ],
    probe: async () => {
      const response = await request(`${origin}/`);
      await response.body.dump();
      return response.statusCode === 200;
    },
  });
  return {
    origin,
    process: child,
    headers: (protocol) => ({
      ...credentialHeaders(protocol, 'sk-bench-portkey'),
      'x-portkey-provider': protocol,
      'x-portkey-custom-host': protocol === 'openai' ? `${context.mock.origin}/v1` : context.mock.origin,
    }),
    stop: () => child.stop(),
  };
}

/** A port nobody listens on right now (bound and released; another process could take it first). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

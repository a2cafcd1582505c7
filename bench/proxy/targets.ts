import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import type { Clock } from '../../src/core/clock.js';
import { freePort } from '../../test/support/service-processes.js';
import type { ProcessGroup, ServerProcess } from './process-group.js';
import { startSwitchyard } from './switchyard-target.js';
import { credentialHeaders, type WireProtocol } from './wire-samples.js';

/** What serves a benchmark row. */
export type TargetSpec =
  /** The mock upstream itself (no proxy). */
  | { kind: 'mock' }
  /** The bare Node proxy of `bare-proxy.ts` in front of the mock. */
  | { kind: 'bare-proxy' }
  /** The same bare proxy written on Fastify (`bare-fastify-proxy.ts`): what the framework adds. */
  | { kind: 'bare-fastify-proxy' }
  /** The same bare proxy without streams (`bare-dispatch-proxy.ts`): what the stream layers cost. */
  | { kind: 'bare-dispatch-proxy' }
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
      /**
       * Scheduling state in Redis and the store in PostgreSQL (`TargetContext.services`, a fresh
       * key prefix and database per row) instead of memory and SQLite.
       */
      shared?: boolean;
      /** Instances sharing the accounts (default 1; more need `shared`); load is spread over them. */
      instances?: number;
    }
  /** Portkey's open-source gateway, routed to the mock as a custom OpenAI-compatible host. */
  | { kind: 'portkey' };

/** A started target: where to send requests and which process to watch. */
export interface RunningTarget {
  /** Where the target (its first instance) listens. */
  origin: string;
  /** Where each instance listens (just `origin` for a one-process target). */
  origins: readonly string[];
  /** Its process; for several instances, all of them as one (CPU and RSS summed). */
  process: ServerProcess;
  /** Credential and routing headers for requests in `protocol`. */
  headers(protocol: WireProtocol): Record<string, string>;
  /**
   * CPU time so far (s) of the servers the target depends on and shares with no client (Redis and
   * PostgreSQL for the shared-backend rows), counted apart from `process`; absent for other targets.
   */
  backendCpuSeconds?(): number | null;
  /** After the rounds: what makes the numbers doubtful (e.g. a shared backend was degraded), or null. */
  check?(): Promise<string | null>;
  /** Stops the target's process (a no-op for the shared mock) and removes its files. */
  stop(): Promise<void>;
}

/** The throwaway Redis and PostgreSQL servers the shared-backend rows use. */
export interface SharedServices {
  redisUrl: string;
  /** Creates an empty database on the PostgreSQL server and returns its URL. */
  newDatabase(): Promise<string>;
  /** A Redis key prefix no other row uses. */
  newKeyPrefix(): string;
  /** CPU time so far of every Redis and PostgreSQL process (server, connection backends), s. */
  cpuSeconds(): number | null;
}

export interface TargetContext {
  group: ProcessGroup;
  clock: Clock;
  /** Present when the selected rows need Redis and PostgreSQL (the benchmark started them). */
  services?: SharedServices;
  /** The running mock upstream every target forwards to. */
  mock: RunningTarget;
  /** The repository root (bin/switchyard.js, node_modules). */
  root: string;
  /**
   * When set, Switchyard runs with `--cpu-prof` and writes its profile here on exit; the bare proxy
   * writes its own to `bare-proxy/` below it.
   */
  cpuProfileDir?: string;
  /** More options for the Switchyard processes' `node` (V8 flags for experiments, a `--import` probe). */
  nodeArgs?: readonly string[];
}

const LISTENING_URL = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** Starts the benchmark's mock upstream in its own process. */
export async function startMock(group: ProcessGroup): Promise<RunningTarget> {
  const child = await group.start({
    name: 'mock upstream',
    command: process.execPath,
    args: [fileURLToPath(new URL('./serve.js', import.meta.url)), 'mock'],
    readyPattern: LISTENING_URL,
  });
  const origin = child.ready?.[1] ?? '';
  return {
    origin,
    origins: [origin],
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
    case 'bare-fastify-proxy':
    case 'bare-dispatch-proxy':
      return startBareProxy(spec.kind, context);
    case 'switchyard':
      return startSwitchyard(spec, context);
    case 'portkey':
      return startPortkey(context);
  }
}

async function startBareProxy(
  kind: 'bare-proxy' | 'bare-fastify-proxy' | 'bare-dispatch-proxy',
  context: TargetContext,
): Promise<RunningTarget> {
  // Its profile goes to a folder of its own, to be read beside Switchyard's.
  const profile = context.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${join(context.cpuProfileDir, kind)}`]
    : [];
  const child = await context.group.start({
    name: kind.replaceAll('-', ' '),
    command: process.execPath,
    args: [...profile, fileURLToPath(new URL('./serve.js', import.meta.url)), kind, context.mock.origin],
    readyPattern: LISTENING_URL,
  });
  const origin = child.ready?.[1] ?? '';
  return {
    origin,
    origins: [origin],
    process: child,
    headers: (protocol) => credentialHeaders(protocol, 'sk-bench-bare'),
    stop: () => child.stop(),
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
    origins: [origin],
    process: child,
    headers: (protocol) => ({
      ...credentialHeaders(protocol, 'sk-bench-portkey'),
      'x-portkey-provider': protocol,
      'x-portkey-custom-host': protocol === 'openai' ? `${context.mock.origin}/v1` : context.mock.origin,
    }),
    stop: () => child.stop(),
  };
}

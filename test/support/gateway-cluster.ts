/**
 * Several real `switchyard start` processes (the compiled CLI in `dist/`, as a user runs it) sharing
 * one Redis for the scheduling state and one PostgreSQL database for the store: a cluster as it
 * runs behind a load balancer, for end-to-end cluster and fault tests.
 *
 * Each instance has its own data directory and `gui_config.json` (`state.backend: "redis"` with
 * the given URL and key prefix, `store.backend: "postgres"` with the given URL, one shared API key)
 * and the same `SWITCHYARD_SECRET_KEY`; it listens on 127.0.0.1, port 0. Its address is read from
 * the start-up banner's `Proxy base URL:` line, then `/healthz` must answer 200 before the instance
 * counts as started. Every process is stopped by `stop()` (SIGTERM, then SIGKILL after 5 s), and a
 * process `exit` hook SIGKILLs whatever a crashed test run left behind.
 *
 * ```ts
 * const cluster = await startGatewayCluster({
 *   redisUrl: inject('redisUrl'),
 *   postgresUrl: await createDatabase(inject('postgresUrl')),
 *   keyPrefix: redisKeyPrefix(),
 *   secretKey: 'c'.repeat(64),
 * });
 * const [first, , third] = cluster.instances;
 * await first.call('/api/accounts', { body: { provider: 'openai', email: 'a@x', api_key: 'sk-a', base_url } });
 * const answer = await third.call('/v1/chat/completions', { body: sampleChat('hi') });
 * await cluster.stop();
 * ```
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProcessGroup, type ServerProcess } from '../../bench/proxy/process-group.js';
import { systemClock } from '../../src/core/clock.js';
import { type HttpCallOptions, type HttpExchange, httpCall } from './http-call.js';

/** The CLI, from the sources (`test/support/`) or from their build (`dist/test/support/`, for the benchmarks). */
const BIN =
  [
    resolve(import.meta.dirname, '../../bin/switchyard.js'),
    resolve(import.meta.dirname, '../../../bin/switchyard.js'),
  ].find((path) => existsSync(path)) ?? resolve(import.meta.dirname, '../../bin/switchyard.js');

export interface GatewayClusterOptions {
  /** How many processes (default 3). */
  size?: number;
  /** `state.redis_url` of every instance. */
  redisUrl: string;
  /** `state.key_prefix` of every instance: one per test keeps tests on a shared Redis apart. */
  keyPrefix: string;
  /** `store.postgres_url` of every instance (from `createDatabase`). */
  postgresUrl: string;
  /** `SWITCHYARD_SECRET_KEY` of every instance. */
  secretKey: string;
  /** `state.command_timeout_ms` (default: the config's default). */
  commandTimeoutMs?: number;
  /** `proxy` settings merged over the cluster's (shared API key, `all_except_health`). */
  proxy?: Record<string, unknown>;
  /** Other top-level `gui_config.json` entries of every instance (e.g. `auto_refresh: false`). */
  config?: Record<string, unknown>;
  /** How long one instance may take to start and answer `/healthz` (default 60 s: a loaded machine). */
  startTimeoutMs?: number;
}

/** One running instance. */
export interface ClusterInstance {
  /** Its position in `instances`, from 0. */
  readonly index: number;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Its data directory (its `gui_config.json`): `--data-dir` for a CLI command run against it. */
  readonly dataDir: string;
  readonly process: ServerProcess;
  /**
   * Calls `path` on this instance with the cluster's API key (the admin credential too); the
   * method defaults to GET without a body and POST with one.
   */
  call(path: string, options?: HttpCallOptions): Promise<HttpExchange>;
}

export interface GatewayCluster {
  readonly instances: ClusterInstance[];
  /** The proxy API key every instance shares. */
  readonly apiKey: string;
  /** The variables a CLI command needs to open the shared store (`SWITCHYARD_SECRET_KEY`). */
  readonly cliEnvironment: Record<string, string>;
  /** Stops every process still running and removes the data directories. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts `size` instances at once (their start-up migrations race as they would in production). */
export async function startGatewayCluster(options: GatewayClusterOptions): Promise<GatewayCluster> {
  const group = new ProcessGroup(systemClock);
  const apiKey = `sk-cluster-${options.keyPrefix.replace(/\W/g, '')}`;
  const directories: string[] = [];
  const servers: ServerProcess[] = [];
  const stop = async () => {
    // All at once (each waits for its own shutdown); stopAll then catches one still starting.
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    await group.stopAll();
    await Promise.all(directories.splice(0).map((path) => rm(path, { recursive: true, force: true })));
  };
  try {
    const size = options.size ?? 3;
    const instances = await Promise.all(
      Array.from({ length: size }, async (_, index) => {
        const dataDir = await mkdtemp(join(tmpdir(), `switchyard-cluster-${index}-`));
        directories.push(dataDir);
        await writeFile(join(dataDir, 'gui_config.json'), JSON.stringify(instanceConfig(options, apiKey)));
        const instance = await startInstance({ group, index, dataDir, apiKey, options });
        servers.push(instance.process);
        return instance;
      }),
    );
    return { instances, apiKey, cliEnvironment: { SWITCHYARD_SECRET_KEY: options.secretKey }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function instanceConfig(options: GatewayClusterOptions, apiKey: string): Record<string, unknown> {
  return {
    ...options.config,
    proxy: { api_key: apiKey, auth_mode: 'all_except_health', ...options.proxy },
    state: {
      backend: 'redis',
      redis_url: options.redisUrl,
      key_prefix: options.keyPrefix,
      ...(options.commandTimeoutMs === undefined ? {} : { command_timeout_ms: options.commandTimeoutMs }),
    },
    store: { backend: 'postgres', postgres_url: options.postgresUrl },
  };
}

async function startInstance(context: {
  group: ProcessGroup;
  index: number;
  dataDir: string;
  apiKey: string;
  options: GatewayClusterOptions;
}): Promise<ClusterInstance> {
  const { group, index, dataDir, apiKey, options } = context;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const server = await group.start({
    name: `switchyard instance ${index}`,
    command: process.execPath,
    args: [
      BIN,
      'start',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--log-level',
      'warn',
      '--shutdown-timeout',
      '2',
    ],
    env: childEnvironment(options.secretKey),
    readyPattern: /Proxy base URL:\s+(http:\/\/\S+)/,
    timeoutMs,
  });
  const url = server.ready?.[1] ?? '';
  const call = (path: string, callOptions: HttpCallOptions = {}) =>
    httpCall(`${url}${path}`, {
      ...callOptions,
      headers: { authorization: `Bearer ${apiKey}`, ...callOptions.headers },
    });
  await waitUntilHealthy({ url, server, timeoutMs });
  return { index, url, dataDir, process: server, call };
}

/** Polls `/healthz` until it answers 200; fails naming the instance and its output. */
async function waitUntilHealthy(context: { url: string; server: ServerProcess; timeoutMs: number }) {
  const deadline = systemClock.now() + context.timeoutMs;
  for (;;) {
    const answer = await httpCall(`${context.url}/healthz`).catch(() => null);
    if (answer?.status === 200) return;
    if (systemClock.now() > deadline) {
      throw new Error(`${context.server.name} never answered /healthz:\n${context.server.output()}`);
    }
    await systemClock.sleep(100);
  }
}

// The test's own environment must not configure the instances (every setting is a variable).
function childEnvironment(secretKey: string): NodeJS.ProcessEnv {
  const environment = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHYARD_')),
  );
  return { ...environment, NO_COLOR: '1', SWITCHYARD_SECRET_KEY: secretKey };
}

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { Clock } from '../../src/core/clock.js';
import { processSet, type ServerProcess } from './process-group.js';
import type { RunningTarget, TargetContext, TargetSpec } from './targets.js';
import { credentialHeaders } from './wire-samples.js';

const SWITCHYARD_ACCOUNTS = 3;
/** Every instance of a shared-backend row encrypts credentials with this key (the same everywhere). */
const BENCH_SECRET_KEY = 'b'.repeat(64);
/** The client API key of every shared-backend instance (one key for the whole cluster). */
const BENCH_CLUSTER_API_KEY = 'sk-bench-cluster-key';
/** `state.command_timeout_ms` of the shared-backend rows. */
const SHARED_COMMAND_TIMEOUT_MS = 1000;
/** How long the other instances may take to see the accounts added through the first. */
const ACCOUNTS_SEEN_MS = 10_000;

type SwitchyardSpec = Extract<TargetSpec, { kind: 'switchyard' }>;

/** One started instance: its process, origin, data directory and API key. */
interface Instance {
  process: ServerProcess;
  origin: string;
  dataDir: string;
  apiKey: string;
}

/**
 * Switchyard as a user runs it (`switchyard start`), each instance with a fresh data directory,
 * the default gui_config.json (request log on) merged with the spec's `config`, and a few accounts
 * pointing at the mock, added through the first instance's admin API. With `shared`, every
 * instance keeps its scheduling state in the context's Redis (a fresh key prefix) and its store in
 * a fresh PostgreSQL database of the context's server, all with one secret key and one API key;
 * with several `instances`, the row waits until each one lists the accounts.
 */
export async function startSwitchyard(spec: SwitchyardSpec, context: TargetContext): Promise<RunningTarget> {
  const count = spec.instances ?? 1;
  if (count > 1 && !spec.shared) throw new Error('several Switchyard instances need `shared` backends');
  const config = await instanceConfig(spec, context);
  const instances: Instance[] = [];
  const stop = async () => {
    for (const instance of instances) {
      await instance.process.stop();
      await rm(instance.dataDir, { recursive: true, force: true });
    }
  };
  try {
    // One after another: the first creates the PostgreSQL schema the others then find.
    for (let index = 0; index < count; index++) {
      instances.push(await startInstance({ spec, context, config, index }));
    }
    const [first] = instances as [Instance, ...Instance[]];
    await addAccounts(first, spec.accounts, context.mock.origin);
    if (count > 1) await waitForAccounts(instances, context.clock);
  } catch (error) {
    await stop();
    throw error;
  }
  const [first] = instances as [Instance, ...Instance[]];
  const origins = instances.map((instance) => instance.origin);
  return {
    origin: first.origin,
    origins,
    process:
      count === 1
        ? first.process
        : processSet(
            `${count} Switchyard instances`,
            instances.map((instance) => instance.process),
          ),
    headers: (protocol) => credentialHeaders(protocol, first.apiKey),
    ...(spec.shared && context.services
      ? { check: () => degradedBackends(instances), backendCpuSeconds: context.services.cpuSeconds }
      : {}),
    stop,
  };
}

/** The gui_config.json every instance of the row starts with, or null for the default one. */
async function instanceConfig(
  spec: SwitchyardSpec,
  context: TargetContext,
): Promise<Record<string, unknown> | null> {
  if (!spec.shared) return spec.config ?? null;
  const { services } = context;
  if (!services) throw new Error('this row needs the benchmark to start Redis and PostgreSQL');
  const own = spec.config ?? {};
  return {
    ...own,
    proxy: { ...((own['proxy'] as object | undefined) ?? {}), api_key: BENCH_CLUSTER_API_KEY },
    store: { backend: 'postgres', postgres_url: await services.newDatabase() },
    state: {
      backend: 'redis',
      redis_url: services.redisUrl,
      key_prefix: services.newKeyPrefix(),
      // Under saturation on a shared machine a Redis reply can take longer than the default 50 ms;
      // the instance would then serve on its local state and the row would not measure Redis.
      command_timeout_ms: SHARED_COMMAND_TIMEOUT_MS,
    },
  };
}

/**
 * The node options on a launcher's first line (`#!/usr/bin/env -S node --option …`): the gateway
 * is measured with the options `switchyard start` runs it with. None for a plain `#!/usr/bin/env node`.
 */
export function launcherNodeOptions(launcherText: string): string[] {
  const firstLine = launcherText.split('\n', 1)[0] ?? '';
  if (!firstLine.startsWith('#!')) return [];
  const words = firstLine.slice(2).trim().split(/\s+/);
  const node = words.indexOf('node');
  return node === -1 ? [] : words.slice(node + 1).filter((word) => word.startsWith('--'));
}

async function startInstance(options: {
  spec: SwitchyardSpec;
  context: TargetContext;
  config: Record<string, unknown> | null;
  index: number;
}): Promise<Instance> {
  const { spec, context, config } = options;
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  if (config) await writeFile(join(dataDir, 'gui_config.json'), JSON.stringify(config));
  // Node names each profile CPU.<date>.<time>.<pid>…; the log shows which pid serves which row.
  const profile = context.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${context.cpuProfileDir}`] : [];
  const launcher = join(spec.root ?? context.root, 'bin/switchyard.js');
  const env = spec.shared ? { ...process.env, SWITCHYARD_SECRET_KEY: BENCH_SECRET_KEY } : process.env;
  try {
    const child = await context.group.start({
      name: `Switchyard${spec.shared ? ' on Redis + PostgreSQL' : ''} (${spec.accounts} accounts)${options.index > 0 ? ` #${options.index + 1}` : ''}`,
      command: process.execPath,
      args: [
        ...profile,
        ...launcherNodeOptions(await readFile(launcher, 'utf8')),
        ...(context.nodeArgs ?? []),
        launcher,
        'start',
        '--data-dir',
        dataDir,
        '--host',
        '127.0.0.1',
        '--port',
        '0',
      ],
      env,
      readyPattern: /is listening on 127\.0\.0\.1:(\d+)/,
    });
    const written = JSON.parse(await readFile(join(dataDir, 'gui_config.json'), 'utf8')) as {
      proxy: { api_key: string };
    };
    return {
      process: child,
      origin: `http://127.0.0.1:${child.ready?.[1]}`,
      dataDir,
      apiKey: written.proxy.api_key,
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function adminHeaders(instance: Instance): Record<string, string> {
  return { authorization: `Bearer ${instance.apiKey}`, 'content-type': 'application/json' };
}

async function addAccounts(instance: Instance, accounts: SwitchyardSpec['accounts'], mockOrigin: string) {
  const baseUrl = accounts === 'openai' ? `${mockOrigin}/v1` : mockOrigin;
  for (let index = 0; index < SWITCHYARD_ACCOUNTS; index++) {
    const response = await request(`${instance.origin}/api/accounts`, {
      method: 'POST',
      headers: adminHeaders(instance),
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
}

/** Polls every instance's account list until each has all the accounts (they travel through PostgreSQL). */
async function waitForAccounts(instances: readonly Instance[], clock: Clock): Promise<void> {
  const deadline = clock.now() + ACCOUNTS_SEEN_MS;
  for (const instance of instances) {
    for (;;) {
      const response = await request(`${instance.origin}/api/accounts`, { headers: adminHeaders(instance) });
      if (response.statusCode !== 200) {
        const text = await response.body.text();
        throw new Error(
          `${instance.process.name} answered ${response.statusCode} to GET /api/accounts: ${text}`,
        );
      }
      const body = (await response.body.json()) as { accounts?: unknown[] };
      if ((body.accounts?.length ?? 0) >= SWITCHYARD_ACCOUNTS) break;
      if (clock.now() > deadline) {
        throw new Error(`${instance.process.name} did not see the accounts within ${ACCOUNTS_SEEN_MS} ms`);
      }
      await clock.sleep(50);
    }
  }
}

/**
 * Which instances report their shared state or store as degraded (`/api/proxy/status`): their
 * numbers then measure the local fallback, not Redis or PostgreSQL. Null when none does.
 */
async function degradedBackends(instances: readonly Instance[]): Promise<string | null> {
  const problems: string[] = [];
  for (const instance of instances) {
    const response = await request(`${instance.origin}/api/proxy/status`, {
      headers: adminHeaders(instance),
    });
    const status = (await response.body.json()) as { state_degraded?: boolean; store_degraded?: boolean };
    if (status.state_degraded) problems.push(`${instance.process.name}: Redis state degraded`);
    if (status.store_degraded) problems.push(`${instance.process.name}: PostgreSQL store degraded`);
  }
  const log = /cannot be reached: serving on local state/;
  for (const instance of instances) {
    if (log.test(instance.process.output())) problems.push(`${instance.process.name} logged a Redis outage`);
  }
  return problems.length === 0
    ? null
    : `measured partly on local fallback, not on the shared backends: ${problems.join('; ')}`;
}

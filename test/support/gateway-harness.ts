/**
 * Starts a real Switchyard gateway for end-to-end tests: a temporary data directory, the full
 * runtime (config file, encrypted store, scheduler, gateway) listening on 127.0.0.1 with an
 * ephemeral port, and helpers to call its admin API and proxy routes. Pair it with the mock
 * upstream (`mock-upstream.ts`) to give the accounts somewhere to send requests. `call` holds
 * every successful `/api` answer to the admin contract (`admin-answer-check.ts`): an answer that
 * does not parse with its route's schema fails the test that received it.
 *
 * ```ts
 * const upstream = await startMockUpstream();
 * const gateway = await startGateway({
 *   accounts: [{ provider: 'openai', email: 'a@x', api_key: 'sk-a', base_url: `${upstream.url}/v1` }],
 * });
 * const answer = await gateway.call('POST', '/v1/chat/completions', { body: { model: 'gpt-4o', messages } });
 * await gateway.close();
 * ```
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { GatewayRuntime } from '../../src/cli/gateway-runtime.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { systemIds } from '../../src/core/ids.js';
import { type Logger, silentLogger } from '../../src/observability/logger.js';
import { checkAdminAnswer } from './admin-answer-check.js';

export interface HarnessAccount {
  provider: 'openai' | 'anthropic' | 'gemini' | 'code-assist';
  email: string;
  api_key?: string;
  refresh_token?: string;
  /** OAuth: a current access token, its expiry (epoch ms or ISO), and the client and token endpoint. */
  access_token?: string;
  expires_at?: number | string;
  token_url?: string;
  client_id?: string;
  client_secret?: string;
  base_url?: string;
  tier?: 'FREE' | 'PRO' | 'ULTRA';
  models?: string[];
  label?: string;
}

export interface StartGatewayOptions {
  /** Written to gui_config.json before start (merged over the defaults by the gateway). */
  config?: Record<string, unknown>;
  /** Added through the admin API after start, in order. */
  accounts?: HarnessAccount[];
  /** Reuse a data directory (it is then not removed on close). */
  dataDir?: string;
  secretKey?: string;
  /** Where the gateway logs (default: nowhere); pass a logger writing to a stream to read warnings back. */
  logger?: Logger;
  /** `--allow-unauthenticated` (the gateway still listens on 127.0.0.1). */
  allowUnauthenticated?: boolean;
  /** `--allow-degraded-start`: start even when the PostgreSQL store does not answer. */
  allowDegradedStart?: boolean;
  /** The gateway's clock (default the system's), e.g. a `ShiftedClock` to move time forward. */
  clock?: Clock;
}

export interface CallOptions {
  body?: unknown;
  /** A raw body sent as is (for malformed-JSON tests). */
  raw?: string;
  headers?: Record<string, string>;
  /** Send the admin credential (default true for /api routes). */
  admin?: boolean;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface GatewayHarness {
  url: string;
  apiKey: string;
  dataDir: string;
  runtime: GatewayRuntime;
  /** Account ids by email, for the accounts added at start. */
  accountIds: Record<string, string>;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export async function startGateway(options: StartGatewayOptions = {}): Promise<GatewayHarness> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-test-')));
  if (options.config)
    await writeFile(join(dataDir, 'gui_config.json'), JSON.stringify(options.config, null, 2));
  const runtime = await GatewayRuntime.start({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    allowUnauthenticated: options.allowUnauthenticated ?? false,
    allowDegradedStart: options.allowDegradedStart ?? false,
    secretKey: options.secretKey,
    logger: options.logger ?? silentLogger(),
    clock: options.clock ?? systemClock,
    ids: systemIds,
    shutdownTimeoutMs: 2000,
  });
  const { host, port } = runtime.address;
  const url = `http://${host}:${port}`;
  const apiKey = runtime.stores.config.get().proxy.api_key;

  const call = async (method: string, path: string, callOptions: CallOptions = {}): Promise<CallResult> => {
    const admin = callOptions.admin ?? path.startsWith('/api/');
    const config = runtime.stores.config.get().proxy;
    const headers: Record<string, string> = { ...callOptions.headers };
    if (admin && !('authorization' in headers))
      headers['authorization'] = `Bearer ${config.admin_password ?? config.api_key}`;
    const body =
      callOptions.raw ?? (callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body));
    if (body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
    const response = await request(`${url}${path}`, { method: method as 'GET', headers, body });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    checkAdminAnswer({ method, path, status: response.statusCode, json });
    return { status: response.statusCode, headers: response.headers, text, json };
  };

  const accountIds: Record<string, string> = {};
  for (const account of options.accounts ?? []) {
    const created = await call('POST', '/api/accounts', { body: account });
    if (created.status !== 201) throw new Error(`could not add account ${account.email}: ${created.text}`);
    accountIds[account.email] = (created.json as { id: string }).id;
  }

  return {
    url,
    apiKey,
    dataDir,
    runtime,
    accountIds,
    call,
    async close() {
      await runtime.stop();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The requests Claude Code and Codex really send (bodies from the codec fixtures, headers as recorded
 * in ../shared/fixtures), and a gateway with one account of each translatable upstream kind on the
 * mock upstream, to replay them against.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GatewayHarness, type StartGatewayOptions, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Claude Code 2.1 `POST /v1/messages?beta=true`: the body bytes as recorded (pretty-printed JSON). */
export const CLAUDE_CODE_BODY = readFileSync(
  join(ROOT, 'src/protocols/anthropic-messages/__fixtures__/claude-code-messages-request.json'),
  'utf8',
);
export const CLAUDE_CODE_PATH = '/v1/messages?beta=true';
export const CLAUDE_CODE_SESSION = 'abd2a871-cb3e-40e7-892c-c654b3c2c79f';

/** The headers Claude Code sent, minus the hop-by-hop ones; auth (`x-api-key`) is added per call. */
export const CLAUDE_CODE_HEADERS: Record<string, string> = {
  accept: 'application/json',
  'content-type': 'application/json',
  'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)',
  'x-claude-code-session-id': CLAUDE_CODE_SESSION,
  'x-stainless-arch': 'x64',
  'x-stainless-lang': 'js',
  'x-stainless-os': 'Linux',
  'x-stainless-package-version': '0.94.0',
  'x-stainless-retry-count': '0',
  'x-stainless-runtime': 'node',
  'x-stainless-runtime-version': 'v26.3.0',
  'x-stainless-timeout': '600',
  'anthropic-beta':
    'claude-code-20250219,context-1m-2025-08-07,interleaved-thinking-2025-05-14,thinking-token-count-2026-05-13,context-management-2025-06-27,prompt-caching-scope-2026-01-05,mid-conversation-system-2026-04-07,effort-2025-11-24',
  'anthropic-dangerous-direct-browser-access': 'true',
  'anthropic-version': '2023-06-01',
  'x-app': 'cli',
};

/** Codex CLI 0.171 `POST /v1/responses`. */
export const CODEX_BODY = readFileSync(
  join(ROOT, 'src/protocols/openai-responses/__fixtures__/codex-responses-request.json'),
  'utf8',
);
export const CODEX_SESSION = '01a2178d-53eb-7d42-93ca-3baa58d8ab2d';

/** The headers Codex sent (the long `x-codex-turn-metadata` shortened); auth is added per call. */
export const CODEX_HEADERS: Record<string, string> = {
  version: '0.171.0',
  'x-codex-beta-features': 'remote_compaction_v2',
  'x-codex-window-id': `${CODEX_SESSION}:0`,
  'x-codex-turn-metadata': JSON.stringify({ session_id: CODEX_SESSION, request_kind: 'turn' }),
  'x-client-request-id': CODEX_SESSION,
  'session-id': CODEX_SESSION,
  'thread-id': CODEX_SESSION,
  accept: 'text/event-stream',
  'content-type': 'application/json',
  originator: 'codex_exec',
  'user-agent': 'codex_exec/0.171.0 (Debian 12.0.0; x86_64) xterm (codex_exec; 0.171.0)',
};

export type UpstreamKind = 'openai' | 'anthropic' | 'gemini';
export const UPSTREAM_KINDS: UpstreamKind[] = ['openai', 'anthropic', 'gemini'];

/** The account key of each upstream kind (the mock answers per key). */
export const KEY: Record<UpstreamKind, string> = {
  openai: 'sk-fixture-openai',
  anthropic: 'sk-ant-fixture',
  gemini: 'AIza-fixture-gemini',
};

export const emailOf = (kind: UpstreamKind): string => `${kind}@fixtures.test`;

export interface TranslationSetup {
  upstream: MockUpstream;
  gateway: GatewayHarness;
  /** Makes the account of `kind` the fixed account, so it serves the next requests. */
  pin(kind: UpstreamKind): Promise<void>;
  close(): Promise<void>;
}

/** A mock upstream and a gateway with one account per upstream kind (serving every model). */
export async function startTranslationSetup(
  options: Pick<StartGatewayOptions, 'config' | 'logger'> = {},
): Promise<TranslationSetup> {
  const upstream = await startMockUpstream();
  const gateway = await startGateway({
    ...options,
    accounts: UPSTREAM_KINDS.map((kind) => ({
      provider: kind,
      email: emailOf(kind),
      api_key: KEY[kind],
      base_url: kind === 'openai' ? `${upstream.url}/v1` : upstream.url,
    })),
  });
  return {
    upstream,
    gateway,
    async pin(kind) {
      const result = await gateway.call('PUT', '/api/proxy/fixed-account', {
        body: { account_id: gateway.accountIds[emailOf(kind)] },
      });
      if (result.status !== 200) throw new Error(`could not pin ${kind}: ${result.text}`);
    },
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}

/** Every key named `name` anywhere inside `value` (to look for `$schema` or `cache_control` leftovers). */
export function findKeys(value: unknown, name: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => findKeys(item, name));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(key === name ? [item] : []),
    ...findKeys(item, name),
  ]);
}

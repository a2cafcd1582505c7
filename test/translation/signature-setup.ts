/**
 * Set-up of the thinking-signature tests: a mock upstream whose accounts sign their reasoning and
 * verify what comes back (`ok({ thinking, verifySignatures })`), a gateway per test with the
 * accounts it needs, and the Claude Code / Codex requests of a conversation whose next turn is
 * built from the answer the client really got.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { startOAuthGateway } from '../oauth/oauth-gateway.js';
import type { GatewayHarness, HarnessAccount } from '../support/gateway-harness.js';
import { type MockUpstream, ok, startMockUpstream } from '../support/mock-upstream.js';
import type { AnthropicStreamSummary } from './anthropic-stream-check.js';
import {
  CLAUDE_CODE_BODY,
  CLAUDE_CODE_HEADERS,
  CLAUDE_CODE_PATH,
  CODEX_BODY,
  CODEX_HEADERS,
} from './recorded-clients.js';
import type { ResponsesStreamSummary } from './responses-stream-check.js';

export type AccountKind = 'anthropic' | 'gemini' | 'code-assist' | 'openai';

/** The credential each account presents upstream (the mock answers per credential). */
export const KEY: Record<AccountKind, string> = {
  anthropic: 'sk-ant-signing',
  gemini: 'AIza-signing',
  'code-assist': 'at-code-assist-signing',
  openai: 'sk-openai-signing',
};

export const emailOf = (kind: AccountKind) => `${kind}@signatures.test`;

function account(kind: AccountKind, tier: 'ULTRA' | 'PRO' | 'FREE', upstream: MockUpstream): HarnessAccount {
  const email = emailOf(kind);
  if (kind === 'code-assist') {
    return {
      provider: kind,
      email,
      tier,
      refresh_token: 'rt-code-assist-signing',
      access_token: KEY[kind],
      expires_at: systemClock.now() + 3600_000,
    };
  }
  return {
    provider: kind,
    email,
    tier,
    api_key: KEY[kind],
    base_url: kind === 'openai' ? `${upstream.url}/v1` : upstream.url,
  };
}

/**
 * A gateway whose accounts, in the order given, get decreasing tiers: the first serves a new
 * conversation (round robin starts with the highest tier) and is bound to it; the next ones take
 * over when it fails. Every account thinks before answering and verifies replayed reasoning.
 */
export async function startAccounts(upstream: MockUpstream, kinds: AccountKind[]): Promise<GatewayHarness> {
  const tiers = ['ULTRA', 'PRO', 'FREE'] as const;
  for (const kind of kinds) upstream.setDefault(KEY[kind], answering(kind));
  return startOAuthGateway(upstream, {
    accounts: kinds.map((kind, index) => account(kind, tiers[Math.min(index, 2)] ?? 'FREE', upstream)),
  });
}

/** One mock upstream for a test file and the gateway of the test that is running. */
export interface SignatureRig {
  readonly upstream: MockUpstream;
  /** Closes the running test's gateway, if it has one, and starts one with `kinds` (`startAccounts`). */
  start(kinds: AccountKind[]): Promise<GatewayHarness>;
}

/** Registers the hooks: the upstream starts before the file, each test's gateway closes after it. */
export function signatureRig(): SignatureRig {
  let upstream: MockUpstream | undefined;
  let gateway: GatewayHarness | null = null;
  beforeAll(async () => {
    upstream = await startMockUpstream();
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = null;
    upstream?.reset();
  });
  afterAll(() => upstream?.close());
  return {
    get upstream() {
      if (!upstream) throw new Error('the mock upstream starts in beforeAll');
      return upstream;
    },
    async start(kinds) {
      await gateway?.close();
      gateway = await startAccounts(this.upstream, kinds);
      return gateway;
    },
  };
}

/** What an account of `kind` answers: it thinks, calls Read, and checks the reasoning it is sent. */
export function answering(kind: AccountKind, options: { toolCall?: boolean } = {}) {
  return ok({
    thinking: `${kind} thinks it over.`,
    verifySignatures: true,
    ...(options.toolCall === false
      ? {}
      : { toolCalls: [{ name: 'Read', arguments: { file_path: 'a.ts' } }] }),
  });
}

/** The generation requests an account got (not the Code Assist project discovery). */
export function generations(upstream: MockUpstream, kind: AccountKind) {
  return upstream
    .requestsFor(KEY[kind])
    .filter(
      (request) => !request.path.includes('loadCodeAssist') && !request.path.includes('fetchAvailable'),
    );
}

/** The recorded Claude Code request body, parsed. */
export function claudeCodeTurn(): Record<string, unknown> & { messages: unknown[] } {
  return JSON.parse(CLAUDE_CODE_BODY);
}

/** Claude Code sends a conversation (streaming, its headers, `?beta=true`). */
export function sendClaudeCode(gateway: GatewayHarness, body: unknown) {
  return gateway.call('POST', CLAUDE_CODE_PATH, {
    raw: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { ...CLAUDE_CODE_HEADERS, 'x-api-key': gateway.apiKey },
  });
}

/** The next Claude Code turn: the assistant message as streamed, then the Read results. */
export function claudeCodeNextTurn<T extends { messages: unknown[] }>(
  body: T,
  answer: AnthropicStreamSummary,
): T {
  const assistant = [
    ...answer.thinking.map((block) => ({ type: 'thinking', ...block })),
    ...(answer.text === '' ? [] : [{ type: 'text', text: answer.text }]),
    ...answer.toolUses.map((use) => ({ type: 'tool_use', ...use })),
  ];
  const results = answer.toolUses.map((use) => ({
    type: 'tool_result',
    tool_use_id: use.id,
    content: 'export {}',
  }));
  return {
    ...body,
    messages: [
      ...body.messages,
      { role: 'assistant', content: assistant },
      { role: 'user', content: results },
    ],
  };
}

/** The recorded Codex request body, parsed. */
export function codexTurn(): Record<string, unknown> & { input: unknown[] } {
  return JSON.parse(CODEX_BODY);
}

export function sendCodex(gateway: GatewayHarness, body: unknown) {
  return gateway.call('POST', '/v1/responses', {
    body,
    headers: { ...CODEX_HEADERS, authorization: `Bearer ${gateway.apiKey}` },
  });
}

/** The next Codex turn (`store: false`): everything so far, the output items, the call outputs. */
export function codexNextTurn<T extends { input: unknown[] }>(body: T, answer: ResponsesStreamSummary): T {
  const outputs = answer.items
    .filter((item) => item.type === 'function_call')
    .map((item) => ({
      type: 'function_call_output',
      call_id: 'call_id' in item ? item.call_id : '',
      output: 'ok',
    }));
  return { ...body, input: [...body.input, ...answer.items, ...outputs] };
}

/**
 * Shared steps of the client-key tests: one request per client protocol with a key in that
 * protocol's own header, the admin calls that manage keys, and a reader for each protocol's error
 * shape.
 */
import { expect } from 'vitest';
import type { CallResult, GatewayHarness, HarnessAccount } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import type { MockUpstream } from '../support/mock-upstream.js';
import { sampleChat, sampleContents, sampleMessages } from '../support/sample-requests.js';

export interface ProtocolCase {
  name: string;
  path: string;
  body(text: string): Record<string, unknown>;
  /** The header this protocol's SDKs send the key in. */
  auth(secret: string): Record<string, string>;
  /** The error's type in this protocol's own shape (OpenAI `error.type`, Anthropic `error.type`, Google `error.status`). */
  errorKind(json: unknown): unknown;
  /** The error kinds this protocol uses for 401, 403 and 429. */
  kinds: { 401: string; 403: string; 429: string };
}

export const PROTOCOLS: ProtocolCase[] = [
  {
    name: 'OpenAI chat',
    path: '/v1/chat/completions',
    body: (text) => sampleChat(text),
    auth: (secret) => ({ authorization: `Bearer ${secret}` }),
    errorKind: (json) => pick(json, 'error', 'type'),
    kinds: { 401: 'authentication_error', 403: 'permission_error', 429: 'rate_limit_error' },
  },
  {
    name: 'Anthropic messages',
    path: '/v1/messages',
    body: (text) => sampleMessages(text),
    auth: (secret) => ({ 'x-api-key': secret }),
    errorKind: (json) => (pick(json, 'type') === 'error' ? pick(json, 'error', 'type') : undefined),
    kinds: { 401: 'authentication_error', 403: 'permission_error', 429: 'rate_limit_error' },
  },
  {
    name: 'Gemini',
    path: '/v1beta/models/gemini-2.5-pro:generateContent',
    body: (text) => sampleContents(text),
    auth: (secret) => ({ 'x-goog-api-key': secret }),
    errorKind: (json) => pick(json, 'error', 'status'),
    kinds: { 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 429: 'RESOURCE_EXHAUSTED' },
  },
];

/** One account per upstream family, each serving only its own models, so every protocol passes through. */
export function familyAccounts(upstream: MockUpstream): HarnessAccount[] {
  return [
    {
      provider: 'openai',
      email: 'openai@example.com',
      api_key: 'sk-up-openai',
      base_url: `${upstream.url}/v1`,
      models: ['gpt-*'],
    },
    {
      provider: 'anthropic',
      email: 'anthropic@example.com',
      api_key: 'sk-up-anthropic',
      base_url: upstream.url,
      models: ['claude-*'],
    },
    {
      provider: 'gemini',
      email: 'gemini@example.com',
      api_key: 'up-gemini',
      base_url: upstream.url,
      models: ['gemini-*'],
    },
  ];
}

export interface IssuedKey {
  id: string;
  secret: string;
  key: Record<string, unknown>;
}

export async function createKey(gateway: GatewayHarness, body: Record<string, unknown>): Promise<IssuedKey> {
  const created = await gateway.call('POST', '/api/keys', { body });
  expect(created.status, created.text).toBe(201);
  const key = pick(created.json, 'key') as Record<string, unknown>;
  return { id: String(key['id']), secret: String(pick(created.json, 'secret')), key };
}

export async function keyAction(
  gateway: GatewayHarness,
  id: string,
  action: 'rotate' | 'revoke',
): Promise<CallResult> {
  const result = await gateway.call('POST', `/api/keys/${id}/${action}`, { body: {} });
  expect(result.status, result.text).toBe(200);
  return result;
}

/** One request of `protocol` made with `secret` (or no key at all when null). */
export function send(
  gateway: GatewayHarness,
  protocol: ProtocolCase,
  secret: string | null,
  text = 'Tell me something about railway switchyards.',
): Promise<CallResult> {
  return gateway.call('POST', protocol.path, {
    admin: false,
    body: protocol.body(text),
    headers: secret === null ? {} : protocol.auth(secret),
  });
}

/** Asserts a refusal in the protocol's own shape and returns its `Retry-After` (seconds), if any. */
export function expectRefusal(
  protocol: ProtocolCase,
  result: CallResult,
  status: 401 | 403 | 429,
): number | undefined {
  expect(result.status, result.text).toBe(status);
  expect(protocol.errorKind(result.json)).toBe(protocol.kinds[status]);
  const retryAfter = result.headers['retry-after'];
  return retryAfter === undefined ? undefined : Number(retryAfter);
}

/**
 * Errors on translated requests (cases adapted from test/proxy/fault-matrix.test.ts): an upstream
 * client error reaches the client in the client's protocol error shape with the upstream's message
 * and is not retried; 429, 5xx, in-stream errors and dropped connections rotate to another account
 * exactly as in pass-through, even when the next account is of a third kind.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import {
  type Behaviour,
  dropBeforeFirstByte,
  dropMidStream,
  inStreamError,
  type MockUpstream,
  rateLimited,
  serverError,
  startMockUpstream,
  status,
} from '../support/mock-upstream.js';
import { parseSse, parseSseJson } from '../support/parse-sse.js';
import { checkAnthropicStream } from './anthropic-stream-check.js';
import type { UpstreamKind } from './recorded-clients.js';
import { checkResponsesStream } from './responses-stream-check.js';

interface GeminiChunk {
  candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }>;
}

type ClientProtocol = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini';

interface ClientCase {
  request(options: { model: string; stream: boolean; text: string }): { path: string; body: unknown };
  /** The answer's text, after checking the answer is valid for the protocol. */
  text(body: string, stream: boolean): string;
  errorShape(body: unknown): void;
}

const CLIENTS: Record<ClientProtocol, ClientCase> = {
  'openai-chat': {
    request: ({ model, stream, text }) => ({
      path: '/v1/chat/completions',
      body: { model, stream, messages: [{ role: 'user', content: text }] },
    }),
    text: (body, stream) =>
      stream
        ? parseSseJson(body)
            .map((chunk) => (chunk as { choices: Array<{ delta: { content?: string } }> }).choices[0])
            .map((choice) => choice?.delta.content ?? '')
            .join('')
        : ((JSON.parse(body) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message
            .content ?? ''),
    errorShape: (body) =>
      expect(body).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } }),
  },
  'openai-responses': {
    request: ({ model, stream, text }) => ({ path: '/v1/responses', body: { model, stream, input: text } }),
    text: (body, stream) =>
      stream
        ? checkResponsesStream(body).text
        : (JSON.parse(body) as { output: Array<{ content?: Array<{ text: string }> }> }).output
            .flatMap((item) => item.content ?? [])
            .map((part) => part.text)
            .join(''),
    errorShape: (body) =>
      expect(body).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } }),
  },
  anthropic: {
    request: ({ model, stream, text }) => ({
      path: '/v1/messages',
      body: { model, max_tokens: 64, stream, messages: [{ role: 'user', content: text }] },
    }),
    text: (body, stream) =>
      stream
        ? checkAnthropicStream(body).text
        : (JSON.parse(body) as { content: Array<{ text?: string }> }).content
            .map((b) => b.text ?? '')
            .join(''),
    errorShape: (body) =>
      expect(body).toMatchObject({
        type: 'error',
        error: { type: expect.any(String), message: expect.any(String) },
      }),
  },
  gemini: {
    request: ({ model, stream, text }) => ({
      path: `/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      body: { contents: [{ role: 'user', parts: [{ text }] }] },
    }),
    // A last chunk may carry only the finish reason and usage, without content (as Gemini's may).
    text: (body, stream) =>
      (stream ? parseSseJson(body) : [JSON.parse(body)])
        .flatMap((chunk) => (chunk as GeminiChunk).candidates ?? [])
        .flatMap((candidate) => candidate.content?.parts ?? [])
        .map((part) => part.text ?? '')
        .join(''),
    errorShape: (body) =>
      expect(body).toMatchObject({
        error: { code: expect.any(Number), message: expect.any(String), status: expect.any(String) },
      }),
  },
};

/** A client error body in each upstream's own shape, carrying `message`. */
const CLIENT_ERROR_BODIES: Record<UpstreamKind, (message: string) => unknown> = {
  openai: (message) => ({ error: { message, type: 'invalid_request_error', param: 'tools', code: null } }),
  anthropic: (message) => ({ type: 'error', error: { type: 'invalid_request_error', message } }),
  gemini: (message) => ({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } }),
};

/** Client protocol, the faulty account's kind (pinned) and the healthy account's kind. */
const ROTATIONS: Array<{ client: ClientProtocol; faulty: UpstreamKind; healthy: UpstreamKind }> = [
  { client: 'anthropic', faulty: 'openai', healthy: 'gemini' },
  { client: 'openai-chat', faulty: 'anthropic', healthy: 'gemini' },
  { client: 'gemini', faulty: 'anthropic', healthy: 'openai' },
  { client: 'openai-responses', faulty: 'gemini', healthy: 'anthropic' },
  // From pass-through to translation: the next account speaks another protocol than the client.
  { client: 'anthropic', faulty: 'anthropic', healthy: 'openai' },
];

const NATIVE: Record<UpstreamKind, ClientProtocol> = {
  openai: 'openai-chat',
  anthropic: 'anthropic',
  gemini: 'gemini',
};
const TRANSLATED_PAIRS = (Object.keys(CLIENTS) as ClientProtocol[]).flatMap((client) =>
  (['openai', 'anthropic', 'gemini'] as const)
    .filter((kind) => NATIVE[kind] !== client)
    .map((kind) => ({ client, kind })),
);

const rotationName = (index: number) => `rotation-${index}`;
const keyOf = (role: 'bad' | 'good', index: number) => `${role}-${index}`;
const pairModel = (kind: UpstreamKind) => `only-${kind}`;

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  const account = (kind: UpstreamKind, key: string, model: string) => ({
    provider: kind,
    email: `${key}@example.com`,
    api_key: key,
    base_url: kind === 'openai' ? `${upstream.url}/v1` : upstream.url,
    // One model per case keeps failover between the case's own two accounts.
    models: [model],
  });
  gateway = await startGateway({
    config: { proxy: { first_byte_timeout: 1, request_timeout: 5 } },
    accounts: [
      ...ROTATIONS.flatMap((rotation, index) => [
        account(rotation.faulty, keyOf('bad', index), rotationName(index)),
        account(rotation.healthy, keyOf('good', index), rotationName(index)),
      ]),
      ...(['openai', 'anthropic', 'gemini'] as const).map((kind) =>
        account(kind, `only-${kind}`, pairModel(kind)),
      ),
    ],
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

beforeEach(async () => {
  upstream.reset();
  await gateway.call('DELETE', '/api/proxy/rate-limits');
  await gateway.call('POST', '/api/proxy/session-bindings/clear');
});

let counter = 0;

async function send(options: { client: ClientProtocol; pinned: string; model: string; stream: boolean }) {
  await gateway.call('PUT', '/api/proxy/fixed-account', {
    body: { account_id: gateway.accountIds[`${options.pinned}@example.com`] },
  });
  const text = `translated fault number ${++counter}`;
  const { path, body } = CLIENTS[options.client].request({ ...options, text });
  return { text, result: await gateway.call('POST', path, { body }) };
}

describe.each(TRANSLATED_PAIRS)('$client client → $kind account', ({ client, kind }) => {
  it('returns an upstream 400 in the client protocol error shape, with its message, without retrying', async () => {
    const message = `tools.0.custom.name: bad field foo (${kind})`;
    upstream.script(`only-${kind}`, status(400, { body: CLIENT_ERROR_BODIES[kind](message) }));
    const { result } = await send({ client, pinned: `only-${kind}`, model: pairModel(kind), stream: false });
    expect(result.status).toBe(400);
    CLIENTS[client].errorShape(result.json);
    expect(result.text).toContain(`bad field foo (${kind})`);
    expect(upstream.requests).toHaveLength(1);
  });
});

const WHOLE_FAULTS: Array<[string, Behaviour]> = [
  ['429 with Retry-After', rateLimited({ retryAfter: '30' })],
  ['503', serverError(503)],
  ['a connection dropped before the first byte', dropBeforeFirstByte()],
];
const STREAM_FAULTS: Array<[string, Behaviour]> = [
  ...WHOLE_FAULTS,
  ['an error event before any output', inStreamError({ beforeContent: true })],
  ['a stream that drops before any output', dropMidStream({ afterChunks: 0 })],
];

describe.each(ROTATIONS.map((rotation, index) => ({ ...rotation, index })))(
  '$client client, faulty $faulty account, healthy $healthy account',
  ({ client, index }) => {
    const bad = keyOf('bad', index);
    const good = keyOf('good', index);
    const model = rotationName(index);

    describe.each([false, true])('stream %s', (stream) => {
      it.each(stream ? STREAM_FAULTS : WHOLE_FAULTS)('rotates on %s', async (_name, fault) => {
        upstream.script(bad, fault);
        const { text, result } = await send({ client, pinned: bad, model, stream });
        expect(result.status).toBe(200);
        expect(result.headers['x-account-email']).toBe(`${good}@example.com`);
        expect(CLIENTS[client].text(result.text, stream)).toContain(text);
        expect(upstream.hits(bad)).toBe(1);
        expect(upstream.hits(good)).toBe(1);
      });
    });

    it('rotates at once on a short Retry-After in Balance', async () => {
      upstream.script(bad, rateLimited({ retryAfterMs: 300 }));
      const { text, result } = await send({ client, pinned: bad, model, stream: false });
      expect(result.status).toBe(200);
      expect(result.headers['x-account-email']).toBe(`${good}@example.com`);
      expect(CLIENTS[client].text(result.text, false)).toContain(text);
      expect(upstream.hits(bad)).toBe(1);
    });

    it('CacheFirst: waits out a short Retry-After on the pinned account and retries there', async () => {
      upstream.script(bad, rateLimited({ retryAfterMs: 300 }));
      await gateway.call('PUT', '/api/proxy/scheduling', { body: { mode: 'CacheFirst' } });
      const { text, result } = await send({ client, pinned: bad, model, stream: false }).finally(() =>
        gateway.call('PUT', '/api/proxy/scheduling', { body: { mode: 'Balance' } }),
      );
      expect(result.status).toBe(200);
      expect(result.headers['x-account-email']).toBe(`${bad}@example.com`);
      expect(CLIENTS[client].text(result.text, false)).toContain(text);
      expect(upstream.hits(bad)).toBe(2);
      expect(upstream.hits(good)).toBe(0);
    });

    it('answers a well-formed error of the client protocol when every account fails', async () => {
      upstream.script(bad, serverError(500));
      upstream.setDefault(good, serverError(503));
      const { result } = await send({ client, pinned: bad, model, stream: false });
      expect([502, 503]).toContain(result.status);
      CLIENTS[client].errorShape(result.json);
      expect(result.headers['x-request-id']).toMatch(/^req_/);
    });
  },
);

describe('a translated stream that breaks after the first byte', () => {
  it.each([
    ['anthropic', 'openai'],
    ['openai-chat', 'anthropic'],
    ['gemini', 'openai'],
  ] as const)(
    '%s client ← %s account: ends with an error event of the client protocol',
    async (client, kind) => {
      upstream.script(`only-${kind}`, dropMidStream({ afterChunks: 2 }));
      const { result } = await send({ client, pinned: `only-${kind}`, model: pairModel(kind), stream: true });
      expect(result.status).toBe(200);
      const last = parseSse(result.text).at(-1);
      if (client === 'anthropic') expect(last?.event).toBe('error');
      CLIENTS[client].errorShape(JSON.parse(last?.data ?? 'null'));
    },
  );

  it('Responses client ← anthropic account: ends with response.failed, in sequence', async () => {
    upstream.script('only-anthropic', dropMidStream({ afterChunks: 2 }));
    const { result } = await send({
      client: 'openai-responses',
      pinned: 'only-anthropic',
      model: pairModel('anthropic'),
      stream: true,
    });
    expect(result.status).toBe(200);
    const stream = checkResponsesStream(result.text);
    expect(stream.eventTypes.at(-1)).toBe('response.failed');
    expect(stream.response.error).toMatchObject({ message: expect.stringContaining('broke off') });
  });
});

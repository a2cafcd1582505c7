/**
 * The fault matrix: for each client protocol, each upstream fault on the first account either ends
 * in a success from another account or in a well-formed error of the client's protocol — never a
 * hang, never a bare 500.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import {
  type Behaviour,
  dropBeforeFirstByte,
  dropMidStream,
  forbidden,
  hang,
  inStreamError,
  type MockUpstream,
  rateLimited,
  serverError,
  slowFirstByte,
  startMockUpstream,
  status,
  unauthorized,
} from '../support/mock-upstream.js';
import { parseSse } from '../support/parse-sse.js';

type Protocol = 'openai' | 'anthropic' | 'gemini';

interface ProtocolCase {
  protocol: Protocol;
  faulty: string;
  healthy: string;
  call(options: { stream: boolean; text: string }): { path: string; body: unknown };
  /** Checks an error body has the protocol's shape. */
  errorShape(body: unknown): void;
}

const CASES: ProtocolCase[] = [
  {
    protocol: 'openai',
    faulty: 'sk-openai-bad',
    healthy: 'sk-openai-good',
    call: ({ stream, text }) => ({
      path: '/v1/chat/completions',
      body: { model: 'gpt-4o', stream, messages: [{ role: 'user', content: text }] },
    }),
    errorShape: (body) =>
      expect(body).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } }),
  },
  {
    protocol: 'anthropic',
    faulty: 'sk-ant-bad',
    healthy: 'sk-ant-good',
    call: ({ stream, text }) => ({
      path: '/v1/messages',
      body: {
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        stream,
        messages: [{ role: 'user', content: text }],
      },
    }),
    errorShape: (body) =>
      expect(body).toMatchObject({
        type: 'error',
        error: { type: expect.any(String), message: expect.any(String) },
      }),
  },
  {
    protocol: 'gemini',
    faulty: 'AIza-bad',
    healthy: 'AIza-good',
    call: ({ stream, text }) => ({
      path: `/v1beta/models/gemini-2.5-pro:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      body: { contents: [{ role: 'user', parts: [{ text }] }] },
    }),
    errorShape: (body) =>
      expect(body).toMatchObject({
        error: { code: expect.any(Number), message: expect.any(String), status: expect.any(String) },
      }),
  },
];

const MODELS: Record<Protocol, string> = {
  openai: 'gpt-4o',
  anthropic: 'claude-sonnet-4-6',
  gemini: 'gemini-2.5-pro',
};

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  const accounts = CASES.flatMap((entry) =>
    [entry.faulty, entry.healthy].map((key) => ({
      provider: entry.protocol,
      email: `${key}@example.com`,
      api_key: key,
      base_url: entry.protocol === 'openai' ? `${upstream.url}/v1` : upstream.url,
      // One model per protocol keeps failover among the protocol's own two accounts.
      models: [MODELS[entry.protocol]],
    })),
  );
  gateway = await startGateway({
    config: { proxy: { first_byte_timeout: 1, request_timeout: 5 } },
    accounts,
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

let counter = 0;

beforeEach(async () => {
  upstream.reset();
  await gateway.call('DELETE', '/api/proxy/rate-limits');
  await gateway.call('POST', '/api/proxy/session-bindings/clear');
});

/** Pins the faulty account so the first attempt always goes there, scripts the fault, sends. */
async function send(entry: ProtocolCase, fault: Behaviour, stream: boolean) {
  await gateway.call('PUT', '/api/proxy/fixed-account', {
    body: { account_id: gateway.accountIds[`${entry.faulty}@example.com`] },
  });
  upstream.script(entry.faulty, fault);
  const { path, body } = entry.call({ stream, text: `fault matrix message number ${++counter}` });
  return gateway.call('POST', path, { body });
}

const FAILOVER_FAULTS: [string, Behaviour][] = [
  ['429 with Retry-After seconds', rateLimited({ retryAfter: '30' })],
  ['429 with a Google quotaResetDelay', rateLimited({ quotaResetDelay: '3h2m1s' })],
  ['429 with OpenAI insufficient_quota', rateLimited({ openaiCode: 'insufficient_quota' })],
  ['429 with Anthropic reset headers', rateLimited({ anthropic: true, retryAfter: '20' })],
  ['500', serverError(500)],
  ['503', serverError(503)],
  ['529', serverError(529)],
  ['401', unauthorized()],
  ['403', forbidden()],
  ['connection dropped before the first byte', dropBeforeFirstByte()],
];

/** Streams must show output within first_byte_timeout (1 s here); whole answers within request_timeout (5 s). */
const TIMEOUT_FAULTS: Record<'stream' | 'whole', [string, Behaviour]> = {
  stream: ['slow first byte beyond first_byte_timeout', slowFirstByte(1500)],
  whole: ['no answer within request_timeout', hang()],
};

describe.each(CASES)('$protocol client', (entry) => {
  describe.each([false, true])('stream %s', (stream) => {
    it.each([...FAILOVER_FAULTS, TIMEOUT_FAULTS[stream ? 'stream' : 'whole']])(
      'fails over to another account on %s',
      async (_name, fault) => {
        const result = await send(entry, fault, stream);
        expect(result.status).toBe(200);
        expect(result.headers['x-account-email']).toBe(`${entry.healthy}@example.com`);
        // Streams split the echoed text over deltas; the number is enough to tell the answer is ours.
        expect(result.text).toContain(stream ? String(counter) : `fault matrix message number ${counter}`);
        expect(upstream.hits(entry.faulty)).toBe(1);
      },
    );
  });

  it('fails over when the stream reports an error before any output', async () => {
    const result = await send(entry, inStreamError({ beforeContent: true }), true);
    expect(result.status).toBe(200);
    expect(result.headers['x-account-email']).toBe(`${entry.healthy}@example.com`);
  });

  it('fails over when the stream drops before any output', async () => {
    const result = await send(entry, dropMidStream({ afterChunks: 0 }), true);
    expect(result.status).toBe(200);
    expect(result.headers['x-account-email']).toBe(`${entry.healthy}@example.com`);
  });

  it('ends a stream that drops after the first byte with a protocol-shaped error event', async () => {
    const result = await send(entry, dropMidStream({ afterChunks: 2 }), true);
    expect(result.status).toBe(200);
    expect(result.headers['x-account-email']).toBe(`${entry.faulty}@example.com`);
    const events = parseSse(result.text);
    const last = events.at(-1);
    expect(last).toBeDefined();
    entry.errorShape(JSON.parse(last!.data));
  });

  it('Balance: a short Retry-After locks the account and the request rotates at once', async () => {
    const result = await send(entry, rateLimited({ retryAfterMs: 300 }), false);
    expect(result.status).toBe(200);
    expect(result.headers['x-account-email']).toBe(`${entry.healthy}@example.com`);
    expect(upstream.hits(entry.faulty)).toBe(1);
    const limits = await gateway.call('GET', '/api/proxy/rate-limits');
    expect((limits.json as { rate_limits: unknown[] }).rate_limits).toEqual([
      expect.objectContaining({ account_email: `${entry.faulty}@example.com`, source: 'retry-after' }),
    ]);
  });

  it('CacheFirst: waits out a short Retry-After on the pinned account and retries there (grace retry)', async () => {
    await gateway.call('PUT', '/api/proxy/scheduling', { body: { mode: 'CacheFirst' } });
    try {
      const result = await send(entry, rateLimited({ retryAfterMs: 300 }), false);
      expect(result.status).toBe(200);
      expect(result.headers['x-account-email']).toBe(`${entry.faulty}@example.com`);
      expect(upstream.hits(entry.faulty)).toBe(2);
      expect(upstream.hits(entry.healthy)).toBe(0);
    } finally {
      await gateway.call('PUT', '/api/proxy/scheduling', { body: { mode: 'Balance' } });
    }
  });

  it('returns a client error as the upstream sent it, without retrying', async () => {
    const body = { error: { message: 'bad field foo', type: 'invalid_request_error' } };
    const result = await send(entry, status(400, { body }), false);
    expect(result.status).toBe(400);
    expect(result.json).toEqual(body);
    expect(upstream.hits(entry.healthy)).toBe(0);
  });

  it('answers a well-formed error when every account fails', async () => {
    upstream.setDefault(entry.healthy, serverError(503));
    const result = await send(entry, serverError(500), false);
    expect([502, 503]).toContain(result.status);
    entry.errorShape(result.json);
    expect(result.headers['x-request-id']).toMatch(/^req_/);
    upstream.reset();
  });
});

it('aborts the upstream request when the client goes away', async () => {
  const entry = CASES[0]!;
  await gateway.call('PUT', '/api/proxy/fixed-account', {
    body: { account_id: gateway.accountIds[`${entry.faulty}@example.com`] },
  });
  upstream.script(entry.faulty, slowFirstByte(800));
  const controller = new AbortController();
  const { path, body } = entry.call({ stream: true, text: 'a request the client abandons' });
  const pending = request(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: controller.signal,
  }).catch((error: Error) => error);
  await expect.poll(() => upstream.hits(entry.faulty)).toBe(1);
  controller.abort();
  expect(await pending).toBeInstanceOf(Error);
  await new Promise((resolve) => setTimeout(resolve, 1200));
  expect(upstream.hits(entry.healthy)).toBe(0);
});

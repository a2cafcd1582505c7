/**
 * Client strings that would become headers, log lines or stored rows are bounded or encoded, and
 * every refusal — long or odd model names and ids, deep nesting, malformed or overlong URLs — is a
 * 4xx in the route's own protocol shape, never a 500, and reaches no upstream.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat, sampleContents, sampleMessages } from '../support/sample-requests.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      { provider: 'openai', email: 'o@example.com', api_key: 'sk-up-openai', base_url: `${upstream.url}/v1` },
      { provider: 'gemini', email: 'g@example.com', api_key: 'up-gemini', base_url: upstream.url },
    ],
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});
beforeEach(() => {
  upstream.reset();
});

const SHAPES = {
  openai: { error: { type: 'invalid_request_error', code: 'invalid_request', message: expect.any(String) } },
  anthropic: { type: 'error', error: { type: 'invalid_request_error', message: expect.any(String) } },
  gemini: { error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.any(String) } },
};

/** A request of each protocol with `model` as its model (Gemini: in the path, encoded). */
const routes = (model: string) => [
  {
    name: 'OpenAI',
    path: '/v1/chat/completions',
    body: { ...sampleChat('hi'), model },
    shape: SHAPES.openai,
  },
  {
    name: 'Anthropic',
    path: '/v1/messages',
    body: { ...sampleMessages('hi'), model },
    shape: SHAPES.anthropic,
  },
  {
    name: 'Gemini',
    path: `/v1beta/models/${encodeURIComponent(model)}:generateContent`,
    body: sampleContents('hi'),
    shape: SHAPES.gemini,
  },
];

describe('model names', () => {
  it.each([
    ['m✓', 'm%E2%9C%93'],
    ['日本', '%E6%97%A5%E6%9C%AC'],
    // Printable ASCII goes as it is; in a Gemini path `%` arrives as `%25` and is decoded once.
    ['100%', '100%'],
  ])('%s is served, and X-Mapped-Model is %s', async (model, header) => {
    for (const { name, path, body } of routes(model)) {
      const result = await gateway.call('POST', path, { body, admin: false });
      expect(result.status, name).toBe(200);
      expect(result.headers['x-mapped-model'], name).toBe(header);
    }
  });

  it.each([
    ['a control character', 'claude\n', 'model: must not contain control characters'],
    [
      'one character over the limit',
      'm'.repeat(257),
      'model: 257 characters is longer than the limit of 256',
    ],
    ['100 KB', 'm'.repeat(100_000), 'model: 100000 characters is longer than the limit of 256'],
  ])('with %s is a 400 in each protocol shape, before any account is used', async (_name, model, message) => {
    for (const { name, path, body, shape } of routes(model)) {
      // A 100 KB model in a URL is too long for the request line: that is a 414 (below).
      if (name === 'Gemini' && model.length > 10_000) continue;
      const result = await gateway.call('POST', path, { body, admin: false });
      expect(result.status, name).toBe(400);
      expect(result.json, name).toMatchObject(shape);
      expect(result.text, name).toContain(message);
      expect(result.headers['x-mapped-model'], name).toBeUndefined();
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('a non-ASCII mapping target is encoded in X-Mapped-Model too', async () => {
    const mapped = await gateway.call('PUT', '/api/config', {
      body: { proxy: { custom_mapping: { 'alias-*': 'ü-model' } } },
    });
    expect(mapped.status).toBe(200);
    const result = await gateway.call('POST', '/v1/chat/completions', {
      body: { ...sampleChat('hi'), model: 'alias-1' },
      admin: false,
    });
    expect(result.headers['x-mapped-model']).toBe('%C3%BC-model');
    await gateway.call('PUT', '/api/config', { body: { proxy: { custom_mapping: {} } } });
  });
});

describe('client ids', () => {
  it.each<{ field: string; headers: Record<string, string>; body: Record<string, unknown> }>([
    {
      field: 'header x-claude-code-session-id',
      headers: { 'x-claude-code-session-id': 's'.repeat(513) },
      body: {},
    },
    { field: 'metadata.user_id', headers: {}, body: { metadata: { user_id: 'u'.repeat(513) } } },
    { field: 'prompt_cache_key', headers: {}, body: { prompt_cache_key: 'k'.repeat(513) } },
  ])('a $field longer than 512 characters is a 400 naming it', async ({ field, headers, body }) => {
    const result = await gateway.call('POST', '/v1/messages', {
      body: { ...sampleMessages('hi'), ...body },
      headers,
      admin: false,
    });
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject(SHAPES.anthropic);
    expect(pick(result.json, 'error', 'message')).toBe(
      `${field}: 513 characters is longer than the limit of 512`,
    );
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('deep nesting', () => {
  const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it.each([
    {
      path: '/v1/chat/completions',
      shape: SHAPES.openai,
      raw: `{"model":"m","messages":[],"x":${nested(200_000)}}`,
    },
    {
      path: '/v1/messages',
      shape: SHAPES.anthropic,
      raw: `{"model":"m","messages":[],"tools":${nested(5000)}}`,
    },
    { path: '/v1beta/models/m:countTokens', shape: SHAPES.gemini, raw: `{"contents":${nested(129)}}` },
  ])('past 128 levels is a 400 in the shape of $path', async ({ path, shape, raw }) => {
    const result = await gateway.call('POST', path, { raw, admin: false });
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject(shape);
    expect(result.text).toContain('more than 128 levels deep');
    expect(upstream.requests).toHaveLength(0);
  });

  it('past 128 levels is a 400 on the admin API as well', async () => {
    const result = await gateway.call('PUT', '/api/config', { raw: `{"proxy":${nested(1000)}}` });
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject({ error: { code: 'invalid_request' } });
  });
});

/** Sends raw bytes and returns the raw answer (for requests no HTTP client would build). */
function rawHttp(text: string): Promise<{ status: number; body: unknown }> {
  const { port } = gateway.runtime.address;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n', 2);
      resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(body) });
    });
  });
}

describe('URLs the router or the HTTP parser refuse', () => {
  it.each([
    {
      url: '/v1/chat/%E0%A4%A',
      status: 400,
      shape: { error: { type: 'invalid_request_error', code: 'invalid_request' } },
    },
    {
      url: '/v1/messages/%E0%A4%A',
      status: 400,
      shape: { type: 'error', error: { type: 'invalid_request_error' } },
    },
    {
      url: '/v1beta/models/%E0%A4%A',
      status: 400,
      shape: { error: { code: 400, status: 'INVALID_ARGUMENT' } },
    },
    { url: '/api/accounts/%E0%A4%A', status: 400, shape: { error: { code: 'invalid_request' } } },
    {
      url: `/v1/messages?x=${'a'.repeat(100_000)}`,
      status: 414,
      shape: { type: 'error', error: { type: 'invalid_request_error' } },
    },
    {
      url: `/v1beta/models/${'m'.repeat(100_000)}:generateContent`,
      status: 414,
      shape: { error: { code: 414 } },
    },
    { url: `/api/${'a'.repeat(100_000)}`, status: 414, shape: { error: { code: 'uri_too_long' } } },
  ])('$status in the path’s protocol shape ($url)', async ({ url, status, shape }) => {
    const result = await rawHttp(
      `GET ${url.slice(0, 120_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    expect(result.status).toBe(status);
    expect(result.body).toMatchObject(shape);
  });

  it('headers too large are a 431 in the path’s protocol shape', async () => {
    const result = await rawHttp(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(100_000)}\r\n\r\n`,
    );
    expect(result.status).toBe(431);
    expect(result.body).toMatchObject({
      error: { type: 'invalid_request_error', message: 'The request headers are too large' },
    });
  });
});

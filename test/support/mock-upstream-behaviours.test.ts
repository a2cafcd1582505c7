import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeClock, systemClock } from '../../src/core/clock.js';
import { type HttpCallOptions, httpCall, pick } from './http-call.js';
import {
  dropBeforeFirstByte,
  dropMidStream,
  endEarly,
  forbidden,
  hang,
  inStreamError,
  type MockUpstream,
  ok,
  rateLimited,
  serverError,
  slowFirstByte,
  startMockUpstream,
  status,
  unauthorized,
} from './mock-upstream.js';
import { parseSse } from './parse-sse.js';
import { sampleChat, sampleContents, sampleMessages } from './sample-requests.js';

const clock = new FakeClock(Date.UTC(2026, 0, 1));
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream({ clock });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

const call = (path: string, options?: HttpCallOptions) => httpCall(`${upstream.url}${path}`, options);
const chat = sampleChat;
const contents = sampleContents;
const openai = (key: string) => ({ authorization: `Bearer ${key}` });

/** One request per protocol, all carrying the key `k`. */
const ENDPOINTS = {
  openai: { path: '/v1/chat/completions', body: sampleChat('hi'), headers: { authorization: 'Bearer k' } },
  anthropic: { path: '/v1/messages', body: sampleMessages('hi'), headers: { 'x-api-key': 'k' } },
  gemini: {
    path: '/v1beta/models/gemini-2.5-pro:generateContent',
    body: sampleContents('hi'),
    headers: { 'x-goog-api-key': 'k' },
  },
  'code-assist': {
    path: '/v1internal:generateContent',
    body: { model: 'gemini-2.5-pro', project: 'p', request: sampleContents('hi') },
    headers: { authorization: 'Bearer k' },
  },
} as const;
type EndpointName = keyof typeof ENDPOINTS;

async function hit(endpoint: EndpointName, extraBody: Record<string, unknown> = {}, query = '') {
  const { path, body, headers } = ENDPOINTS[endpoint];
  return call(`${path}${query}`, { body: { ...body, ...extraBody }, headers });
}

/** Reads a streamed answer until it ends or the connection drops. */
async function readUntilDrop(path: string, options: { body: unknown; headers: Record<string, string> }) {
  const response = await request(`${upstream.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(options.body),
  });
  let text = '';
  try {
    for await (const piece of response.body) text += String(piece);
  } catch (error) {
    return { status: response.statusCode, text, dropped: true, error };
  }
  return { status: response.statusCode, text, dropped: false, error: null };
}

describe('error presets in the shape of the endpoint hit', () => {
  it.each([
    {
      endpoint: 'openai',
      behaviour: rateLimited({ retryAfter: '7' }),
      headers: { 'retry-after': '7' },
      body: { error: { type: 'requests', code: 'rate_limit_exceeded', param: null } },
    },
    {
      endpoint: 'openai',
      behaviour: rateLimited({ openaiCode: 'insufficient_quota' }),
      headers: {},
      body: { error: { type: 'insufficient_quota', code: 'insufficient_quota' } },
    },
    {
      endpoint: 'anthropic',
      behaviour: rateLimited({ retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' }),
      headers: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' },
      body: { type: 'error', error: { type: 'rate_limit_error' } },
    },
    {
      endpoint: 'gemini',
      behaviour: rateLimited({ googleRetryDelay: '1.5s' }),
      headers: {},
      body: {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' },
            { '@type': 'type.googleapis.com/google.rpc.QuotaFailure' },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' },
          ],
        },
      },
    },
    {
      endpoint: 'code-assist',
      behaviour: rateLimited({ quotaResetDelay: '3h2m1s' }),
      headers: {},
      body: {
        error: {
          details: [
            {
              reason: 'QUOTA_EXHAUSTED',
              domain: 'cloudcode-pa.googleapis.com',
              metadata: {
                model: 'gemini-2.5-pro',
                quotaResetDelay: '3h2m1s',
                quotaResetTimeStamp: '2026-01-01T03:02:01Z',
              },
            },
            {},
          ],
        },
      },
    },
  ] as const)('rate limit on $endpoint: 429 with its headers and body', async (row) => {
    upstream.script('k', row.behaviour);
    const reply = await hit(row.endpoint);
    expect(reply.status).toBe(429);
    expect(reply.headers).toMatchObject(row.headers);
    expect(reply.json).toMatchObject(row.body);
  });

  it('adds retry-after-ms, Anthropic reset headers and the provider’s reset headers when asked', async () => {
    const resetHeaders = { remaining: 0, limit: 60, reset: 360 };
    upstream.script(
      'k',
      rateLimited({ retryAfter: '30', retryAfterMs: 30_000, anthropic: true, resetHeaders }),
    );
    upstream.script('k', rateLimited({ resetHeaders }));
    const first = await hit('openai');
    expect(first.headers).toMatchObject({
      'retry-after-ms': '30000',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:30Z',
      'x-ratelimit-reset-requests': '6m0s',
      'x-ratelimit-remaining-requests': '0',
    });
    const second = await hit('anthropic');
    expect(second.headers['anthropic-ratelimit-requests-reset']).toBe('2026-01-01T00:06:00Z');
  });

  it.each([
    { endpoint: 'openai', code: 500, body: { error: { type: 'server_error' } } },
    { endpoint: 'anthropic', code: 529, body: { type: 'error', error: { type: 'overloaded_error' } } },
    { endpoint: 'anthropic', code: 500, body: { type: 'error', error: { type: 'api_error' } } },
    { endpoint: 'gemini', code: 503, body: { error: { code: 503, status: 'UNAVAILABLE' } } },
    { endpoint: 'code-assist', code: 500, body: { error: { code: 500, status: 'INTERNAL' } } },
  ] as const)('server error $code on $endpoint', async (row) => {
    upstream.script('k', serverError(row.code));
    const reply = await hit(row.endpoint);
    expect(reply.status).toBe(row.code);
    expect(reply.json).toMatchObject(row.body);
  });

  it.each([
    { endpoint: 'openai', body: { error: { code: 'invalid_api_key' } } },
    { endpoint: 'anthropic', body: { error: { type: 'authentication_error' } } },
    { endpoint: 'gemini', body: { error: { status: 'UNAUTHENTICATED' } } },
  ] as const)('unauthorized on $endpoint is a 401', async (row) => {
    upstream.script('k', unauthorized());
    const reply = await hit(row.endpoint);
    expect(reply.status).toBe(401);
    expect(reply.json).toMatchObject(row.body);
  });

  it('forbidden with a validation URL uses Google’s VALIDATION_REQUIRED shape, and names the URL elsewhere', async () => {
    const validationUrl = 'https://accounts.google.com/signin/continue?x=1';
    upstream.script('k', forbidden({ validationUrl }), forbidden({ validationUrl }), forbidden());
    const google = await hit('code-assist');
    expect(google.status).toBe(403);
    expect(pick(google.json, 'error', 'details', 0)).toMatchObject({
      reason: 'VALIDATION_REQUIRED',
      metadata: { validation_url: validationUrl },
    });
    const anthropic = await hit('anthropic');
    expect(pick(anthropic.json, 'error', 'message')).toContain(validationUrl);
    const plain = await hit('gemini');
    expect(plain.json).toEqual({
      error: { code: 403, message: expect.any(String), status: 'PERMISSION_DENIED' },
    });
  });

  it('status sends the given status, headers and raw body verbatim', async () => {
    upstream.script('k', status(418, { headers: { 'x-teapot': 'yes' }, body: 'short and stout' }));
    const reply = await hit('openai');
    expect(reply).toMatchObject({ status: 418, text: 'short and stout', headers: { 'x-teapot': 'yes' } });
  });

  it('merges extra headers into a preset', async () => {
    upstream.script('k', { ...serverError(503), headers: { 'x-extra': '1' } });
    expect((await hit('gemini')).headers['x-extra']).toBe('1');
  });
});

describe('rate-limit headers on normal answers', () => {
  it('renders x-ratelimit-* for OpenAI and anthropic-ratelimit-* (RFC 3339) for Anthropic', async () => {
    const rateLimitHeaders = [
      { remaining: 9, limit: 10, reset: 1.5 },
      { remaining: 900, limit: 1000, reset: 3723, resource: 'tokens' as const },
    ];
    upstream.setDefault('k', ok({ rateLimitHeaders }));
    expect((await hit('openai')).headers).toMatchObject({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '9',
      'x-ratelimit-reset-requests': '1.5s',
      'x-ratelimit-reset-tokens': '1h2m3s',
    });
    expect((await hit('anthropic')).headers).toMatchObject({
      'anthropic-ratelimit-requests-remaining': '9',
      'anthropic-ratelimit-tokens-limit': '1000',
      'anthropic-ratelimit-tokens-reset': '2026-01-01T01:02:03Z',
    });
  });
});

describe('timing and connection faults', () => {
  it('slowFirstByte holds the head back for the given time', async () => {
    upstream.script('k', slowFirstByte(50));
    const started = systemClock.now();
    const reply = await hit('openai');
    expect(reply.status).toBe(200);
    expect(systemClock.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('chunkDelayMs spaces the stream events out', async () => {
    upstream.script('k', ok({ chunks: 3, chunkDelayMs: 15 }));
    const started = systemClock.now();
    await hit('openai', { stream: true });
    // role chunk, 3 deltas, finish chunk, [DONE]: five pauses.
    expect(systemClock.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('dropMidStream writes the preamble and N content chunks, then cuts the connection', async () => {
    upstream.script('k', dropMidStream({ afterChunks: 1 }), dropMidStream({ afterChunks: 0 }));
    const { path, body, headers } = ENDPOINTS.openai;
    const openaiRead = await readUntilDrop(path, { body: { ...body, stream: true }, headers });
    expect(openaiRead).toMatchObject({ status: 200, dropped: true });
    const deltas = parseSse(openaiRead.text).filter((event) => event.data.includes('"content":"e'));
    expect(deltas).toHaveLength(1);
    expect(openaiRead.text).not.toContain('[DONE]');
    const anthropicRead = await readUntilDrop(ENDPOINTS.anthropic.path, {
      body: { ...ENDPOINTS.anthropic.body, stream: true },
      headers: ENDPOINTS.anthropic.headers,
    });
    expect(anthropicRead.dropped).toBe(true);
    expect(parseSse(anthropicRead.text).map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
    ]);
  });

  it('dropMidStream cuts a JSON answer in half', async () => {
    upstream.script('k', dropMidStream({ afterChunks: 0 }));
    const read = await readUntilDrop(ENDPOINTS.gemini.path, ENDPOINTS.gemini);
    expect(read.dropped).toBe(true);
    expect(read.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(read.text)).toThrow();
  });

  it('endEarly writes N content chunks and ends cleanly, without the closing events', async () => {
    upstream.script(
      'k',
      endEarly({ afterChunks: 1 }),
      endEarly({ afterChunks: 1 }),
      endEarly({ afterChunks: 0 }),
    );
    const openaiRead = await readUntilDrop(ENDPOINTS.openai.path, {
      body: { ...ENDPOINTS.openai.body, stream: true },
      headers: ENDPOINTS.openai.headers,
    });
    expect(openaiRead).toMatchObject({ status: 200, dropped: false });
    expect(openaiRead.text).not.toContain('[DONE]');
    expect(openaiRead.text).not.toContain('finish_reason":"stop');
    const anthropicRead = await readUntilDrop(ENDPOINTS.anthropic.path, {
      body: { ...ENDPOINTS.anthropic.body, stream: true },
      headers: ENDPOINTS.anthropic.headers,
    });
    expect(anthropicRead.dropped).toBe(false);
    expect(parseSse(anthropicRead.text).map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
    ]);
    const json = await readUntilDrop(ENDPOINTS.gemini.path, ENDPOINTS.gemini);
    expect(json).toMatchObject({ status: 200, dropped: false });
    expect(() => JSON.parse(json.text)).toThrow();
  });

  it('dropBeforeFirstByte fails the request without any answer', async () => {
    upstream.script('k', dropBeforeFirstByte());
    await expect(hit('anthropic')).rejects.toThrow();
    expect(upstream.hits('k')).toBe(1);
    expect((await hit('anthropic')).status).toBe(200);
  });

  it('hang never answers, and close() releases hanging and delayed requests at once', async () => {
    const own = await startMockUpstream();
    own.script('h', hang(), slowFirstByte(60_000));
    const send = () =>
      httpCall(`${own.url}/v1/chat/completions`, { body: chat('x'), headers: openai('h') }).then(
        () => 'answered',
        () => 'failed',
      );
    const outcomes = Promise.all([send(), send()]);
    await vi.waitFor(() => expect(own.requests).toHaveLength(2));
    const started = systemClock.now();
    await own.close();
    expect(await outcomes).toEqual(['failed', 'failed']);
    expect(systemClock.now() - started).toBeLessThan(1000);
  });
});

describe('errors inside a stream', () => {
  it('Anthropic: event: error before any content, then the stream ends', async () => {
    upstream.script('k', inStreamError({ beforeContent: true }));
    const reply = await hit('anthropic', { stream: true });
    const events = parseSse(reply.text);
    expect(reply.status).toBe(200);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'error',
    ]);
    expect(JSON.parse(events[3]?.data ?? '')).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error' },
    });
  });

  it('OpenAI: a data error object after the first delta, without [DONE]', async () => {
    upstream.script('k', inStreamError({ beforeContent: false, message: 'boom' }));
    const reply = await hit('openai', { stream: true });
    const data = parseSse(reply.text).map((event) => event.data);
    expect(data).toHaveLength(3);
    expect(data[1]).toContain('"content":"');
    expect(JSON.parse(data[2] ?? '')).toMatchObject({ error: { message: 'boom', type: 'server_error' } });
  });

  it('Gemini: a Google error object as an SSE event or as an element of the JSON array', async () => {
    upstream.script('k', inStreamError({ beforeContent: true }), inStreamError({ beforeContent: false }));
    const path = '/v1beta/models/gemini-2.5-pro:streamGenerateContent';
    const sse = await call(`${path}?alt=sse`, { body: contents('x'), headers: { 'x-goog-api-key': 'k' } });
    expect(parseSse(sse.text).map((event) => JSON.parse(event.data))).toEqual([
      { error: { code: 503, message: expect.any(String), status: 'UNAVAILABLE' } },
    ]);
    const array = await call(path, { body: contents('x'), headers: { 'x-goog-api-key': 'k' } });
    expect(array.json).toEqual([
      expect.objectContaining({ candidates: expect.any(Array) }),
      { error: expect.anything() },
    ]);
  });

  it('a non-stream request gets the error as a status instead', async () => {
    upstream.script('k', inStreamError({ beforeContent: true }), inStreamError({ beforeContent: true }));
    expect((await hit('anthropic')).status).toBe(529);
    expect((await hit('openai')).status).toBe(500);
  });
});

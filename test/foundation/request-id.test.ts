/**
 * Every proxied answer carries `X-Request-Id` (DESIGN.md), the refusals raised before the gateway
 * runs included — bad JSON, a missing key (401), a body over `max_body_bytes` (413) — each still in
 * its protocol's own error shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { sampleChat, sampleContents, sampleMessages } from '../support/sample-requests.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    config: { proxy: { auth_mode: 'strict', max_body_bytes: 2048 } },
    accounts: [
      { provider: 'openai', email: 'o@example.com', api_key: 'sk-up-openai', base_url: `${upstream.url}/v1` },
    ],
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const ROUTES = [
  {
    protocol: 'OpenAI',
    path: '/v1/chat/completions',
    body: sampleChat('hi'),
    shape: (type: string) => ({ error: { type, message: expect.any(String) } }),
  },
  {
    protocol: 'Anthropic',
    path: '/v1/messages',
    body: sampleMessages('hi'),
    shape: (type: string) => ({ type: 'error', error: { type, message: expect.any(String) } }),
  },
  {
    protocol: 'Gemini',
    path: '/v1beta/models/gemini-2.5-flash:generateContent',
    body: sampleContents('hi'),
    shape: (status: string) => ({ error: { status, message: expect.any(String) } }),
  },
];

const EXPECTED_TYPES: Record<string, Record<number, string>> = {
  OpenAI: { 400: 'invalid_request_error', 401: 'authentication_error', 413: 'invalid_request_error' },
  Anthropic: { 400: 'invalid_request_error', 401: 'authentication_error', 413: 'request_too_large' },
  Gemini: { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 413: 'INVALID_ARGUMENT' },
};

const seen = new Set<string>();

/** The answer's request id, checked well-formed and never seen before. */
function requestIdOf(headers: Record<string, string | string[] | undefined>): string {
  const id = headers['x-request-id'];
  expect(id).toEqual(expect.stringMatching(/^req_/));
  expect(seen.has(String(id))).toBe(false);
  seen.add(String(id));
  return String(id);
}

describe.each(ROUTES)('$protocol', ({ protocol, path, body, shape }) => {
  const auth = () => ({ authorization: `Bearer ${gateway.apiKey}`, 'x-api-key': gateway.apiKey });

  it('a body that is not JSON gets 400 with X-Request-Id', async () => {
    const answer = await gateway.call('POST', path, { raw: '{"model": ', headers: auth() });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject(shape(EXPECTED_TYPES[protocol]![400]!));
    requestIdOf(answer.headers);
  });

  it('a request without the key gets 401 with X-Request-Id', async () => {
    const answer = await gateway.call('POST', path, { body });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject(shape(EXPECTED_TYPES[protocol]![401]!));
    requestIdOf(answer.headers);
  });

  it('a body over max_body_bytes gets 413 with X-Request-Id', async () => {
    const large = { ...body, padding: 'x'.repeat(4096) };
    const answer = await gateway.call('POST', path, { body: large, headers: auth() });
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject(shape(EXPECTED_TYPES[protocol]![413]!));
    requestIdOf(answer.headers);
  });
});

it('a proxied success carries X-Request-Id once', async () => {
  const answer = await gateway.call('POST', '/v1/chat/completions', {
    body: sampleChat('hi'),
    headers: { authorization: `Bearer ${gateway.apiKey}` },
  });
  expect(answer.status).toBe(200);
  requestIdOf(answer.headers);
});

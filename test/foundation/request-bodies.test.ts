/**
 * Request bodies are bounded in time and in memory: a body that stops arriving gets 408 in the
 * route's error shape and its connection closed; bodies beyond the in-flight budget wait briefly,
 * then get 503 with Retry-After — while small requests and /healthz go on being served.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      { provider: 'openai', email: 'a@example.com', api_key: 'sk-a', base_url: `${upstream.url}/v1` },
    ],
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const BUDGET = 200_000;

beforeEach(async () => {
  const proxy = {
    headers_timeout: 30,
    body_timeout: 30,
    max_body_bytes_in_flight: BUDGET,
    body_budget_wait_seconds: 0,
  };
  expect((await gateway.call('PUT', '/api/config', { body: { proxy } })).status).toBe(200);
});

/** A Chat Completions body of exactly `bytes` bytes. */
function chatBody(bytes: number): string {
  const empty = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: '' }] });
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'x'.repeat(bytes - empty.length) }],
  });
}

/**
 * A request whose headers and first `sent` body bytes go out now; the rest when `finish` is called.
 * It resolves once the gateway has taken the request in (its `100 Continue` came back): from then on
 * its body counts against the budget.
 */
async function partialRequest(options: { path: string; body: string; sent: number }) {
  const url = new URL(gateway.url);
  const socket: Socket = connect(Number(url.port), url.hostname);
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    answer += text;
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const until = async (text: string) => {
    for (let round = 0; round < 400 && !answer.includes(text); round++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    return answer;
  };
  socket.write(
    `POST ${options.path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
      `Expect: 100-continue\r\nContent-Length: ${Buffer.byteLength(options.body)}\r\n\r\n`,
  );
  expect(await until('100 Continue')).toMatch(/^HTTP\/1\.1 100 Continue/);
  socket.write(options.body.slice(0, options.sent));
  return {
    finish: () => socket.write(options.body.slice(options.sent)),
    /** Resolves with the raw HTTP answer once the gateway closed the connection. */
    closed: () => closed.then(() => answer),
    /** Resolves with the raw answer once it holds `text`. */
    answered: async (text: string) => {
      await until(text);
      socket.destroy();
      return answer;
    },
    destroy: () => socket.destroy(),
  };
}

/**
 * Waits (bounded) until the gateway holds a partial body of 150 000 bytes: then a 60 000-byte body
 * no longer fits the budget and, with no wait configured, is refused at once.
 */
async function untilHeld(): Promise<void> {
  for (let round = 0; round < 40; round++) {
    const probe = await gateway.call('POST', '/v1/chat/completions', { raw: chatBody(60_000) });
    if (probe.status === 503) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the partial body was never held');
}

describe('request body timeout', () => {
  it('answers 408 in the route protocol shape and closes the connection when a body stalls', async () => {
    await gateway.call('PUT', '/api/config', { body: { proxy: { body_timeout: 1 } } });
    const stalled = await partialRequest({ path: '/v1/messages', body: chatBody(1000), sent: 10 });
    const answer = await stalled.closed();
    expect(answer).toContain('\r\nHTTP/1.1 408 ');
    expect(answer.toLowerCase()).toContain('connection: close');
    const body = JSON.parse(answer.slice(answer.lastIndexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ type: 'error', error: { message: expect.stringMatching(/body_timeout/) } });
    expect((await gateway.call('GET', '/healthz')).status).toBe(200);
  });
});

describe('request headers timeout', () => {
  it('closes a connection whose headers never complete', async () => {
    await gateway.call('PUT', '/api/config', { body: { proxy: { headers_timeout: 1 } } });
    const url = new URL(gateway.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: appl`);
    let answer = '';
    socket.setEncoding('utf8').on('data', (text: string) => {
      answer += text;
    });
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    await gateway.call('PUT', '/api/config', { body: { proxy: { headers_timeout: 30 } } });
    expect((await gateway.call('GET', '/healthz')).status).toBe(200);
  });
});

describe('request body budget', () => {
  it('answers 503 with Retry-After beyond the budget, and keeps serving small requests and /healthz', async () => {
    const holder = await partialRequest({
      path: '/v1/chat/completions',
      body: chatBody(150_000),
      sent: 1000,
    });
    await untilHeld();
    const refused = await gateway.call('POST', '/v1/chat/completions', { raw: chatBody(100_000) });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(pick(refused.json, 'error', 'message')).toMatch(/max_body_bytes_in_flight/);
    expect(pick(refused.json, 'error', 'type')).toBe('api_error');
    expect((await gateway.call('GET', '/healthz')).status).toBe(200);
    const small = await gateway.call('POST', '/v1/chat/completions', { raw: chatBody(10_000) });
    expect(small.status).toBe(200);
    holder.finish();
    expect(await holder.answered('"choices"')).toContain('\r\nHTTP/1.1 200 ');
  });

  it('admits a waiting body as soon as the bodies in flight are done', async () => {
    const holder = await partialRequest({
      path: '/v1/chat/completions',
      body: chatBody(150_000),
      sent: 1000,
    });
    await untilHeld();
    await gateway.call('PUT', '/api/config', { body: { proxy: { body_budget_wait_seconds: 20 } } });
    let waitingDone = false;
    const waiting = gateway
      .call('POST', '/v1/chat/completions', { raw: chatBody(100_000) })
      .then((result) => {
        waitingDone = true;
        return result;
      });
    // Still waiting while the first body is held (a body that were let in would be answered by now).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(waitingDone).toBe(false);
    const holderAnswer = holder.answered('"choices"');
    holder.finish();
    expect(await holderAnswer).toContain('\r\nHTTP/1.1 200 ');
    expect((await waiting).status).toBe(200);
  });

  it('gives the budget back when a client leaves in the middle of its body', async () => {
    const leaver = await partialRequest({
      path: '/v1/chat/completions',
      body: chatBody(150_000),
      sent: 1000,
    });
    await untilHeld();
    leaver.destroy();
    let status = 503;
    for (let round = 0; round < 40 && status === 503; round++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await gateway.call('POST', '/v1/chat/completions', { raw: chatBody(150_000) })).status;
    }
    expect(status).toBe(200);
  });
});

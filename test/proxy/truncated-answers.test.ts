/**
 * An upstream answer that ends cleanly but mid-answer (no `[DONE]` / finish reason, no
 * `message_stop`, no `finishReason`, or half a JSON body) is never relayed as a success in
 * pass-through: after the first byte the stream ends with the protocol's error event, before it the
 * request fails over (and ends in a 502 when no account answers in full) — as translated paths do.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { endEarly, type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { parseSse } from '../support/parse-sse.js';

interface Case {
  provider: 'openai' | 'anthropic' | 'gemini';
  model: string;
  request(stream: boolean): { path: string; body: unknown };
  /** The protocol's own end of a complete stream. */
  completeEnd: string;
  /** Whether a parsed error event or body has the protocol's error shape. */
  isError(payload: unknown): boolean;
}

const text = 'a question that is long enough to be answered';

const CASES: Case[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    request: (stream) => ({
      path: '/v1/chat/completions',
      body: { model: 'gpt-4o', stream, messages: [{ role: 'user', content: text }] },
    }),
    completeEnd: '[DONE]',
    isError: (payload) => typeof (payload as { error?: { message?: unknown } }).error?.message === 'string',
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    request: (stream) => ({
      path: '/v1/messages',
      body: {
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        stream,
        messages: [{ role: 'user', content: text }],
      },
    }),
    completeEnd: 'message_stop',
    isError: (payload) => (payload as { type?: unknown }).type === 'error',
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-pro',
    request: (stream) => ({
      path: `/v1beta/models/gemini-2.5-pro:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      body: { contents: [{ role: 'user', parts: [{ text }] }] },
    }),
    completeEnd: 'finishReason',
    isError: (payload) => typeof (payload as { error?: { code?: unknown } }).error?.code === 'number',
  },
];

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: CASES.flatMap((entry) =>
      ['one', 'two'].map((name) => ({
        provider: entry.provider,
        email: `${entry.provider}-${name}@example.com`,
        api_key: `${entry.provider}-${name}`,
        base_url: entry.provider === 'openai' ? `${upstream.url}/v1` : upstream.url,
        models: [entry.model],
      })),
    ),
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

beforeEach(async () => {
  upstream.reset();
  await gateway.call('DELETE', '/api/proxy/rate-limits');
});

describe.each(CASES)('$provider client → $provider account (pass-through)', (entry) => {
  const send = (stream: boolean) => {
    const { path, body } = entry.request(stream);
    return gateway.call('POST', path, { body });
  };

  it('ends a stream cut short after the first output with the protocol error event', async () => {
    upstream.script('*', endEarly({ afterChunks: 1 }));
    const result = await send(true);
    expect(result.status).toBe(200);
    const events = parseSse(result.text);
    expect(result.text).not.toContain(entry.completeEnd);
    expect(entry.isError(JSON.parse(events.at(-1)?.data ?? 'null'))).toBe(true);
  });

  it('fails over when the stream ends before any output, then relays a complete answer', async () => {
    upstream.script('*', endEarly({ afterChunks: 0 }));
    const result = await send(true);
    expect(result.status).toBe(200);
    expect(result.text).toContain(entry.completeEnd);
    expect(upstream.requests).toHaveLength(2);
  });

  it('fails over on half a JSON answer, and answers 502 when no account answers in full', async () => {
    upstream.script('*', endEarly({ afterChunks: 0 }));
    const recovered = await send(false);
    expect(recovered.status).toBe(200);
    expect(recovered.json).toBeDefined();
    await gateway.call('DELETE', '/api/proxy/rate-limits');
    upstream.script(
      '*',
      endEarly({ afterChunks: 0 }),
      endEarly({ afterChunks: 0 }),
      endEarly({ afterChunks: 0 }),
    );
    const failed = await send(false);
    expect(failed.status).toBe(502);
    expect(entry.isError(failed.json)).toBe(true);
  });
});

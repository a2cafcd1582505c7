/**
 * OpenAI Chat streams carry usage only when the client asks (`stream_options.include_usage`). The
 * gateway asks on the client's behalf, so every streamed request counts in usage and key budgets,
 * and drops the usage-only chunk the client did not ask for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';
import { parseSseJson } from '../support/parse-sse.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      { provider: 'openai', email: 'o@example.com', api_key: 'sk-o', base_url: `${upstream.url}/v1` },
    ],
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const messages = [{ role: 'user', content: 'count the tokens of this streamed request' }];

function chunks(text: string): Array<Record<string, unknown>> {
  return parseSseJson(text) as Array<Record<string, unknown>>;
}

async function lastLogRow(): Promise<{ input_tokens: number; output_tokens: number }> {
  const logs = await gateway.call('GET', '/api/logs');
  return (logs.json as { logs: Array<{ input_tokens: number; output_tokens: number }> }).logs[0]!;
}

describe('an OpenAI Chat stream passed through', () => {
  it('is counted even when the client did not ask for usage, and the client gets no usage chunk', async () => {
    upstream.reset();
    const answer = await gateway.call('POST', '/v1/chat/completions', {
      body: { model: 'gpt-4o', stream: true, messages, stream_options: { extra: 1 } },
    });

    expect(answer.status).toBe(200);
    expect(upstream.requestsFor('sk-o').at(-1)?.body).toMatchObject({
      stream_options: { extra: 1, include_usage: true },
    });
    const received = chunks(answer.text);
    expect(received.length).toBeGreaterThan(0);
    expect(
      received.some(
        (chunk) => 'usage' in chunk && Array.isArray(chunk['choices']) && chunk['choices'].length === 0,
      ),
    ).toBe(false);
    expect(answer.text.trim().endsWith('data: [DONE]')).toBe(true);
    const row = await lastLogRow();
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.output_tokens).toBeGreaterThan(0);
  });

  it('stays byte-exact and keeps the usage chunk when the client asked for it', async () => {
    upstream.reset();
    const body = { model: 'gpt-4o', stream: true, messages, stream_options: { include_usage: true } };
    const answer = await gateway.call('POST', '/v1/chat/completions', { body });

    expect(upstream.requestsFor('sk-o').at(-1)?.rawBody).toBe(JSON.stringify(body));
    const usageChunk = chunks(answer.text).find((chunk) => 'usage' in chunk && chunk['usage'] !== null);
    expect(usageChunk).toBeDefined();
  });
});

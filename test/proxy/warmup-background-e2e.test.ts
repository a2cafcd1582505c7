import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CLAUDE_CODE_TURN,
  claudeCodeSideRequest,
  claudeCodeWarmup,
  TITLE_INSTRUCTION,
} from '../support/claude-code-requests.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeEach(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [{ provider: 'anthropic', email: 'a@example.com', api_key: 'sk-a', base_url: upstream.url }],
  });
});

afterEach(async () => {
  await gateway.close();
  await upstream.close();
});

const messages = (body: Record<string, unknown>) =>
  gateway.call('POST', '/v1/messages', { admin: false, body });

describe("Claude Code's warmup probes", () => {
  it('are answered here, streamed in the Anthropic shape, without an upstream call, and logged as such', async () => {
    const answer = await messages({ ...claudeCodeWarmup(), stream: true });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-switchyard-local']).toBe('warmup');
    expect(answer.text).toContain('event: message_start');
    expect(answer.text).toContain('event: message_stop');
    expect(upstream.requests).toHaveLength(0);

    await gateway.runtime.services.observability.writer.flush();
    const logs = (await gateway.call('GET', '/api/logs')).json;
    expect(pick(logs, 'logs', 0, 'local_reply')).toBe('warmup');
    expect(pick(logs, 'logs', 0, 'account_email')).toBeNull();
  });

  it('are answered as JSON when no stream is asked for', async () => {
    const answer = await messages({ ...claudeCodeWarmup(), stream: false });
    expect(pick(answer.json, 'type')).toBe('message');
    expect(pick(answer.json, 'content', 0, 'text')).toBe('OK');
    expect(upstream.requests).toHaveLength(0);
  });

  it('go upstream when interception is off', async () => {
    await gateway.call('PUT', '/api/config', { body: { proxy: { warmup: { intercept: false } } } });
    const answer = await messages({ ...claudeCodeWarmup(), stream: false });
    expect(answer.status).toBe(200);
    expect(upstream.hits('sk-a')).toBe(1);
  });
});

describe("Gemini clients' warmup probes", () => {
  const warmup = { contents: [{ role: 'user', parts: [{ text: 'Warmup' }] }] };
  const gemini = (method: string) =>
    gateway.call('POST', `/v1beta/models/gemini-2.5-flash:${method}`, { admin: false, body: warmup });

  it('streamed without alt=sse are answered as the JSON array Gemini streams then, not SSE', async () => {
    const answer = await gemini('streamGenerateContent');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['x-switchyard-local']).toBe('warmup');
    expect(Array.isArray(answer.json)).toBe(true);
    expect(pick(answer.json, 0, 'candidates', 0, 'content', 'parts', 0, 'text')).toBe('OK');
    expect(pick(answer.json, 0, 'candidates', 0, 'finishReason')).toBe('STOP');
    expect(upstream.requests).toHaveLength(0);
  });

  it('streamed with alt=sse are answered as SSE chunks', async () => {
    const answer = await gemini('streamGenerateContent?alt=sse');
    expect(answer.headers['content-type']).toMatch(/^text\/event-stream/);
    const chunks = answer.text
      .split(/\r?\n\r?\n/)
      .filter((frame) => frame.startsWith('data: '))
      .map((frame) => JSON.parse(frame.slice('data: '.length)) as unknown);
    expect(chunks.map((chunk) => pick(chunk, 'candidates', 0, 'content', 'parts', 0, 'text'))).toContain(
      'OK',
    );
    expect(upstream.requests).toHaveLength(0);
  });

  it('not streamed are answered as one GenerateContentResponse', async () => {
    const answer = await gemini('generateContent');
    expect(pick(answer.json, 'candidates', 0, 'content', 'parts', 0, 'text')).toBe('OK');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('background tasks', () => {
  const title = () =>
    claudeCodeSideRequest({ instruction: TITLE_INSTRUCTION, userText: 'fix the login test', stream: false });

  it('keep the model asked for while the rule is off (the default)', async () => {
    await messages(title());
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: pick(title(), 'model') });
  });

  it('go to the configured model when the rule is on; a real turn keeps its model', async () => {
    await gateway.call('PUT', '/api/config', {
      body: { proxy: { background_tasks: { enabled: true, model: 'claude-cheap' } } },
    });
    const side = await messages(title());
    expect(side.headers['x-mapped-model']).toBe('claude-cheap');
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: 'claude-cheap' });

    await messages({ ...CLAUDE_CODE_TURN, stream: false });
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: CLAUDE_CODE_TURN['model'] });
  });
});

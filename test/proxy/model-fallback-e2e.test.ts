import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import { type CapturedLogs, captureLogs } from '../support/log-capture.js';
import { type MockUpstream, rateLimited, startMockUpstream, status } from '../support/mock-upstream.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;
let logs: CapturedLogs;

beforeEach(async () => {
  upstream = await startMockUpstream();
  logs = captureLogs({ level: 'info' });
  gateway = await startGateway({
    logger: logs.logger,
    config: { proxy: { custom_mapping: { big: ['model-a', 'claude-b'] } } },
    accounts: [
      {
        provider: 'openai',
        email: 'openai@example.com',
        api_key: 'sk-a',
        base_url: `${upstream.url}/v1`,
        models: ['model-a', 'gpt-*'],
      },
      {
        provider: 'anthropic',
        email: 'anthropic@example.com',
        api_key: 'sk-b',
        base_url: upstream.url,
        models: ['claude-*'],
      },
    ],
  });
});

afterEach(async () => {
  await gateway.close();
  await upstream.close();
});

const chat = (model: string, text = 'hello there') =>
  gateway.call('POST', '/v1/chat/completions', {
    admin: false,
    body: { model, messages: [{ role: 'user', content: text }] },
  });

async function loggedRequests(): Promise<Array<Record<string, unknown>>> {
  await gateway.runtime.services.observability.writer.flush();
  return pick((await gateway.call('GET', '/api/logs')).json, 'logs') as Array<Record<string, unknown>>;
}

describe('fallback chains', () => {
  it('serves from the next model (translated) while every account of the first is limited, then returns', async () => {
    upstream.script('sk-a', rateLimited({ retryAfter: '600' }));

    const limited = await chat('big');
    expect(limited.status).toBe(200);
    expect(limited.headers['x-mapped-model']).toBe('claude-b');
    expect(limited.headers['x-account-email']).toBe('anthropic@example.com');
    expect(pick(limited.json, 'object')).toBe('chat.completion');
    expect(upstream.requestsFor('sk-b').at(-1)?.body).toMatchObject({ model: 'claude-b' });

    // The first model's account is still locked: the next request goes to the fallback at once.
    const again = await chat('big', 'second');
    expect(again.headers['x-mapped-model']).toBe('claude-b');
    expect(upstream.hits('sk-a')).toBe(1);

    const logs = await loggedRequests();
    expect(logs.map((log) => log['models_tried'])).toContainEqual(['model-a', 'claude-b']);
    expect(logs.every((log) => log['mapped_model'] === 'claude-b')).toBe(true);

    // Once the first model is free again, new requests are served by it again.
    expect((await gateway.call('DELETE', '/api/proxy/rate-limits')).status).toBe(200);
    const back = await chat('big', 'third');
    expect(back.headers['x-mapped-model']).toBe('model-a');
    expect(upstream.hits('sk-a')).toBe(2);
  });

  it('warns when a conversation moves to the next model, since its prompt cache does not carry over', async () => {
    const turn = (text: string) =>
      gateway.call('POST', '/v1/chat/completions', {
        admin: false,
        headers: { 'session-id': 'conversation-1' },
        body: { model: 'big', messages: [{ role: 'user', content: text }] },
      });
    expect((await turn('first turn')).headers['x-mapped-model']).toBe('model-a');
    upstream.script('sk-a', rateLimited({ retryAfter: '600' }));
    expect((await turn('second turn')).headers['x-mapped-model']).toBe('claude-b');

    const moves = logs.lines.filter((line) => String(line['msg']).startsWith('conversation '));
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ level: 40, from: 'model-a', to: 'claude-b' });
    expect(String(moves[0]?.['msg'])).toContain('prompt cache');
  });

  it('answers with the client error of the first model without trying the next', async () => {
    upstream.script(
      'sk-a',
      status(400, { body: { error: { message: 'bad field', type: 'invalid_request_error' } } }),
    );
    const refused = await chat('big');
    expect(refused.status).toBe(400);
    expect(upstream.hits('sk-b')).toBe(0);
  });
});

describe('a model no account knows', () => {
  const modelNotFound = () =>
    status(404, {
      body: {
        error: {
          message: 'The model `gpt-nope` does not exist',
          type: 'invalid_request_error',
          code: 'model_not_found',
        },
      },
    });

  it("is a 404 in the client's shape that locks no account", async () => {
    upstream.script('sk-a', modelNotFound());
    const missing = await chat('gpt-nope');
    expect(missing.status).toBe(404);
    expect(pick(missing.json, 'error', 'code')).toBe('model_not_found');
    expect(pick(missing.json, 'error', 'type')).toBe('not_found_error');

    const locks = await gateway.call('GET', '/api/proxy/rate-limits');
    expect(JSON.stringify(locks.json)).not.toContain(gateway.accountIds['openai@example.com']);
    const served = await chat('gpt-4o');
    expect(served.status).toBe(200);
    expect(upstream.hits('sk-a')).toBe(2);
  });

  it('is a 404 in the Anthropic shape for an Anthropic client', async () => {
    upstream.script(
      'sk-b',
      status(404, {
        body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } },
      }),
    );
    const missing = await gateway.call('POST', '/v1/messages', {
      admin: false,
      body: { model: 'claude-nope', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(missing.status).toBe(404);
    expect(pick(missing.json, 'type')).toBe('error');
    expect(pick(missing.json, 'error', 'type')).toBe('not_found_error');
    const served = await gateway.call('POST', '/v1/messages', {
      admin: false,
      body: { model: 'claude-ok', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(served.status).toBe(200);
  });
});

describe('a prompt too long for the upstream', () => {
  it('reaches a translated Anthropic client as invalid_request_error "prompt is too long"', async () => {
    upstream.script(
      'sk-a',
      status(400, {
        body: {
          error: {
            message: "This model's maximum context length is 128000 tokens.",
            type: 'invalid_request_error',
            code: 'context_length_exceeded',
          },
        },
      }),
    );
    const tooLong = await gateway.call('POST', '/v1/messages', {
      admin: false,
      body: { model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'a very long prompt' }] },
    });
    expect(tooLong.status).toBe(400);
    expect(pick(tooLong.json, 'error', 'type')).toBe('invalid_request_error');
    expect(String(pick(tooLong.json, 'error', 'message'))).toMatch(/^prompt is too long: /);
  });
});

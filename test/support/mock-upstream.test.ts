import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { type HttpCallOptions, httpCall, pick } from './http-call.js';
import { invalidGrant, type MockUpstream, ok, startMockUpstream } from './mock-upstream.js';
import { parseSse, parseSseJson } from './parse-sse.js';
import { sampleChat, sampleContents, sampleMessages } from './sample-requests.js';

const clock = new FakeClock(Date.UTC(2026, 0, 1));
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream({ clock });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

const call = (path: string, options?: HttpCallOptions) => httpCall(`${upstream.url}${path}`, options);

const openai = (key: string) => ({ authorization: `Bearer ${key}` });
const anthropic = (key: string) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' });
const chat = sampleChat;
const messages = sampleMessages;
const contents = sampleContents;

describe('OpenAI Chat Completions', () => {
  it('answers JSON echoing the last user message and the model, with usage of about chars/4', async () => {
    const reply = await call('/v1/chat/completions', { body: chat('hello there'), headers: openai('sk-a') });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [{ message: { role: 'assistant', content: 'echo: hello there' }, finish_reason: 'stop' }],
    });
    // 'You are terse.' + 'hello there' = 25 characters → 7 tokens; 'echo: hello there' = 17 → 5.
    expect(pick(reply.json, 'usage')).toMatchObject({
      prompt_tokens: 7,
      completion_tokens: 5,
      total_tokens: 12,
    });
    expect(pick(reply.json, 'usage', 'prompt_tokens_details')).toEqual({ cached_tokens: 0, audio_tokens: 0 });
  });

  it('streams SSE deltas that add up to the answer, a usage chunk on request, then [DONE]', async () => {
    upstream.script('sk-a', ok({ text: 'abcdefgh', chunks: 4 }));
    const body = chat('hi', { stream: true, stream_options: { include_usage: true } });
    const reply = await call('/v1/chat/completions', { body, headers: openai('sk-a') });
    expect(reply.headers['content-type']).toContain('text/event-stream');
    const events = parseSse(reply.text);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = parseSseJson(reply.text) as Array<{
      choices: Array<{ delta: { content?: string } }>;
      usage: unknown;
    }>;
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? ''));
    expect(deltas.filter((delta) => delta.length > 0)).toEqual(['ab', 'cd', 'ef', 'gh']);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 2 } });
  });

  it('sends no usage chunk without stream_options.include_usage', async () => {
    const reply = await call('/v1/chat/completions', {
      body: chat('hi', { stream: true }),
      headers: openai('sk-a'),
    });
    const chunks = parseSseJson(reply.text) as Array<{ usage?: unknown; choices: unknown[] }>;
    expect(chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1)).toBe(true);
  });

  it('returns scripted tool calls in JSON and as streamed argument deltas', async () => {
    const toolCalls = [{ name: 'get_weather', arguments: { city: 'Paris' } }];
    upstream.script('sk-a', ok({ text: '', toolCalls }), ok({ toolCalls }));
    const json = await call('/v1/chat/completions', { body: chat('weather?'), headers: openai('sk-a') });
    expect(pick(json.json, 'choices', 0)).toMatchObject({
      finish_reason: 'tool_calls',
      message: { content: null, tool_calls: [{ type: 'function', function: { name: 'get_weather' } }] },
    });
    const argumentsJson = pick(json.json, 'choices', 0, 'message', 'tool_calls', 0, 'function', 'arguments');
    expect(JSON.parse(String(argumentsJson))).toEqual({ city: 'Paris' });
    const stream = await call('/v1/chat/completions', {
      body: chat('w', { stream: true }),
      headers: openai('sk-a'),
    });
    const chunks = parseSseJson(stream.text) as Array<{
      choices: Array<{ delta: { tool_calls?: unknown[] } }>;
    }>;
    const pieces = chunks.flatMap(
      (chunk) => (chunk.choices[0]?.delta.tool_calls ?? []) as Array<{ function: { arguments: string } }>,
    );
    expect(JSON.parse(pieces.map((piece) => piece.function.arguments).join(''))).toEqual({ city: 'Paris' });
    expect(pieces.length).toBeGreaterThan(2);
  });

  it('reports cached prompt tokens when the same key sees the conversation again, not for another key', async () => {
    const first = chat('a first question long enough');
    const followUp = [
      { role: 'assistant', content: 'x' },
      { role: 'user', content: 'next' },
    ];
    const second = { ...first, messages: [...(first['messages'] as unknown[]), ...followUp] };
    await call('/v1/chat/completions', { body: first, headers: openai('sk-a') });
    const warm = await call('/v1/chat/completions', { body: second, headers: openai('sk-a') });
    const cold = await call('/v1/chat/completions', { body: second, headers: openai('sk-b') });
    expect(pick(warm.json, 'usage', 'prompt_tokens_details', 'cached_tokens')).toBe(Math.ceil((14 + 28) / 4));
    expect(pick(cold.json, 'usage', 'prompt_tokens_details', 'cached_tokens')).toBe(0);
  });

  it('lists models in the OpenAI format', async () => {
    const reply = await call('/v1/models', { headers: openai('sk-a') });
    expect(pick(reply.json, 'object')).toBe('list');
    expect(pick(reply.json, 'data', 0)).toMatchObject({ id: 'gpt-4o', object: 'model' });
    expect(upstream.requests[0]?.protocol).toBe('openai');
  });
});

describe('Anthropic Messages', () => {
  it('answers JSON with text, stop reason and usage including cache creation then cache read', async () => {
    const first = await call('/v1/messages', { body: messages('hello'), headers: anthropic('sk-ant') });
    expect(first.json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'echo: hello' }],
      stop_reason: 'end_turn',
    });
    expect(pick(first.json, 'usage')).toMatchObject({
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 140,
    });
    expect(pick(first.json, 'usage', 'input_tokens')).toBe(2);
    const second = await call('/v1/messages', {
      body: messages('hello again'),
      headers: anthropic('sk-ant'),
    });
    expect(pick(second.json, 'usage')).toMatchObject({
      cache_read_input_tokens: 140,
      cache_creation_input_tokens: 0,
    });
  });

  it('caches nothing without a cache_control marker', async () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hello world' }],
    };
    await call('/v1/messages', { body, headers: anthropic('sk-ant') });
    const again = await call('/v1/messages', { body, headers: anthropic('sk-ant') });
    expect(pick(again.json, 'usage')).toMatchObject({
      input_tokens: 3,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
  });

  it('streams the full event sequence with a ping, text deltas and usage in message_delta', async () => {
    upstream.script(
      'sk-ant',
      ok({ text: 'four', chunks: 2, toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] }),
    );
    const reply = await call('/v1/messages', {
      body: messages('hi', { stream: true }),
      headers: anthropic('sk-ant'),
    });
    const events = parseSse(reply.text);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = events.map((event) => JSON.parse(event.data));
    expect(data.map((item) => item.type)).toEqual(events.map((event) => event.event));
    expect(data[0].message).toMatchObject({
      model: 'claude-sonnet-4-5',
      usage: { cache_creation_input_tokens: 140 },
    });
    expect(`${data[3].delta.text}${data[4].delta.text}`).toBe('four');
    expect(data[6].content_block).toMatchObject({ type: 'tool_use', name: 'lookup' });
    expect(JSON.parse(`${data[7].delta.partial_json}${data[8].delta.partial_json}`)).toEqual({ q: 'x' });
    expect(data[10]).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } });
  });

  it('counts tokens and lists models in the Anthropic format', async () => {
    const count = await call('/v1/messages/count_tokens', {
      body: messages('hello'),
      headers: anthropic('k'),
    });
    expect(count.json).toEqual({ input_tokens: Math.ceil((28 * 20 + 5) / 4) });
    const list = await call('/v1/models', { headers: anthropic('k') });
    expect(list.json).toMatchObject({ has_more: false, first_id: 'claude-sonnet-4-5' });
    expect(pick(list.json, 'data', 0)).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5' });
    expect(upstream.requests.map((item) => item.protocol)).toEqual(['anthropic', 'anthropic']);
  });
});

describe('Gemini', () => {
  const path = (method: string, query = '') => `/v1beta/models/gemini-2.5-pro:${method}${query}`;
  const google = { 'x-goog-api-key': 'AIza-1' };

  it('answers generateContent with the model from the path and usage metadata', async () => {
    const reply = await call(path('generateContent'), { body: contents('hello gemini'), headers: google });
    expect(reply.json).toMatchObject({
      candidates: [
        { content: { role: 'model', parts: [{ text: 'echo: hello gemini' }] }, finishReason: 'STOP' },
      ],
      modelVersion: 'gemini-2.5-pro',
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 },
    });
    expect(pick(reply.json, 'usageMetadata', 'cachedContentTokenCount')).toBeUndefined();
    const again = await call(path('generateContent'), { body: contents('hello gemini'), headers: google });
    expect(pick(again.json, 'usageMetadata', 'cachedContentTokenCount')).toBe(3);
  });

  it('streams SSE with ?alt=sse, the last chunk carrying finishReason and usage', async () => {
    upstream.script(
      'AIza-1',
      ok({ text: 'abc', chunks: 3, toolCalls: [{ name: 'f', arguments: { a: 1 } }] }),
    );
    const reply = await call(path('streamGenerateContent', '?alt=sse'), {
      body: contents('x'),
      headers: google,
    });
    expect(reply.text).toContain('\r\n\r\n');
    const chunks = parseSseJson(reply.text) as Array<{
      candidates: Array<{ content: { parts: unknown[] }; finishReason?: string }>;
    }>;
    expect(chunks.map((chunk) => chunk.candidates[0]?.content.parts[0])).toEqual([
      { text: 'a' },
      { text: 'b' },
      { text: 'c' },
      { functionCall: { name: 'f', args: { a: 1 } } },
    ]);
    expect(chunks.map((chunk) => chunk.candidates[0]?.finishReason)).toEqual([
      undefined,
      undefined,
      undefined,
      'STOP',
    ]);
  });

  it('streams a JSON array without alt=sse', async () => {
    const reply = await call(path('streamGenerateContent'), {
      body: contents('array please'),
      headers: google,
    });
    expect(reply.headers['content-type']).toContain('application/json');
    const array = JSON.parse(reply.text) as Array<{
      candidates: Array<{ content: { parts: Array<{ text: string }> } }>;
    }>;
    expect(array).toHaveLength(3);
    expect(array.map((item) => item.candidates[0]?.content.parts[0]?.text).join('')).toBe(
      'echo: array please',
    );
  });

  it('counts tokens and lists models', async () => {
    const count = await call(path('countTokens'), { body: contents('12345678'), headers: google });
    expect(count.json).toMatchObject({ totalTokens: 2 });
    const list = await call('/v1beta/models?key=AIza-2');
    expect(pick(list.json, 'models', 0)).toMatchObject({ name: 'models/gemini-2.5-pro' });
    expect(upstream.requests.at(-1)).toMatchObject({
      key: 'AIza-2',
      protocol: 'gemini',
      path: '/v1beta/models?key=AIza-2',
    });
  });
});

describe('Code Assist', () => {
  const bearer = { authorization: 'Bearer ya29.token' };
  const wrapped = (text: string) => ({
    model: 'gemini-2.5-flash',
    project: 'proj-1',
    request: contents(text),
  });

  it('unwraps {model, project, request} and wraps the answer in {response}', async () => {
    const reply = await call('/v1internal:generateContent', { body: wrapped('wrapped hi'), headers: bearer });
    expect(reply.json).toMatchObject({
      response: {
        candidates: [{ content: { parts: [{ text: 'echo: wrapped hi' }] } }],
        modelVersion: 'gemini-2.5-flash',
      },
    });
    expect(upstream.requests[0]).toMatchObject({
      protocol: 'code-assist',
      key: 'ya29.token',
      body: { project: 'proj-1' },
    });
  });

  it('wraps every streamed event', async () => {
    const path = '/v1internal:streamGenerateContent?alt=sse';
    const reply = await call(path, { body: wrapped('s'), headers: bearer });
    const events = parseSseJson(reply.text) as Array<{ response: { candidates: unknown[] } }>;
    expect(events.length).toBe(3);
    expect(events.every((event) => event.response.candidates.length === 1)).toBe(true);
  });

  it('answers loadCodeAssist, fetchAvailableModels and countTokens', async () => {
    upstream.script('ya29.token', ok({ codeAssist: { project: 'p-9', paidTierId: 'g1-ultra-tier' } }));
    upstream.script(
      'ya29.token',
      ok({ models: [{ id: 'gemini-2.5-pro', remainingFraction: 0.25, resetInSeconds: 60 }] }),
    );
    const load = await call('/v1internal:loadCodeAssist', { body: { metadata: {} }, headers: bearer });
    expect(load.json).toMatchObject({ cloudaicompanionProject: 'p-9', paidTier: { id: 'g1-ultra-tier' } });
    const models = await call('/v1internal:fetchAvailableModels', { body: {}, headers: bearer });
    expect(pick(models.json, 'models', 'gemini-2.5-pro', 'quotaInfo')).toEqual({
      remainingFraction: 0.25,
      resetTime: '2026-01-01T00:01:00Z',
    });
    const count = await call('/v1internal:countTokens', {
      body: { request: contents('12345678') },
      headers: bearer,
    });
    expect(count.json).toEqual({ totalTokens: 2 });
  });

  it('answers an account that was never onboarded, then onboardUser and the operation poll', async () => {
    upstream.script(
      'ya29.token',
      ok({ codeAssist: { project: null, tierId: 'free-tier', ineligible: 'Not for this account' } }),
      ok({ operation: { done: false } }),
      ok({ operation: { project: 'made-for-you' } }),
    );
    const load = await call('/v1internal:loadCodeAssist', { body: { metadata: {} }, headers: bearer });
    const onboard = await call('/v1internal:onboardUser', { body: { tierId: 'free-tier' }, headers: bearer });
    const name = pick(onboard.json, 'name') as string;
    const polled = await httpCall(`${upstream.url}/v1internal/${name}`, { method: 'GET', headers: bearer });

    expect(load.json).toEqual({
      allowedTiers: [expect.objectContaining({ id: 'free-tier', isDefault: true })],
      ineligibleTiers: [{ reasonCode: 'INELIGIBLE_ACCOUNT', reasonMessage: 'Not for this account' }],
      gcpManaged: false,
    });
    expect(onboard.json).toEqual({ name: expect.stringMatching(/^operations\/onboard-\d+$/), done: false });
    expect(polled.json).toMatchObject({
      name,
      done: true,
      response: { cloudaicompanionProject: { id: 'made-for-you' } },
    });
    expect(upstream.requests.map((request) => request.path)).toEqual([
      '/v1internal:loadCodeAssist',
      '/v1internal:onboardUser',
      `/v1internal/${name}`,
    ]);
  });
});

describe('OAuth token endpoint', () => {
  const refresh = (token: string) => `grant_type=refresh_token&refresh_token=${token}&client_id=c`;

  it('issues deterministic access tokens per refresh token and counts the calls', async () => {
    const first = await call('/oauth/token', { form: refresh('rt-1') });
    const second = await call('/oauth/token', { form: refresh('rt-1') });
    expect(first.json).toEqual({
      access_token: 'at-rt-1-1',
      expires_in: 3599,
      token_type: 'Bearer',
      scope: 'openid email profile',
    });
    expect(pick(second.json, 'access_token')).toBe('at-rt-1-2');
    expect(upstream.hits('rt-1')).toBe(2);
    expect(upstream.requests[0]).toMatchObject({ protocol: 'oauth', body: { grant_type: 'refresh_token' } });
  });

  it('answers invalid_grant with 400 when scripted for that refresh token only', async () => {
    upstream.script('rt-revoked', invalidGrant('Token has been revoked.'));
    const revoked = await call('/oauth/token', { form: refresh('rt-revoked') });
    expect(revoked.status).toBe(400);
    expect(revoked.json).toEqual({ error: 'invalid_grant', error_description: 'Token has been revoked.' });
    expect((await call('/oauth/token', { form: refresh('rt-good') })).status).toBe(200);
  });

  it('refuses a refresh sent with another client than the token was issued to', async () => {
    upstream.setDefault('rt-of-b', ok({ token: { issuedTo: 'client-b' } }));
    const wrong = await call('/oauth/token', {
      form: 'grant_type=refresh_token&refresh_token=rt-of-b&client_id=client-a',
    });
    const right = await call('/oauth/token', {
      form: 'grant_type=refresh_token&refresh_token=rt-of-b&client_id=client-b',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: 'unauthorized_client', error_description: 'Unauthorized' });
    expect(right.status).toBe(200);
  });

  it('exchanges an authorization code (JSON body too) and rejects unknown grants', async () => {
    upstream.script('code-1', ok({ token: { accessToken: 'fixed', expiresIn: 60 } }));
    const code = await call('/token', { body: { grant_type: 'authorization_code', code: 'code-1' } });
    expect(code.json).toMatchObject({ access_token: 'fixed', expires_in: 60, refresh_token: 'rt-code-1' });
    const unknown = await call('/oauth/token', { form: 'grant_type=password' });
    expect(unknown.status).toBe(400);
    expect(pick(unknown.json, 'error')).toBe('unsupported_grant_type');
  });
});

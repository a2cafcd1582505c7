import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../core/account.js';
import { FakeClock } from '../../core/clock.js';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import { newAccount } from '../../store/account-patch.js';
import type { PassThroughInput } from '../provider-adapter.js';
import { createProviderRegistry } from '../registry.js';
import { createCodeAssistAdapter } from './code-assist-adapter.js';
import { CodeAssistContext } from './code-assist-context.js';
import { codeAssistSessionId } from './code-assist-identity.js';

const stream = readFileSync(new URL('./__fixtures__/code-assist-stream.sse', import.meta.url), 'utf8');

function account(overrides: Partial<Account> = {}): Account {
  return {
    ...newAccount(
      {
        provider: 'code-assist',
        email: 'g@example.com',
        credential: {
          type: 'oauth',
          refreshToken: 'rt',
          accessToken: 'at',
          expiresAt: null,
          tokenUrl: null,
          clientId: null,
          clientSecret: null,
        },
        extra: { 'code-assist': { projectId: 'proj-1' } },
      },
      { id: 'acct-1', now: 0 },
    ),
    ...overrides,
  };
}

function input(overrides: Partial<PassThroughInput> = {}): PassThroughInput {
  return {
    account: account(),
    credential: { kind: 'bearer', value: 'ya29.token' },
    operation: 'generate',
    model: 'gemini-2.5-pro',
    stream: false,
    body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], futureField: { kept: true } },
    rawBody: null,
    clientHeaders: {},
    query: '',
    ...overrides,
  };
}

const IDENTITY = {
  userAgent: 'Antigravity/9.9.9 (linux/x86_64) Chrome/132.0.6834.160 Electron/39.2.3',
  clientName: 'antigravity',
  clientVersion: '9.9.9',
  sessionUuid: 'process-uuid',
};

function setup(baseUrls = ['https://a.example/v1internal', 'https://b.example/v1internal']) {
  const context = new CodeAssistContext();
  context.configure({
    baseUrls,
    identity: IDENTITY,
    clock: new FakeClock(1_767_225_600_000),
    randomHex: (bytes) => 'ab'.repeat(bytes),
  });
  return { context, adapter: createCodeAssistAdapter(context) };
}

describe('code-assist adapter: requests', () => {
  it("wraps a Gemini request in the reference's envelope, keeps unknown fields, sends the client headers", () => {
    const { adapter } = setup();

    const request = adapter.passThrough(input());

    expect(request.url).toBe('https://a.example/v1internal:generateContent');
    expect(request.fallbackUrls).toEqual(['https://b.example/v1internal:generateContent']);
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer ya29.token',
      'user-agent': IDENTITY.userAgent,
      'x-client-name': 'antigravity',
      'x-client-version': '9.9.9',
      'x-vscode-sessionid': 'process-uuid',
    });
    expect(JSON.parse(String(request.body))).toEqual({
      project: 'proj-1',
      request: {
        sessionId: codeAssistSessionId('acct-1'),
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        futureField: { kept: true },
      },
      model: 'gemini-2.5-pro',
      userAgent: 'jetski',
      requestType: 'agent',
      requestId: 'agent/1767225600000/abababab',
      enabledCreditTypes: ['GOOGLE_ONE_AI'],
    });
  });

  it('names a Gmail account antigravity, and an image model image_gen without credit types', () => {
    const { adapter } = setup();
    const gmail = account({ email: 'someone@gmail.com' });

    const body = JSON.parse(
      String(adapter.passThrough(input({ account: gmail, model: 'gemini-3-pro-image' })).body),
    );

    expect(body).toMatchObject({
      userAgent: 'antigravity',
      requestType: 'image_gen',
      model: 'gemini-3-pro-image',
    });
    expect(body).not.toHaveProperty('enabledCreditTypes');
  });

  it('streams with ?alt=sse on every endpoint', () => {
    const { adapter } = setup();

    const request = adapter.passThrough(input({ stream: true }));

    expect(request.url).toBe('https://a.example/v1internal:streamGenerateContent?alt=sse');
    expect(request.fallbackUrls).toEqual(['https://b.example/v1internal:streamGenerateContent?alt=sse']);
  });

  it('counts tokens with the model inside the request', () => {
    const { adapter } = setup();

    const request = adapter.passThrough(
      input({ operation: 'count-tokens', body: { generateContentRequest: { contents: [{ parts: [] }] } } }),
    );

    expect(request.url).toBe('https://a.example/v1internal:countTokens');
    expect(JSON.parse(String(request.body))).toEqual({
      request: { model: 'models/gemini-2.5-pro', contents: [{ parts: [] }] },
    });
  });

  it('uses a project discovered after the account was read', () => {
    const { adapter, context } = setup();
    context.rememberProject('acct-1', 'proj-late');

    const request = adapter.passThrough(input({ account: account({ extra: {} }) }));

    expect(JSON.parse(String(request.body)).project).toBe('proj-late');
  });

  it('sends an account with its own base URL there only, under /v1internal', () => {
    const { adapter } = setup();

    const request = adapter.passThrough(input({ account: account({ baseUrl: 'http://127.0.0.1:9/' }) }));

    expect(request.url).toBe('http://127.0.0.1:9/v1internal:generateContent');
    expect(request.fallbackUrls).toEqual([]);
  });
});

describe('code-assist adapter: answers', () => {
  it('unwraps a JSON answer and reads its usage', () => {
    const { adapter } = setup();
    const wrapped = { response: { candidates: [], usageMetadata: { promptTokenCount: 7 } }, traceId: 't' };

    const body = adapter.rewriteJsonResponse?.(Buffer.from(JSON.stringify(wrapped)));

    expect(JSON.parse(String(body))).toEqual(wrapped.response);
    expect(adapter.usageFromJson(JSON.parse(String(body)))).toMatchObject({ inputTokens: 7 });
  });

  it('leaves an unwrapped answer (countTokens) byte for byte', () => {
    const { adapter } = setup();
    const raw = Buffer.from('{"totalTokens": 12}');

    expect(adapter.rewriteJsonResponse?.(raw)).toBe(raw);
  });

  it('unwraps every stream event, observes content and the final usage', () => {
    const { adapter } = setup();
    const observer = adapter.createStreamObserver();
    const events = parseSseText(stream);

    const observations = events.map((event) => observer.observe(event));
    const rewritten = events.map((event) => adapter.rewriteStreamEvent?.(event) ?? '');

    expect(observations.every((observation) => observation.error === null)).toBe(true);
    expect(observations[0]?.content).toBe(true);
    expect(
      rewritten.every((text) => text.startsWith('data: {"candidates"') && text.endsWith('\r\n\r\n')),
    ).toBe(true);
    expect(observer.usage()).toMatchObject({ inputTokens: 5120, cacheReadTokens: 4096, reasoningTokens: 28 });
  });

  it('reports an error event inside the stream', () => {
    const { adapter } = setup();

    const observation = adapter.createStreamObserver().observe({
      data: JSON.stringify({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }),
    });

    expect(observation.error?.status).toBe(429);
  });

  it('is registered for code-assist accounts, serving Gemini clients with the context it is given', () => {
    const { context } = setup(['https://registered.example/v1internal']);
    const adapter = createProviderRegistry({ codeAssist: context }).get('code-assist');
    expect(adapter).toMatchObject({ kind: 'code-assist', nativeProtocol: 'gemini' });
    const request = adapter?.passThrough(input({ stream: false }));
    expect(request?.url).toBe('https://registered.example/v1internal:generateContent');
  });
});

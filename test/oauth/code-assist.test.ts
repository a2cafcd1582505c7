import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { codeAssistSessionId } from '../../src/providers/code-assist/code-assist-identity.js';
import type { GatewayHarness, HarnessAccount } from '../support/gateway-harness.js';
import { pick } from '../support/http-call.js';
import {
  forbidden,
  type MockUpstream,
  ok,
  rateLimited,
  serverError,
  startMockUpstream,
} from '../support/mock-upstream.js';
import { accountsByEmail, geminiClient, generate, startOAuthGateway } from './oauth-gateway.js';

let upstream: MockUpstream;
/** A second upstream listed first in code_assist.base_urls, for the fall-through tests. */
let broken: MockUpstream;
let gateway: GatewayHarness | null = null;

beforeAll(async () => {
  [upstream, broken] = await Promise.all([startMockUpstream(), startMockUpstream()]);
});
afterEach(async () => {
  await gateway?.close();
  gateway = null;
  upstream.reset();
  broken.reset();
});
afterAll(async () => {
  await Promise.all([upstream.close(), broken.close()]);
});

/** A Code Assist account with a valid access token `at-<name>`, so scripts can target it. */
function account(name: string, extra: Partial<HarnessAccount> = {}): HarnessAccount {
  return {
    provider: 'code-assist',
    email: `${name}@example.com`,
    refresh_token: `rt-${name}`,
    access_token: `at-${name}`,
    expires_at: systemClock.now() + 3600_000,
    ...extra,
  };
}

const calls = (mock: MockUpstream, method: string) =>
  mock.requests.filter((request) => request.path.startsWith(`/v1internal:${method}`));

describe('Gemini clients through a code-assist account', () => {
  it('wraps the request with model and project, and unwraps the JSON answer for the Gemini SDK', async () => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('ca')] });

    const result = await geminiClient(gateway).models.generateContent({
      model: 'gemini-2.5-pro',
      contents: 'hello code assist from the sdk',
      config: { temperature: 0.2 },
    });

    expect(result.text).toBe('echo: hello code assist from the sdk');
    expect(result.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
    const sent = calls(upstream, 'generateContent')[0];
    expect(sent?.headers['authorization']).toBe('Bearer at-ca');
    expect(sent?.body).toMatchObject({
      model: 'gemini-2.5-pro',
      project: 'mock-project',
      request: {
        contents: [{ role: 'user', parts: [{ text: 'hello code assist from the sdk' }] }],
        generationConfig: { temperature: 0.2 },
      },
    });
  });

  it("carries the reference's envelope and client headers on every Code Assist call", async () => {
    gateway = await startOAuthGateway(upstream, {
      accounts: [account('ca', { email: 'someone@gmail.com' })],
      config: { code_assist: { base_urls: [`${upstream.url}/v1internal`], client_version: '4.5.8' } },
    });

    const before = systemClock.now();
    await generate(gateway, 'first');
    await generate(gateway, 'second');

    const [first, second] = calls(upstream, 'generateContent');
    const accountId = gateway.accountIds['someone@gmail.com'] ?? '';
    expect(first?.body).toMatchObject({
      userAgent: 'antigravity',
      requestType: 'agent',
      enabledCreditTypes: ['GOOGLE_ONE_AI'],
      request: { sessionId: codeAssistSessionId(accountId) },
    });
    expect(Object.keys(first?.body as object)).toEqual([
      'project',
      'request',
      'model',
      'userAgent',
      'requestType',
      'requestId',
      'enabledCreditTypes',
    ]);
    const requestIds = [first, second].map((request) => pick(request?.body, 'requestId') as string);
    expect(requestIds.every((id) => /^agent\/\d+\/[0-9a-f]{8}$/.test(id))).toBe(true);
    expect(Number(requestIds[0]?.split('/')[1])).toBeGreaterThanOrEqual(before);
    expect(new Set(requestIds).size).toBe(2);
    for (const request of [...calls(upstream, 'loadCodeAssist'), first, second]) {
      expect(request?.headers['user-agent']).toMatch(
        /^Antigravity\/4\.5\.8 \(\w+\/\w+\) Chrome\/132\.0\.6834\.160 Electron\/39\.2\.3$/,
      );
      expect(request?.headers).toMatchObject({ 'x-client-name': 'antigravity', 'x-client-version': '4.5.8' });
      expect(request?.headers['x-vscode-sessionid']).toBe(first?.headers['x-vscode-sessionid']);
    }
  });

  it('sends code_assist.user_agent instead of the built User-Agent when set', async () => {
    gateway = await startOAuthGateway(upstream, {
      accounts: [account('ca')],
      config: { code_assist: { base_urls: [`${upstream.url}/v1internal`], user_agent: 'MyAgent/1.0' } },
    });

    await generate(gateway, 'custom agent');

    expect(calls(upstream, 'generateContent')[0]?.headers['user-agent']).toBe('MyAgent/1.0');
    expect(calls(upstream, 'generateContent')[0]?.body).toMatchObject({ userAgent: 'jetski' });
  });

  it('streams: every wrapped event reaches the SDK unwrapped', async () => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('ca')] });

    const stream = await geminiClient(gateway).models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'stream through code assist please',
    });
    const chunks: string[] = [];
    let usage: number | undefined;
    for await (const chunk of stream) {
      chunks.push(chunk.text ?? '');
      usage = chunk.usageMetadata?.totalTokenCount ?? usage;
    }

    expect(chunks.join('')).toBe('echo: stream through code assist please');
    expect(chunks.filter(Boolean).length).toBeGreaterThan(1);
    expect(usage).toBeGreaterThan(0);
    expect(calls(upstream, 'streamGenerateContent')[0]?.path).toBe(
      '/v1internal:streamGenerateContent?alt=sse',
    );
  });

  it('counts tokens', async () => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('ca')] });

    const counted = await geminiClient(gateway).models.countTokens({
      model: 'gemini-2.5-pro',
      contents: 'how many tokens is this',
    });

    expect(counted.totalTokens).toBeGreaterThan(0);
    expect(calls(upstream, 'countTokens')[0]?.body).toMatchObject({
      request: {
        model: 'models/gemini-2.5-pro',
        contents: [{ parts: [{ text: 'how many tokens is this' }] }],
      },
    });
  });
});

describe('OpenAI and Anthropic clients through a code-assist account (translated)', () => {
  it('answers an OpenAI chat completion, JSON and streamed', async () => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('ca')] });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.apiKey, maxRetries: 0 });

    const answer = await client.chat.completions.create({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'openai client via code assist' }],
    });
    const stream = await client.chat.completions.create({
      model: 'gemini-2.5-pro',
      stream: true,
      messages: [{ role: 'user', content: 'openai stream via code assist' }],
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';

    expect(answer.choices[0]?.message.content).toBe('echo: openai client via code assist');
    expect(streamed).toBe('echo: openai stream via code assist');
    expect(calls(upstream, 'generateContent')[0]?.body).toMatchObject({
      model: 'gemini-2.5-pro',
      project: 'mock-project',
    });
  });

  it('answers an Anthropic message', async () => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('ca')] });
    const client = new Anthropic({ baseURL: gateway.url, apiKey: gateway.apiKey, maxRetries: 0 });

    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'anthropic client via code assist' }],
    });

    expect(message.content[0]).toMatchObject({
      type: 'text',
      text: 'echo: anthropic client via code assist',
    });
  });
});

describe('endpoint fall-through', () => {
  const config = () => ({
    code_assist: { base_urls: [`${broken.url}/v1internal`, `${upstream.url}/v1internal`] },
  });

  it('moves to the next base URL on a 5xx, for discovery and generation alike', async () => {
    gateway = await startOAuthGateway(upstream, { config: config(), accounts: [account('ca')] });
    broken.setDefault('*', serverError(503));

    const answer = await generate(gateway, 'the first endpoint is down');

    expect(answer.status).toBe(200);
    expect(calls(broken, 'loadCodeAssist')).toHaveLength(1);
    expect(calls(broken, 'generateContent')).toHaveLength(1);
    expect(calls(upstream, 'generateContent')).toHaveLength(1);
  });

  it('does not move on a 429: that is the account’s limit, not the endpoint’s', async () => {
    gateway = await startOAuthGateway(upstream, { config: config(), accounts: [account('ca')] });
    broken.script('*', ok(), rateLimited({ googleRetryDelay: '30s' }));

    const answer = await generate(gateway, 'rate limited on the first endpoint');

    expect(answer.status).toBe(429);
    expect(calls(broken, 'generateContent')).toHaveLength(1);
    expect(calls(upstream, 'generateContent')).toHaveLength(0);
  });
});

describe('tier and quota discovery', () => {
  it.each([
    [{ paidTierId: 'g1-ultra-tier', tierId: 'free-tier' }, 'ULTRA'],
    [{ paidTierId: 'g1-pro-tier' }, 'PRO'],
    [{ tierId: 'free-tier' }, 'FREE'],
  ])('maps loadCodeAssist %j to tier %s and stores it', async (codeAssist, tier) => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('tiered')] });
    upstream.setDefault('at-tiered', ok({ codeAssist: { ...codeAssist, project: 'proj-tiered' } }));

    const refreshed = await gateway.call(
      'POST',
      `/api/accounts/${gateway.accountIds['tiered@example.com']}/refresh-quota`,
    );

    expect(refreshed.status).toBe(200);
    expect(pick(refreshed.json, 'account', 'tier')).toBe(tier);
    expect((await accountsByEmail(gateway))['tiered@example.com']?.tier).toBe(tier);
    await generate(gateway, 'uses the discovered project');
    expect(calls(upstream, 'generateContent')[0]?.body).toMatchObject({ project: 'proj-tiered' });
  });

  it('feeds fetchAvailableModels quota into quota protection', async () => {
    gateway = await startOAuthGateway(upstream, {
      config: {
        proxy: {
          scheduling: { mode: 'PerformanceFirst' },
          quota_protection: { enabled: true, threshold_percentage: 10, monitored_models: ['gemini-2.5-*'] },
        },
      },
      accounts: [account('low'), account('high')],
    });
    upstream.setDefault(
      'at-low',
      ok({ models: [{ id: 'gemini-2.5-pro', remainingFraction: 0.05, resetInSeconds: 3600 }] }),
    );
    upstream.setDefault('at-high', ok({ models: [{ id: 'gemini-2.5-pro', remainingFraction: 0.9 }] }));

    const summary = await gateway.call('POST', '/api/accounts/refresh-quota');

    expect(summary.json).toMatchObject({ refreshed: 2, failed: 0, skipped: 0 });
    expect(calls(upstream, 'fetchAvailableModels')[0]?.body).toEqual({ project: 'mock-project' });
    const low = (await accountsByEmail(gateway))['low@example.com'];
    expect(low?.quota['gemini-2.5-pro']).toMatchObject({ remaining_fraction: 0.05, source: 'api' });
    const served = new Set<string>();
    for (let index = 0; index < 4; index++) {
      served.add(String((await generate(gateway, `protected request ${index}`)).headers['x-account-email']));
    }
    expect(served).toEqual(new Set(['high@example.com']));
  });

  it('lifts a model lock when the fresh quota shows the model recovered', async () => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('ca')] });
    await generate(gateway, 'discover the project first');
    upstream.script('at-ca', rateLimited({ quotaResetDelay: '3h0m0s' }));
    expect((await generate(gateway, 'exhausts the model')).status).toBe(429);
    const locks = async () =>
      pick((await gateway?.call('GET', '/api/proxy/rate-limits'))?.json, 'rate_limits');
    expect(await locks()).toEqual([expect.objectContaining({ scope: 'model', model: 'gemini-2.5-pro' })]);

    const refreshed = await gateway.call(
      'POST',
      `/api/accounts/${gateway.accountIds['ca@example.com']}/refresh-quota`,
    );

    expect(pick(refreshed.json, 'outcome', 'cleared_locks')).toEqual(['gemini-2.5-pro']);
    expect(await locks()).toEqual([]);
    expect((await generate(gateway, 'served again')).status).toBe(200);
  });

  it('skips disabled accounts and providers without a quota API', async () => {
    gateway = await startOAuthGateway(upstream, {
      accounts: [
        account('off'),
        { provider: 'gemini', email: 'key@example.com', api_key: 'AIza-key', base_url: upstream.url },
      ],
    });
    await gateway.call('PATCH', `/api/accounts/${gateway.accountIds['off@example.com']}`, {
      body: { disabled: true },
    });

    const summary = await gateway.call('POST', '/api/accounts/refresh-quota');

    expect(summary.json).toMatchObject({ refreshed: 0, skipped: 2 });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('onboarding an account without a project', () => {
  it('onboards with the default tier, polls the operation, stores the project and uses it', async () => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('fresh')] });
    upstream.script(
      'at-fresh',
      ok({ codeAssist: { project: null, tierId: 'free-tier' } }),
      ok({ operation: { done: false } }),
      ok({ operation: { project: 'onboarded-fresh' } }),
    );

    const first = await generate(gateway, 'first request of a new account');
    const second = await generate(gateway, 'second request');

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(upstream.requestsFor('at-fresh').map((request) => request.path.replace(/\d+$/, 'N'))).toEqual([
      '/v1internal:loadCodeAssist',
      '/v1internal:onboardUser',
      '/v1internal/operations/onboard-N',
      '/v1internal:generateContent',
      '/v1internal:generateContent',
    ]);
    expect(calls(upstream, 'onboardUser')[0]?.body).toMatchObject({
      tierId: 'free-tier',
      metadata: { ideType: 'ANTIGRAVITY', pluginType: 'GEMINI' },
    });
    expect(calls(upstream, 'generateContent').map((request) => pick(request.body, 'project'))).toEqual([
      'onboarded-fresh',
      'onboarded-fresh',
    ]);
    const id = gateway.accountIds['fresh@example.com'] ?? '';
    expect(gateway.runtime.stores.accounts.get(id)).toMatchObject({
      tier: 'FREE',
      extra: { 'code-assist': { projectId: 'onboarded-fresh', tierName: 'free-tier' } },
    });
  });

  it('answers 502 with the reason when onboarding fails, and keeps the account enabled', async () => {
    gateway = await startOAuthGateway(upstream, { accounts: [account('refused')] });
    upstream.script(
      'at-refused',
      ok({
        codeAssist: { project: null, tierId: 'free-tier', ineligible: 'Not available for this account' },
      }),
      ok({ operation: { project: null } }),
    );

    const failed = await generate(gateway, 'cannot be onboarded');

    expect(failed.status).toBe(502);
    expect(failed.text).toContain(
      'onboarding (tier free-tier) finished without a project: Not available for this account',
    );
    expect((await accountsByEmail(gateway))['refused@example.com']?.disabled).toBe(false);
    expect(calls(upstream, 'generateContent')).toHaveLength(0);
  });
});

describe('account verification (403 VALIDATION_REQUIRED)', () => {
  const URL_TO_VERIFY = 'https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=abc';

  it('locks the account for 10 minutes, shows the link, does not disable it, and a quota refresh clears the link', async () => {
    gateway = await startOAuthGateway(upstream);
    // The reference's per-account file shape, with its project id: no discovery call first.
    const imported = await gateway.call('POST', '/api/accounts/import', {
      body: [
        {
          email: 'verify@example.com',
          token: {
            refresh_token: 'rt-verify',
            access_token: 'at-verify',
            expiry_timestamp: Math.floor(systemClock.now() / 1000) + 3600,
            project_id: 'proj-verify',
          },
        },
      ],
    });
    expect(imported.status).toBe(200);
    upstream.script('at-verify', forbidden({ validationUrl: URL_TO_VERIFY }));

    const answer = await generate(gateway, 'needs verification');

    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(calls(upstream, 'generateContent')[0]?.body).toMatchObject({ project: 'proj-verify' });
    await expect
      .poll(
        async () =>
          (await accountsByEmail(gateway as GatewayHarness))['verify@example.com']?.verification_url,
      )
      .toBe(URL_TO_VERIFY);
    const view = (await accountsByEmail(gateway))['verify@example.com'];
    expect(view).toMatchObject({ disabled: false, proxy_disabled: false });
    expect(view?.verification_required_at).toEqual(expect.any(String));
    const limits = pick((await gateway.call('GET', '/api/proxy/rate-limits')).json, 'rate_limits') as Array<{
      scope: string;
      remaining_seconds: number;
    }>;
    expect(limits).toHaveLength(1);
    expect(limits[0]?.scope).toBe('account');
    expect(limits[0]?.remaining_seconds).toBeGreaterThan(590);
    expect(limits[0]?.remaining_seconds).toBeLessThanOrEqual(600);

    const id = view?.id ?? '';
    expect((await gateway.call('POST', `/api/accounts/${id}/refresh-quota`)).status).toBe(200);
    expect((await accountsByEmail(gateway))['verify@example.com']?.verification_url).toBeNull();
  });
});

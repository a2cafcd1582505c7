import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: [
      {
        provider: 'openai',
        email: 'openai@example.com',
        api_key: 'sk-openai-1',
        base_url: `${upstream.url}/v1`,
        // Each account serves only its own family, so every request stays on its own protocol.
        models: ['gpt-*'],
      },
      {
        provider: 'anthropic',
        email: 'anthropic@example.com',
        api_key: 'sk-ant-1',
        base_url: upstream.url,
        models: ['claude-*'],
      },
      {
        provider: 'gemini',
        email: 'gemini@example.com',
        api_key: 'AIza-gemini-1',
        base_url: upstream.url,
        models: ['gemini-*'],
      },
    ],
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('OpenAI SDK → openai account', () => {
  const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.apiKey, maxRetries: 0 });

  it('answers a chat completion and says which account served it', async () => {
    const { data, response } = await client()
      .chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hello there from the SDK' }],
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toContain('hello there from the SDK');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-account-email')).toBe('openai@example.com');
    expect(response.headers.get('x-mapped-model')).toBe('gpt-4o');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(upstream.requestsFor('sk-openai-1').at(-1)?.body).toMatchObject({ model: 'gpt-4o' });
  });

  it('streams a chat completion', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'stream me something please' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('stream me something please');
  });
});

describe('Anthropic SDK → anthropic account', () => {
  const client = () => new Anthropic({ baseURL: gateway.url, apiKey: gateway.apiKey, maxRetries: 0 });

  it('answers a message', async () => {
    const { data, response } = await client()
      .messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi from anthropic sdk' }],
      })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect(JSON.stringify(data.content)).toContain('hi from anthropic sdk');
    expect(data.stop_reason).toBe('end_turn');
    expect(response.headers.get('x-account-email')).toBe('anthropic@example.com');
  });

  it('streams a message', async () => {
    const stream = client().messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'a streamed anthropic hello' }],
    });
    const final = await stream.finalMessage();
    expect(JSON.stringify(final.content)).toContain('a streamed anthropic hello');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('counts tokens', async () => {
    const counted = await client().messages.countTokens({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'count these tokens please' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
  });
});

describe('Gemini SDK → gemini account', () => {
  const client = () => new GoogleGenAI({ apiKey: gateway.apiKey, httpOptions: { baseUrl: gateway.url } });

  it('generates content', async () => {
    const result = await client().models.generateContent({
      model: 'gemini-2.5-pro',
      contents: 'hello gemini from the sdk',
    });
    expect(result.text).toContain('hello gemini from the sdk');
    expect(upstream.requestsFor('AIza-gemini-1').at(-1)?.path).toContain(
      '/v1beta/models/gemini-2.5-pro:generateContent',
    );
  });

  it('streams content', async () => {
    const stream = await client().models.generateContentStream({
      model: 'gemini-2.5-pro',
      contents: 'stream gemini text please',
    });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toContain('stream gemini text please');
  });
});

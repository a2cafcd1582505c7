/**
 * Every client protocol against every upstream kind, through the official SDKs: text and tool
 * calls, JSON and streams. The fixed account decides which upstream answers, so each pair is
 * tested exactly; the assertions read content, tool arguments, finish reasons and usage.
 */
import { request as httpRequest } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, ok, startMockUpstream } from '../support/mock-upstream.js';

type Upstream = 'openai' | 'anthropic' | 'gemini';
const UPSTREAMS: Upstream[] = ['openai', 'anthropic', 'gemini'];
const KEY: Record<Upstream, string> = {
  openai: 'sk-up-openai',
  anthropic: 'sk-up-anthropic',
  gemini: 'AIza-up-gemini',
};
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather for a city',
  schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

let upstream: MockUpstream;
let gateway: GatewayHarness;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    accounts: UPSTREAMS.map((kind) => ({
      provider: kind,
      email: `${kind}@example.com`,
      api_key: KEY[kind],
      base_url: kind === 'openai' ? `${upstream.url}/v1` : upstream.url,
    })),
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

beforeEach(() => upstream.reset());

async function pin(kind: Upstream): Promise<void> {
  const result = await gateway.call('PUT', '/api/proxy/fixed-account', {
    body: { account_id: gateway.accountIds[`${kind}@example.com`] },
  });
  expect(result.status).toBe(200);
}

function scriptToolCall(kind: Upstream): void {
  upstream.script(
    KEY[kind],
    ok({ text: '', toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }] }),
  );
}

const openai = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.apiKey, maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: gateway.url, apiKey: gateway.apiKey, maxRetries: 0 });
const gemini = () => new GoogleGenAI({ apiKey: gateway.apiKey, httpOptions: { baseUrl: gateway.url } });

describe.each(UPSTREAMS)('→ %s account', (kind) => {
  beforeEach(() => pin(kind));

  it('OpenAI chat: text, served by the pinned account', async () => {
    const { data, response } = await openai()
      .chat.completions.create({
        model: 'any-model',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'translate me please' },
        ],
      })
      .withResponse();
    expect(response.headers.get('x-account-email')).toBe(`${kind}@example.com`);
    expect(data.choices[0]?.message.content).toContain('translate me please');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('OpenAI chat: streamed text with usage', async () => {
    const stream = await openai().chat.completions.create({
      model: 'any-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream this translated text' }],
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toContain('stream this translated text');
    expect(finish).toBe('stop');
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it('OpenAI chat: tool call with arguments', async () => {
    scriptToolCall(kind);
    const data = await openai().chat.completions.create({
      model: 'any-model',
      messages: [{ role: 'user', content: 'what is the weather in Lisbon' }],
      tools: [
        {
          type: 'function',
          function: {
            name: WEATHER_TOOL.name,
            description: WEATHER_TOOL.description,
            parameters: WEATHER_TOOL.schema,
          },
        },
      ],
    });
    const call = data.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Lisbon' });
    expect(data.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('OpenAI Responses: text and streamed events', async () => {
    const response = await openai().responses.create({
      model: 'any-model',
      input: 'respond to this translated input',
      instructions: 'be brief',
    });
    expect(response.output_text).toContain('respond to this translated input');
    expect(response.status).toBe('completed');
    expect(response.usage?.input_tokens).toBeGreaterThan(0);

    const stream = await openai().responses.create({
      model: 'any-model',
      input: 'stream a responses answer',
      stream: true,
    });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).toContain('stream a responses answer');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
  });

  it('OpenAI Responses: function call, then continued with previous_response_id', async () => {
    scriptToolCall(kind);
    const first = await openai().responses.create({
      model: 'any-model',
      input: 'weather in Lisbon please',
      tools: [
        {
          type: 'function',
          name: WEATHER_TOOL.name,
          description: WEATHER_TOOL.description,
          parameters: WEATHER_TOOL.schema,
          strict: false,
        },
      ],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ city: 'Lisbon' });
    const second = await openai().responses.create({
      model: 'any-model',
      previous_response_id: first.id,
      input: [
        {
          type: 'function_call_output',
          call_id: call?.type === 'function_call' ? call.call_id : '',
          output: 'sunny, 24 C',
        },
      ],
    });
    expect(second.status).toBe('completed');
    const sent = upstream.requestsFor(KEY[kind]).at(-1)?.body;
    expect(JSON.stringify(sent)).toContain('weather in Lisbon please');
    expect(JSON.stringify(sent)).toContain('sunny, 24 C');
  });

  it('Anthropic: text, stream and tool use', async () => {
    const message = await anthropic().messages.create({
      model: 'any-model',
      max_tokens: 200,
      system: [{ type: 'text', text: 'be brief' }],
      messages: [{ role: 'user', content: 'an anthropic client question' }],
    });
    expect(JSON.stringify(message.content)).toContain('an anthropic client question');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);

    const streamed = await anthropic()
      .messages.stream({
        model: 'any-model',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'an anthropic streamed question' }],
      })
      .finalMessage();
    expect(JSON.stringify(streamed.content)).toContain('an anthropic streamed question');
    expect(streamed.stop_reason).toBe('end_turn');

    scriptToolCall(kind);
    const tool = await anthropic().messages.create({
      model: 'any-model',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'weather in Lisbon?' }],
      tools: [
        {
          name: WEATHER_TOOL.name,
          description: WEATHER_TOOL.description,
          input_schema: WEATHER_TOOL.schema as Anthropic.Tool.InputSchema,
        },
      ],
    });
    const use = tool.content.find((block) => block.type === 'tool_use');
    expect(use?.type === 'tool_use' && use.input).toEqual({ city: 'Lisbon' });
    expect(tool.stop_reason).toBe('tool_use');
  });

  it('Gemini: generateContent, stream and function calling', async () => {
    const result = await gemini().models.generateContent({
      model: 'any-model',
      contents: 'a gemini client question',
    });
    expect(result.text).toContain('a gemini client question');
    expect(result.usageMetadata?.promptTokenCount).toBeGreaterThan(0);

    const stream = await gemini().models.generateContentStream({
      model: 'any-model',
      contents: 'a gemini streamed question',
    });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toContain('a gemini streamed question');

    scriptToolCall(kind);
    const called = await gemini().models.generateContent({
      model: 'any-model',
      contents: 'weather in Lisbon?',
      config: {
        tools: [
          {
            functionDeclarations: [
              {
                name: WEATHER_TOOL.name,
                description: WEATHER_TOOL.description,
                parametersJsonSchema: WEATHER_TOOL.schema,
              },
            ],
          },
        ],
      },
    });
    expect(called.functionCalls?.[0]).toMatchObject({ name: 'get_weather', args: { city: 'Lisbon' } });
  });
});

describe('the Responses API edges', () => {
  it('answers the WebSocket attempt at once with 426 so Codex falls back to POST', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const attempt = httpRequest(`${gateway.url}/v1/responses`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      attempt.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      attempt.on('upgrade', () => reject(new Error('the gateway accepted a WebSocket upgrade')));
      attempt.on('error', reject);
      attempt.end();
    });
    expect(status).toBe(426);
  });

  it('rejects an unknown previous_response_id with a clear 400', async () => {
    const result = await gateway.call('POST', '/v1/responses', {
      body: { model: 'm', input: 'hi', previous_response_id: 'resp_nope' },
    });
    expect(result.status).toBe(400);
    expect((result.json as { error: { message: string } }).error.message).toContain('previous_response_id');
  });
});

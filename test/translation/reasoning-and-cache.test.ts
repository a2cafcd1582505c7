/**
 * Thinking and prompt caching across protocols. Anthropic thinking blocks carry a signature that
 * Anthropic verifies when they come back: they must survive a round trip through an Anthropic account
 * in every client protocol that can carry them (Anthropic, Responses with encrypted reasoning, Gemini
 * thought signatures). Across families they are dropped or kept as the codecs document
 * (docs/translation.md); these tests pin what actually happens. `cache_control` reaches Anthropic
 * upstreams from the clients that can express it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../support/log-capture.js';
import { status } from '../support/mock-upstream.js';
import { checkAnthropicStream } from './anthropic-stream-check.js';
import { findKeys, KEY, startTranslationSetup, type TranslationSetup } from './recorded-clients.js';
import { checkResponsesStream } from './responses-stream-check.js';

const fixture = (path: string) =>
  readFileSync(join(import.meta.dirname, '../../src/providers', path), 'utf8');
/** Anthropic: thinking with a signature, text, two parallel tool calls, cache reads. */
const ANTHROPIC_THINKING_STREAM = fixture('anthropic/__fixtures__/anthropic-stream-thinking-tool-use.sse');
/** Anthropic: thinking, redacted thinking, text and a tool call, as one JSON answer. */
const ANTHROPIC_THINKING_JSON: unknown = JSON.parse(
  fixture('anthropic/__fixtures__/anthropic-response-tool-use.json'),
);
/** Gemini 3: thought summaries, text, then the signature alone on the last part. */
const GEMINI_THOUGHT_STREAM = fixture('gemini/__fixtures__/gemini-stream-thought.sse');

const SSE = { 'content-type': 'text/event-stream' };
const STREAMED_THINKING = {
  type: 'thinking',
  thinking: 'The user wants the weatherin two cities, so I should callget_weather twice.',
  signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
};
const JSON_THINKING = {
  type: 'thinking',
  thinking: 'Need the weather for Paris.',
  signature: 'EuYBCkQYAiJA1x2y3z',
};
const JSON_REDACTED = {
  type: 'redacted_thinking',
  data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
};
const JSON_TOOL_USE = {
  type: 'tool_use',
  id: 'toolu_01A09q90qw90lq917835lq9',
  name: 'get_weather',
  input: { location: 'Paris', unit: 'celsius' },
};
const WEATHER_SCHEMA = {
  type: 'object',
  properties: { location: { type: 'string' }, unit: { type: 'string' } },
  required: ['location'],
};

const logs = captureLogs();
let setup: TranslationSetup;

beforeAll(async () => {
  setup = await startTranslationSetup({ logger: logs.logger });
});
afterAll(() => setup?.close());
beforeEach(() => {
  setup.upstream.reset();
  logs.clear();
});

const call = (path: string, body: unknown) => setup.gateway.call('POST', path, { body });

function upstreamBody(kind: 'openai' | 'anthropic' | 'gemini'): Record<string, unknown> {
  const request = setup.upstream.requestsFor(KEY[kind]).at(-1);
  if (!request) throw new Error(`the ${kind} account got no request`);
  return request.body as Record<string, unknown>;
}

const warningMessages = () => logs.translationWarnings().map((warning) => warning.message);

/** An Anthropic conversation whose last assistant turn thought, then called a tool. */
const anthropicToolTurn = {
  model: 'claude-opus-4-5',
  max_tokens: 2048,
  thinking: { type: 'adaptive' },
  tools: [{ name: 'get_weather', input_schema: WEATHER_SCHEMA }],
  messages: [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: [JSON_THINKING, JSON_REDACTED, JSON_TOOL_USE] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: JSON_TOOL_USE.id, content: '21 C' }] },
  ],
};

describe('Anthropic thinking through an Anthropic account', () => {
  beforeEach(() => setup.pin('anthropic'));

  it('Anthropic client: the thinking and redacted blocks reach the upstream unchanged', async () => {
    const answer = await call('/v1/messages', anthropicToolTurn);
    expect(answer.status).toBe(200);
    expect(upstreamBody('anthropic').messages).toEqual(anthropicToolTurn.messages);
  });

  it('Responses client (Codex): encrypted reasoning gives the signature back in the next turn', async () => {
    setup.upstream.script(KEY.anthropic, status(200, { headers: SSE, body: ANTHROPIC_THINKING_STREAM }));
    const request = {
      model: 'claude-opus-4-5',
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'medium', summary: 'auto' },
      tools: [{ type: 'function', name: 'get_weather', parameters: WEATHER_SCHEMA, strict: false }],
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'SF and Paris?' }] }],
    };
    const first = checkResponsesStream((await call('/v1/responses', request)).text);
    const [reasoning, message, ...calls] = first.items;
    expect(reasoning).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: STREAMED_THINKING.thinking }],
      encrypted_content: expect.any(String),
    });
    expect(message).toMatchObject({ type: 'message', content: [{ text: "I'll check both cities." }] });
    expect(calls.map((item) => item.type === 'function_call' && item.call_id)).toEqual([
      'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      'toolu_01AbCdEfGhIjKlMnOpQrStUv',
    ]);
    // Anthropic's input_tokens exclude the cache; the Responses usage counts the whole prompt.
    expect(first.response.usage).toMatchObject({
      input_tokens: 472 + 1024 + 8192,
      input_tokens_details: { cached_tokens: 8192 },
      output_tokens: 189,
    });

    const outputs = calls.map((item) => ({
      type: 'function_call_output',
      call_id: item.type === 'function_call' ? item.call_id : '',
      output: '20 C',
    }));
    const next = { ...request, input: [...request.input, ...first.items, ...outputs] };
    expect(checkResponsesStream((await call('/v1/responses', next)).text).response.status).toBe('completed');
    const sent = upstreamBody('anthropic');
    expect(sent.thinking).toEqual({ type: 'adaptive' });
    expect((sent.messages as Array<{ content: unknown[] }>)[1]?.content).toEqual([
      STREAMED_THINKING,
      { type: 'text', text: "I'll check both cities." },
      {
        type: 'tool_use',
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        input: { location: 'San Francisco, CA', unit: 'celsius' },
      },
      {
        type: 'tool_use',
        id: 'toolu_01AbCdEfGhIjKlMnOpQrStUv',
        name: 'get_weather',
        input: { location: 'Paris' },
      },
    ]);
  });

  it.each([true, false])(
    'Gemini client (includeThoughts %s): thought signatures give back thinking and redacted thinking',
    async (includeThoughts) => {
      setup.upstream.script(KEY.anthropic, status(200, { body: ANTHROPIC_THINKING_JSON }));
      const generationConfig = { thinkingConfig: { includeThoughts } };
      const user = { role: 'user', parts: [{ text: 'Weather in Paris?' }] };
      const first = await call('/v1beta/models/claude-opus-4-5:generateContent', {
        contents: [user],
        generationConfig,
      });
      const modelTurn = (first.json as { candidates: Array<{ content: { parts: unknown[] } }> }).candidates[0]
        ?.content;
      expect(JSON.stringify(modelTurn).includes(JSON_THINKING.thinking)).toBe(includeThoughts);
      const result = {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { c: 21 } } }],
      };
      await call('/v1beta/models/claude-opus-4-5:generateContent', {
        contents: [user, modelTurn, result],
        generationConfig,
      });
      expect((upstreamBody('anthropic').messages as Array<{ content: unknown[] }>)[1]?.content).toEqual([
        JSON_THINKING,
        JSON_REDACTED,
        { type: 'text', text: 'Let me look that up.' },
        JSON_TOOL_USE,
      ]);
    },
  );

  it('OpenAI Chat client: reasoning_content cannot carry a signature, so thinking is off for the tool turn', async () => {
    setup.upstream.script(KEY.anthropic, status(200, { body: ANTHROPIC_THINKING_JSON }));
    const request = {
      model: 'claude-opus-4-5',
      reasoning_effort: 'medium',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: WEATHER_SCHEMA } }],
    };
    const first = await call('/v1/chat/completions', request);
    const message = (first.json as { choices: Array<{ message: Record<string, unknown> }> }).choices[0]
      ?.message;
    // The readable thinking comes back; the signature and the redacted block have no Chat field.
    expect(message?.reasoning_content).toBe(JSON_THINKING.thinking);
    expect(JSON.stringify(message)).not.toContain(JSON_THINKING.signature);
    await call('/v1/chat/completions', {
      ...request,
      messages: [
        ...request.messages,
        message,
        { role: 'tool', tool_call_id: JSON_TOOL_USE.id, content: '21 C' },
      ],
    });
    const sent = upstreamBody('anthropic');
    expect((sent.messages as Array<{ content: unknown[] }>)[1]?.content).toEqual([
      { type: 'text', text: 'Let me look that up.' },
      JSON_TOOL_USE,
    ]);
    expect(sent.thinking).toEqual({ type: 'disabled' });
    expect(warningMessages()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('reasoning without an Anthropic signature'),
        expect.stringContaining('thinking turned off'),
      ]),
    );
  });
});

describe('Anthropic thinking sent to another family', () => {
  it('OpenAI account: dropped, with a warning', async () => {
    await setup.pin('openai');
    expect((await call('/v1/messages', anthropicToolTurn)).status).toBe(200);
    const assistant = (upstreamBody('openai').messages as Array<Record<string, unknown>>)[1];
    expect(assistant).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: JSON_TOOL_USE.id,
          type: 'function',
          function: { name: 'get_weather', arguments: JSON.stringify(JSON_TOOL_USE.input) },
        },
      ],
    });
    expect(warningMessages()).toContain('reasoning not sent to OpenAI');
  });

  it('Gemini account: signatures the gateway never saw are kept as thought signatures', async () => {
    await setup.pin('gemini');
    // A conversation of its own: no account answered it through this gateway.
    const [, ...rest] = anthropicToolTurn.messages;
    const unseen = {
      ...anthropicToolTurn,
      messages: [{ role: 'user', content: 'Weather in Lyon?' }, ...rest],
    };
    expect((await call('/v1/messages', unseen)).status).toBe(200);
    const contents = upstreamBody('gemini').contents as Array<{ role: string; parts: unknown[] }>;
    // Gemini cannot verify another provider's signature; documented in docs/translation.md.
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [
        { text: JSON_THINKING.thinking, thought: true, thoughtSignature: JSON_THINKING.signature },
        {
          functionCall: { name: 'get_weather', args: JSON_TOOL_USE.input },
          thoughtSignature: JSON_REDACTED.data,
        },
      ],
    });
  });

  it('Gemini account: signatures an Anthropic account issued in this conversation are left out', async () => {
    await setup.pin('anthropic');
    setup.upstream.script(KEY.anthropic, status(200, { body: ANTHROPIC_THINKING_JSON }));
    const [user] = anthropicToolTurn.messages;
    expect((await call('/v1/messages', { ...anthropicToolTurn, messages: [user] })).status).toBe(200);
    await setup.pin('gemini');
    expect((await call('/v1/messages', anthropicToolTurn)).status).toBe(200);
    const contents = upstreamBody('gemini').contents as Array<{ role: string; parts: unknown[] }>;
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: { name: 'get_weather', args: JSON_TOOL_USE.input },
          thoughtSignature: 'skip_thought_signature_validator',
        },
      ],
    });
    expect(warningMessages()).toContain('reasoning the account cannot verify dropped');
  });
});

describe('Gemini thoughts through an Anthropic client', () => {
  beforeEach(() => setup.pin('gemini'));

  it('come back as thinking blocks; the signature reaches Gemini again, the unsigned summary does not', async () => {
    setup.upstream.script(KEY.gemini, status(200, { headers: SSE, body: GEMINI_THOUGHT_STREAM }));
    const request = {
      model: 'gemini-3-pro-preview',
      max_tokens: 1024,
      stream: true,
      messages: [{ role: 'user', content: 'What is 17 + 25?' }],
    };
    const first = checkAnthropicStream((await call('/v1/messages', request)).text);
    expect(first.text).toBe('17 + 25 = 42.');
    expect(first.thinking.map((block) => block.signature)).toEqual(['', expect.stringMatching(/^EtYD/)]);
    const content = [
      ...first.thinking.slice(0, 1).map((block) => ({ type: 'thinking', ...block })),
      { type: 'text', text: first.text },
      ...first.thinking.slice(1).map((block) => ({ type: 'thinking', ...block })),
    ];
    const next = {
      ...request,
      stream: false,
      messages: [...request.messages, { role: 'assistant', content }, { role: 'user', content: 'Thanks!' }],
    };
    expect((await call('/v1/messages', next)).status).toBe(200);
    const contents = upstreamBody('gemini').contents as Array<{ parts: unknown[] }>;
    expect(contents[1]?.parts).toEqual([
      { text: '17 + 25 = 42.' },
      { text: '', thoughtSignature: first.thinking[1]?.signature },
    ]);
    expect(warningMessages()).toContain(
      'reasoning without a signature cannot be replayed to Gemini; dropped',
    );
  });
});

describe('cache_control to an Anthropic account', () => {
  beforeEach(() => setup.pin('anthropic'));
  const EPHEMERAL = { type: 'ephemeral' };

  it('OpenAI Chat client: breakpoints on content parts and tools are kept where they were', async () => {
    await call('/v1/chat/completions', {
      model: 'claude-opus-4-5',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'long rules', cache_control: EPHEMERAL }] },
        { role: 'user', content: [{ type: 'text', text: 'a long document', cache_control: EPHEMERAL }] },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: WEATHER_SCHEMA },
          cache_control: EPHEMERAL,
        },
      ],
    });
    const sent = upstreamBody('anthropic');
    expect(sent.system).toEqual([{ type: 'text', text: 'long rules', cache_control: EPHEMERAL }]);
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a long document', cache_control: EPHEMERAL }] },
    ]);
    expect((sent.tools as unknown[])[0]).toMatchObject({ name: 'get_weather', cache_control: EPHEMERAL });
  });

  it.each([
    ['Responses', '/v1/responses', { model: 'm', instructions: 'long rules', input: 'a long document' }],
    [
      'Gemini',
      '/v1beta/models/m:generateContent',
      {
        systemInstruction: { parts: [{ text: 'long rules' }] },
        contents: [{ role: 'user', parts: [{ text: 'a long document' }] }],
      },
    ],
  ])('%s client: has no way to mark breakpoints, so none are sent', async (_name, path, body) => {
    expect((await call(path, body)).status).toBe(200);
    expect(findKeys(upstreamBody('anthropic'), 'cache_control')).toEqual([]);
  });
});

/**
 * The mock upstream signs the reasoning it produces (`ok({ thinking })`) and, when asked
 * (`verifySignatures`), rejects replayed reasoning its family did not issue, in the upstream's own
 * words: what the gateway's signature repair is tested against.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpCall, pick } from './http-call.js';
import { type MockUpstream, ok, startMockUpstream } from './mock-upstream.js';
import { parseSseJson } from './parse-sse.js';

let upstream: MockUpstream;
beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

const VERIFY = ok({ thinking: 'Let me think.', verifySignatures: true });
const anthropicCall = (body: unknown, key = 'sk-ant') =>
  httpCall(`${upstream.url}/v1/messages`, { body, headers: { 'x-api-key': key } });
const geminiCall = (body: unknown, key = 'AIza-g') =>
  httpCall(`${upstream.url}/v1beta/models/gemini-3-pro:generateContent`, {
    body,
    headers: { 'x-goog-api-key': key },
  });
const codeAssistCall = (request: unknown, key = 'ya29-c') =>
  httpCall(`${upstream.url}/v1internal:generateContent`, {
    body: { model: 'gemini-3-pro', project: 'p', request },
    headers: { authorization: `Bearer ${key}` },
  });

function anthropicTurn(assistant: unknown[], thinking: unknown = { type: 'adaptive' }) {
  return {
    model: 'claude-opus-4-8',
    max_tokens: 1024,
    thinking,
    messages: [
      { role: 'user', content: 'Read a.ts' },
      { role: 'assistant', content: assistant },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' }] },
    ],
  };
}
const TOOL_USE = { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} };
const geminiTurn = (parts: unknown[]) => ({
  contents: [
    { role: 'user', parts: [{ text: 'Weather?' }] },
    { role: 'model', parts },
    { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: {} } }] },
  ],
});

describe('Anthropic: signed thinking', () => {
  it('answers with a thinking block first, signed; the stream carries the signature in a signature_delta', async () => {
    upstream.setDefault('sk-ant', ok({ thinking: 'Let me think.' }));
    const json = await anthropicCall({
      model: 'claude-x',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const block = pick(json.json, 'content', 0) as { type: string; signature: string };
    expect(block).toMatchObject({ type: 'thinking', thinking: 'Let me think.' });
    const streamed = await anthropicCall({
      model: 'claude-x',
      max_tokens: 10,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const deltas = parseSseJson(streamed.text).map((event) => pick(event, 'delta'));
    expect(deltas).toContainEqual({ type: 'thinking_delta', thinking: 'Let me think.' });
    expect(deltas).toContainEqual({ type: 'signature_delta', signature: block.signature });
  });

  it('accepts a thinking block its family signed, from any key', async () => {
    upstream.setDefault('sk-ant', ok({ thinking: 'Let me think.' }));
    const first = await anthropicCall({
      model: 'c',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    upstream.setDefault('sk-ant-2', VERIFY);
    const thinking = pick(first.json, 'content', 0);
    const answer = await anthropicCall(anthropicTurn([thinking, TOOL_USE]), 'sk-ant-2');
    expect(answer.status).toBe(200);
  });

  it.each([
    {
      name: 'a foreign signature',
      blocks: [{ type: 'thinking', thinking: 'Let me think.', signature: 'mock-google.1.abc' }, TOOL_USE],
      message: 'messages.1.content.0: Invalid `signature` in `thinking` block',
    },
    {
      name: 'changed text',
      blocks: [{ type: 'thinking', thinking: 'Changed.', signature: 'mock-anthropic.0000' }, TOOL_USE],
      message: 'messages.1.content.0: Invalid `signature` in `thinking` block',
    },
    {
      name: 'an empty signature',
      blocks: [{ type: 'thinking', thinking: 'Let me think.', signature: '' }, TOOL_USE],
      message: 'messages.1.content.0.thinking.signature: Field required',
    },
    {
      name: 'redacted thinking it never issued',
      blocks: [{ type: 'redacted_thinking', data: 'opaque' }, TOOL_USE],
      message: 'messages.1.content.0: Invalid `data` in `redacted_thinking` block',
    },
  ])('rejects $name with a 400 in Anthropic’s words', async ({ blocks, message }) => {
    upstream.setDefault('sk-ant', VERIFY);
    const answer = await anthropicCall(anthropicTurn(blocks));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message } });
  });

  it('with manual thinking, rejects a last tool turn without thinking; adaptive thinking accepts it', async () => {
    upstream.setDefault('sk-ant', VERIFY);
    const manual = await anthropicCall(anthropicTurn([TOOL_USE], { type: 'enabled', budget_tokens: 2048 }));
    expect(manual.status).toBe(400);
    expect(String(pick(manual.json, 'error', 'message'))).toContain('must start with a thinking block');
    expect((await anthropicCall(anthropicTurn([TOOL_USE]))).status).toBe(200);
    expect((await anthropicCall(anthropicTurn([TOOL_USE], { type: 'disabled' }))).status).toBe(200);
  });

  it('checks nothing without verifySignatures', async () => {
    const blocks = [{ type: 'thinking', thinking: 'x', signature: 'anything' }, TOOL_USE];
    expect((await anthropicCall(anthropicTurn(blocks))).status).toBe(200);
  });
});

describe('Google: signed thoughts', () => {
  it('Gemini answers with a signed thought part that any Google key accepts back', async () => {
    upstream.setDefault('AIza-g', ok({ thinking: 'Pondering.' }));
    const first = await geminiCall({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    const thought = pick(first.json, 'candidates', 0, 'content', 'parts', 0) as Record<string, unknown>;
    expect(thought).toMatchObject({
      text: 'Pondering.',
      thought: true,
      thoughtSignature: expect.stringMatching(/^mock-google\./),
    });
    upstream.setDefault('ya29-c', VERIFY);
    const call = {
      functionCall: { name: 'get_weather', args: {} },
      thoughtSignature: thought['thoughtSignature'],
    };
    expect((await codeAssistCall(geminiTurn([thought, call]))).status).toBe(200);
  });

  it.each([
    ['Gemini', (body: unknown) => geminiCall(body)],
    ['Code Assist', (body: unknown) => codeAssistCall(body)],
  ])(
    '%s rejects a thought signature it did not issue: "Corrupted thought signature."',
    async (_name, send) => {
      upstream.setDefault('AIza-g', VERIFY);
      upstream.setDefault('ya29-c', VERIFY);
      const foreign = {
        functionCall: { name: 'get_weather', args: {} },
        thoughtSignature: 'mock-anthropic.abc',
      };
      const answer = await send(geminiTurn([foreign]));
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        error: { code: 400, message: 'Corrupted thought signature.', status: 'INVALID_ARGUMENT' },
      });
    },
  );

  it('accepts skip_thought_signature_validator and unsigned parts', async () => {
    upstream.setDefault('AIza-g', VERIFY);
    const skipped = {
      functionCall: { name: 'get_weather', args: {} },
      thoughtSignature: 'skip_thought_signature_validator',
    };
    expect((await geminiCall(geminiTurn([{ text: 'plain' }, skipped]))).status).toBe(200);
  });
});

describe('OpenAI: reasoning_content', () => {
  it('carries the thinking without a signature, in JSON and in the stream', async () => {
    upstream.setDefault('sk-o', ok({ thinking: 'Hmm.' }));
    const headers = { authorization: 'Bearer sk-o' };
    const messages = [{ role: 'user', content: 'hi' }];
    const json = await httpCall(`${upstream.url}/v1/chat/completions`, {
      body: { model: 'm', messages },
      headers,
    });
    expect(pick(json.json, 'choices', 0, 'message', 'reasoning_content')).toBe('Hmm.');
    const streamed = await httpCall(`${upstream.url}/v1/chat/completions`, {
      body: { model: 'm', messages, stream: true },
      headers,
    });
    expect(streamed.text).toContain('"reasoning_content":"Hmm."');
  });
});

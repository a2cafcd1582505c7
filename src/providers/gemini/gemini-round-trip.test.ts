/**
 * Round trips through the Gemini wire format: canonical → provider converter → Gemini JSON → client
 * decoder → canonical (requests), and canonical → client encoder → Gemini JSON → provider parser →
 * canonical (responses). A test-only meeting point of the Gemini provider and protocol codecs, which
 * never import each other in the code they test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import type {
  CanonicalMessage,
  CanonicalRequest,
  CanonicalTool,
  GoogleProviderOptions,
  ReasoningConfig,
  ResponseFormat,
} from '../../core/model/canonical-request.js';
import type { CanonicalResponse, FinishReason } from '../../core/model/canonical-response.js';
import type { AssistantContentPart, ToolCallPart, UserContentPart } from '../../core/model/content-part.js';
import { decodeGeminiRequest } from '../../protocols/gemini/decode-gemini-request.js';
import { encodeGeminiResponse } from '../../protocols/gemini/encode-gemini-response.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { parseGeminiResponse } from './parse-gemini-response.js';

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,11}$/);
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/);
const signature = fc.stringMatching(/^[A-Za-z0-9+/]{8,16}$/);
const jsonInput: fc.Arbitrary<JsonObject> = fc.dictionary(name, fc.oneof(word, fc.integer(), fc.boolean()), {
  maxKeys: 3,
});

const userPart: fc.Arbitrary<UserContentPart> = fc.oneof(
  word.map((text) => ({ type: 'text' as const, text })),
  fc.constantFrom('image/png', 'image/jpeg').map((mediaType) => ({
    type: 'image' as const,
    source: { type: 'base64' as const, mediaType, data: 'iVBORw0K' },
  })),
  fc.constant({
    type: 'file' as const,
    source: { type: 'base64' as const, mediaType: 'application/pdf', data: 'JVBE' },
  }),
  fc.constant({
    type: 'image' as const,
    source: { type: 'url' as const, url: 'https://example.com/cat.png' },
  }),
);

/** Assistant content in the form decoders produce: no empty text, no two texts in a row. */
const assistantSegment: fc.Arbitrary<AssistantContentPart[]> = fc.oneof(
  word.map((text) => [{ type: 'text' as const, text }]),
  fc.tuple(word, signature).map(([text, sig]) => [{ type: 'reasoning' as const, text, signature: sig }]),
  fc.tuple(signature, word).map(([sig, text]) => [
    { type: 'reasoning' as const, text: '', signature: sig },
    { type: 'text' as const, text },
  ]),
);

function normalize(content: AssistantContentPart[]): AssistantContentPart[] {
  const result: AssistantContentPart[] = [];
  for (const part of content) {
    const last = result.at(-1);
    if (part.type === 'text' && last?.type === 'text')
      result[result.length - 1] = { ...last, text: last.text + part.text };
    else result.push({ ...part });
  }
  return result;
}

/** One turn: the user speaks, the assistant answers, maybe calling tools whose results follow. */
const turn = fc
  .record({
    user: fc.array(userPart, { minLength: 1, maxLength: 3 }),
    assistant: fc.array(assistantSegment, { minLength: 0, maxLength: 3 }),
    calls: fc.array(fc.record({ name, input: jsonInput, result: word, isError: fc.boolean() }), {
      maxLength: 2,
    }),
  })
  .filter(({ assistant, calls }) => assistant.length > 0 || calls.length > 0);

type Turn = typeof turn extends fc.Arbitrary<infer T> ? T : never;

/** Turns → messages; a tool message followed by the next user message share one Gemini user turn. */
function conversation(turns: Turn[]): CanonicalMessage[] {
  const messages: CanonicalMessage[] = [];
  let callNumber = 0;
  for (const { user, assistant, calls } of turns) {
    messages.push({ role: 'user', content: user });
    const toolCalls: ToolCallPart[] = calls.map((call) => ({
      type: 'tool-call',
      id: `toolu_${callNumber++}`,
      name: call.name,
      input: call.input,
    }));
    messages.push({ role: 'assistant', content: normalize([...assistant.flat(), ...toolCalls]) });
    if (calls.length > 0) {
      messages.push({
        role: 'tool',
        content: calls.map((call, index) => ({
          type: 'tool-result' as const,
          toolCallId: toolCalls[index]?.id ?? '',
          toolName: call.name,
          content: call.result,
          ...(call.isError ? { isError: true } : {}),
        })),
      });
    }
  }
  return messages;
}

const tool: fc.Arbitrary<CanonicalTool> = fc.record({
  name,
  description: word,
  inputSchema: fc.constant({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }),
});

const reasoning: fc.Arbitrary<ReasoningConfig> = fc.oneof(
  fc.constant({ enabled: false }),
  fc.constant({ enabled: true }),
  fc.integer({ min: 1, max: 32_000 }).map((budgetTokens) => ({ enabled: true, budgetTokens })),
  fc
    .constantFrom('minimal', 'low', 'medium', 'high')
    .map((effort) => ({ enabled: true, effort }) as ReasoningConfig),
);

const responseFormat: fc.Arbitrary<ResponseFormat> = fc.oneof(
  fc.constant({ type: 'json' as const }),
  fc.constant({
    type: 'json_schema' as const,
    schema: { type: 'object', properties: { a: { type: 'integer' } } },
  }),
);

const canonicalRequest: fc.Arbitrary<CanonicalRequest> = fc
  .record({
    system: fc.array(
      word.map((text) => ({ type: 'text' as const, text })),
      { maxLength: 2 },
    ),
    turns: fc.array(turn, { minLength: 1, maxLength: 3 }),
    tools: fc.uniqueArray(tool, { selector: (value) => value.name, maxLength: 3 }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
    topK: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
    maxOutputTokens: fc.option(fc.integer({ min: 1, max: 65_536 }), { nil: undefined }),
    stopSequences: fc.option(fc.array(word, { minLength: 1, maxLength: 5 }), { nil: undefined }),
    reasoning: fc.option(reasoning, { nil: undefined }),
    responseFormat: fc.option(responseFormat, { nil: undefined }),
    stream: fc.boolean(),
    google: fc.option(
      fc.constant<GoogleProviderOptions>({
        builtinTools: [{ googleSearch: {} }],
        generationConfig: { seed: 7 },
      }),
      { nil: undefined },
    ),
  })
  .map((value) => {
    const request: CanonicalRequest = {
      model: 'gemini-3-pro-preview',
      system: value.system,
      messages: conversation(value.turns),
      tools: value.tools,
      sampling: {
        ...(value.temperature === undefined ? {} : { temperature: value.temperature }),
        ...(value.topK === undefined ? {} : { topK: value.topK }),
      },
      stream: value.stream,
      metadata: {},
      providerOptions: value.google ? { google: value.google } : {},
    };
    if (value.tools[0]) request.toolChoice = { type: 'tool', toolName: value.tools[0].name };
    if (value.maxOutputTokens !== undefined) request.maxOutputTokens = value.maxOutputTokens;
    if (value.stopSequences !== undefined) request.stopSequences = value.stopSequences;
    if (value.reasoning !== undefined) request.reasoning = value.reasoning;
    if (value.responseFormat !== undefined) request.responseFormat = value.responseFormat;
    return request;
  });

describe('Gemini request round trip', () => {
  it('canonical → convertToGeminiRequest → JSON → decodeGeminiRequest gives the request back', () => {
    fc.assert(
      fc.property(canonicalRequest, (request) => {
        const converted = convertToGeminiRequest(request, { includeCallIds: true, fallbackSignature: null });
        expect(converted.warnings).toEqual([]);
        const wire = JSON.parse(JSON.stringify(converted.value)) as unknown;
        const decoded = decodeGeminiRequest(wire, { model: request.model, stream: request.stream });
        expect(decoded.warnings).toEqual([]);
        expect(decoded.value).toEqual(request);
      }),
      { numRuns: 200 },
    );
  });
});

const finishReason = fc.constantFrom<FinishReason>('stop', 'length', 'content-filter');

const canonicalResponse: fc.Arbitrary<CanonicalResponse> = fc
  .record({
    id: fc.stringMatching(/^[A-Za-z0-9]{8,20}$/),
    segments: fc.array(assistantSegment, { maxLength: 4 }),
    calls: fc.array(fc.record({ name, input: jsonInput }), { maxLength: 3 }),
    finishReason,
    inputTokens: fc.nat(100_000),
    cached: fc.nat(100_000),
    outputTokens: fc.nat(10_000),
    reasoning: fc.nat(10_000),
  })
  .map((value) => {
    const calls: ToolCallPart[] = value.calls.map((call, index) => ({
      type: 'tool-call',
      id: `toolu_${value.id}_${index}`,
      name: call.name,
      input: call.input,
    }));
    const outputTokens = value.outputTokens + value.reasoning;
    return {
      id: value.id,
      model: 'claude-sonnet-4-5',
      content: normalize([...value.segments.flat(), ...calls]),
      finishReason: value.finishReason === 'stop' && calls.length > 0 ? 'tool-calls' : value.finishReason,
      usage: {
        inputTokens: value.inputTokens + value.cached,
        outputTokens,
        cacheReadTokens: value.cached,
        cacheWriteTokens: 0,
        reasoningTokens: value.reasoning,
      },
    };
  });

describe('Gemini response round trip', () => {
  it('canonical → encodeGeminiResponse → JSON → parseGeminiResponse gives the response back', () => {
    fc.assert(
      fc.property(canonicalResponse, (response) => {
        const wire = JSON.parse(JSON.stringify(encodeGeminiResponse(response))) as unknown;
        expect(parseGeminiResponse(wire)).toEqual(response);
      }),
      { numRuns: 200 },
    );
  });
});

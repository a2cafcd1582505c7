/**
 * A Gemini upstream stream served to a Responses client: the recorded-shape Gemini fixtures go
 * through the Gemini stream decoder and this protocol's stream encoder. A test-only meeting point of
 * a provider and a protocol, which never import each other in the code they test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSseText } from '../../core/model/parse-sse-text.js';
import { createCodeAssistStreamDecoder } from '../../providers/code-assist/code-assist-stream-decoder.js';
import {
  createGeminiStreamDecoder,
  type GeminiStreamDecoder,
} from '../../providers/gemini/gemini-stream-decoder.js';
import type { ResponsesEncodeOptions } from './encode-responses-output.js';
import { decodeReasoningEnvelope } from './reasoning-envelope.js';
import { createResponsesStreamEncoder } from './responses-stream-encoder.js';

type Payload = Record<string, unknown> & { type: string; response?: Record<string, unknown> };

function fixture(path: string): string {
  return readFileSync(new URL(`../../providers/${path}`, import.meta.url), 'utf8');
}

function translate(
  text: string,
  options: Partial<ResponsesEncodeOptions> = {},
  decoder: GeminiStreamDecoder = createGeminiStreamDecoder(),
): Payload[] {
  const encoder = createResponsesStreamEncoder({
    id: 'resp_g1',
    createdAt: Date.UTC(2026, 10, 20),
    ...options,
  });
  const events = [...parseSseText(text).flatMap((event) => decoder.push(event)), ...decoder.end()];
  const sse = events.map((event) => encoder.encode(event)).join('');
  return parseSseText(sse).map((event) => JSON.parse(event.data) as Payload);
}

function deltas(payloads: Payload[], type: string): string {
  return payloads
    .filter((payload) => payload.type === type)
    .map((payload) => payload.delta)
    .join('');
}

describe('Gemini stream → Responses events', () => {
  it('turns a text stream into one message item and a completed response with usage', () => {
    const payloads = translate(fixture('gemini/__fixtures__/gemini-stream-text.sse'));
    expect(payloads.map((payload) => payload.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(payloads.map((payload) => payload.sequence_number)).toEqual(payloads.map((_, index) => index));
    expect(deltas(payloads, 'response.output_text.delta')).toBe('Hello! How can I help you today?');
    expect(payloads.at(-1)?.response).toMatchObject({
      status: 'completed',
      model: 'gemini-2.5-flash',
      usage: {
        input_tokens: 9,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 41,
        output_tokens_details: { reasoning_tokens: 31 },
        total_tokens: 50,
      },
    });
  });

  it('turns thoughts into a reasoning summary and keeps the trailing signature for the client', () => {
    const payloads = translate(fixture('gemini/__fixtures__/gemini-stream-thought.sse'), {
      includeEncryptedReasoning: true,
    });
    expect(deltas(payloads, 'response.reasoning_summary_text.delta')).toBe(
      '**Working out the sum**\n\nThe user wants 17 + 25. Adding the tens and the units gives 42.',
    );
    expect(deltas(payloads, 'response.output_text.delta')).toBe('17 + 25 = 42.');
    const output = payloads.at(-1)?.response?.output as Array<Record<string, unknown>>;
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'message', 'reasoning']);
    const signature = decodeReasoningEnvelope(String(output[2]?.encrypted_content)).signature;
    expect(signature).toMatch(/^EtYD/);
  });

  it('turns parallel function calls into function_call items with their complete arguments', () => {
    const payloads = translate(fixture('gemini/__fixtures__/gemini-stream-function-call.sse'));
    const done = payloads.filter((payload) => payload.type === 'response.function_call_arguments.done');
    expect(done.map((payload) => [payload.name, payload.arguments])).toEqual([
      ['get_weather', '{"location":"Paris","unit":"celsius"}'],
      ['get_weather', '{"location":"London","unit":"celsius"}'],
    ]);
    const output = payloads.at(-1)?.response?.output as Array<Record<string, unknown>>;
    const calls = output.filter((item) => item.type === 'function_call');
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((item) => item.call_id)).size).toBe(2);
    expect(payloads.at(-1)).toMatchObject({
      type: 'response.completed',
      response: { usage: { output_tokens: 101 } },
    });
  });

  it('gives a flattened tool name back its namespace', () => {
    const payloads = translate(fixture('gemini/__fixtures__/gemini-stream-function-call.sse'), {
      toolNames: { get_weather: { namespace: 'weather', name: 'get' } },
    });
    const added = payloads
      .filter((payload) => payload.type === 'response.output_item.added')
      .map((payload) => payload.item);
    expect(added).toContainEqual(
      expect.objectContaining({ type: 'function_call', namespace: 'weather', name: 'get' }),
    );
  });

  it('ends an in-stream error with response.failed carrying the upstream status', () => {
    const payloads = translate(fixture('gemini/__fixtures__/gemini-stream-error.sse'));
    expect(payloads.at(-1)).toMatchObject({
      type: 'response.failed',
      response: {
        status: 'failed',
        error: { code: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
      },
    });
    expect(payloads.some((payload) => payload.type === 'response.completed')).toBe(false);
  });

  it('serves a Code Assist stream the same way', () => {
    const payloads = translate(
      fixture('code-assist/__fixtures__/code-assist-stream.sse'),
      {},
      createCodeAssistStreamDecoder(),
    );
    expect(deltas(payloads, 'response.output_text.delta')).toBe('All 12 tests pass.');
    expect(payloads.at(-1)?.response).toMatchObject({
      status: 'completed',
      usage: { input_tokens: 5120, input_tokens_details: { cached_tokens: 4096 }, output_tokens: 34 },
    });
  });
});

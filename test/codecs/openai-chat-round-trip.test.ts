import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectStream } from '../../src/core/model/collect-stream.js';
import { parseSseText } from '../../src/core/model/parse-sse-text.js';
import { decodeOpenAIChatRequest } from '../../src/protocols/openai-chat/decode-openai-chat-request.js';
import { encodeOpenAIChatResponse } from '../../src/protocols/openai-chat/encode-openai-chat-response.js';
import { createOpenAIChatStreamEncoder } from '../../src/protocols/openai-chat/openai-chat-stream-encoder.js';
import { convertToOpenAIChatRequest } from '../../src/providers/openai/convert-to-openai-chat-request.js';
import { createOpenAIChatStreamDecoder } from '../../src/providers/openai/openai-chat-stream-decoder.js';
import { parseOpenAIChatResponse } from '../../src/providers/openai/parse-openai-chat-response.js';
import { openAIRequest, openAIResponse } from './openai-chat-arbitraries.js';
import { streamEventsOf } from './stream-events-of.js';

function overTheWire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('OpenAI Chat Completions round trips (canonical → wire → canonical)', () => {
  it('a request converted for OpenAI decodes back to the same canonical request, without warnings', () => {
    fc.assert(
      fc.property(openAIRequest, (request) => {
        const wire = convertToOpenAIChatRequest(request, { reasoningContent: true });
        const decoded = decodeOpenAIChatRequest(overTheWire(wire.value));
        expect(wire.warnings).toEqual([]);
        expect(decoded.warnings).toEqual([]);
        expect(decoded.value).toEqual(request);
      }),
      { numRuns: 300 },
    );
  });

  it('a response encoded for an OpenAI client parses back to the same canonical response', () => {
    fc.assert(
      fc.property(openAIResponse, (response) => {
        expect(parseOpenAIChatResponse(overTheWire(encodeOpenAIChatResponse(response)))).toEqual(response);
      }),
      { numRuns: 300 },
    );
  });

  it('a stream encoded as Chat Completions SSE decodes back to the same response, whatever the delta sizes', () => {
    fc.assert(
      fc.property(openAIResponse, fc.integer({ min: 1, max: 8 }), (response, chunkSize) => {
        const encoder = createOpenAIChatStreamEncoder({ includeUsage: true });
        const sse = streamEventsOf(response, chunkSize)
          .map((event) => encoder.encode(event))
          .join('');
        const decoder = createOpenAIChatStreamDecoder();
        const events = [...parseSseText(sse).flatMap((event) => decoder.push(event)), ...decoder.end()];
        expect(collectStream(events)).toEqual(response);
      }),
      { numRuns: 200 },
    );
  });
});

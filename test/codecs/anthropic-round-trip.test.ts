import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectStream } from '../../src/core/model/collect-stream.js';
import { parseSseText } from '../../src/core/model/parse-sse-text.js';
import { createAnthropicStreamEncoder } from '../../src/protocols/anthropic-messages/anthropic-stream-encoder.js';
import { decodeAnthropicRequest } from '../../src/protocols/anthropic-messages/decode-anthropic-request.js';
import { encodeAnthropicResponse } from '../../src/protocols/anthropic-messages/encode-anthropic-response.js';
import { createAnthropicStreamDecoder } from '../../src/providers/anthropic/anthropic-stream-decoder.js';
import { convertToAnthropicMessages } from '../../src/providers/anthropic/convert-to-anthropic-messages.js';
import { parseAnthropicResponse } from '../../src/providers/anthropic/parse-anthropic-response.js';
import { anthropicRequest, anthropicResponse } from './anthropic-arbitraries.js';
import { streamEventsOf } from './stream-events-of.js';

/** What crosses the network: JSON text, so no `undefined` fields or object identity survive. */
function overTheWire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('Anthropic Messages round trips (canonical → wire → canonical)', () => {
  it('a request converted for Anthropic decodes back to the same canonical request, without warnings', () => {
    fc.assert(
      fc.property(anthropicRequest, (request) => {
        const wire = convertToAnthropicMessages(request, { midConversationSystem: 'keep' });
        const decoded = decodeAnthropicRequest(overTheWire(wire.value));
        expect(wire.warnings).toEqual([]);
        expect(decoded.warnings).toEqual([]);
        expect(decoded.value).toEqual(request);
      }),
      { numRuns: 300 },
    );
  });

  it('a response encoded for an Anthropic client parses back to the same canonical response', () => {
    fc.assert(
      fc.property(anthropicResponse, (response) => {
        expect(parseAnthropicResponse(overTheWire(encodeAnthropicResponse(response)))).toEqual(response);
      }),
      { numRuns: 300 },
    );
  });

  it('a stream encoded as Anthropic SSE decodes back to the same response, whatever the delta sizes', () => {
    fc.assert(
      fc.property(anthropicResponse, fc.integer({ min: 1, max: 8 }), (response, chunkSize) => {
        const encoder = createAnthropicStreamEncoder();
        const sse = streamEventsOf(response, chunkSize)
          .map((event) => encoder.encode(event))
          .join('');
        const decoder = createAnthropicStreamDecoder();
        const events = [...parseSseText(sse).flatMap((event) => decoder.push(event)), ...decoder.end()];
        expect(collectStream(events)).toEqual(response);
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * The upstream side of translation: per provider kind, canonical request → the upstream's body, and
 * the upstream's answers (JSON and SSE events) → canonical.
 */
import type { ProviderKind } from '../../core/account.js';
import type { JsonObject } from '../../core/json.js';
import type { CanonicalRequest, CanonicalResponse, Converted, StreamEvent } from '../../core/model/index.js';
import { createAnthropicStreamDecoder } from '../../providers/anthropic/anthropic-stream-decoder.js';
import { convertToAnthropicMessages } from '../../providers/anthropic/convert-to-anthropic-messages.js';
import { parseAnthropicResponse } from '../../providers/anthropic/parse-anthropic-response.js';
import { createCodeAssistStreamDecoder } from '../../providers/code-assist/code-assist-stream-decoder.js';
import { convertToGeminiRequest } from '../../providers/gemini/convert-to-gemini-request.js';
import { createGeminiStreamDecoder } from '../../providers/gemini/gemini-stream-decoder.js';
import { parseGeminiResponse } from '../../providers/gemini/parse-gemini-response.js';
import { convertToOpenAIChatRequest } from '../../providers/openai/convert-to-openai-chat-request.js';
import { createOpenAIChatStreamDecoder } from '../../providers/openai/openai-chat-stream-decoder.js';
import { parseOpenAIChatResponse } from '../../providers/openai/parse-openai-chat-response.js';
import type { SseEvent } from '../../providers/provider-adapter.js';

export interface StreamDecoder {
  push(event: SseEvent): StreamEvent[];
  /** Events owed when the upstream stream ended (an error when it ended before finishing). */
  end(): StreamEvent[];
}

export interface UpstreamCodec {
  convertRequest(request: CanonicalRequest): Converted<JsonObject>;
  parseResponse(json: unknown): CanonicalResponse;
  createStreamDecoder(): StreamDecoder;
}

const asJson = <T>(converted: Converted<T>): Converted<JsonObject> =>
  converted as unknown as Converted<JsonObject>;

export const UPSTREAM_CODECS: Partial<Record<ProviderKind, UpstreamCodec>> = {
  openai: {
    convertRequest: (request) => asJson(convertToOpenAIChatRequest(request)),
    parseResponse: parseOpenAIChatResponse,
    createStreamDecoder: createOpenAIChatStreamDecoder,
  },
  anthropic: {
    convertRequest: (request) => asJson(convertToAnthropicMessages(request)),
    parseResponse: parseAnthropicResponse,
    createStreamDecoder: createAnthropicStreamDecoder,
  },
  gemini: {
    convertRequest: (request) => asJson(convertToGeminiRequest(request)),
    parseResponse: parseGeminiResponse,
    createStreamDecoder: () => createGeminiStreamDecoder(),
  },
  // The Code Assist adapter wraps the Gemini body (it knows the account's project) and unwraps JSON
  // answers itself; stream events reach the decoder still wrapped.
  'code-assist': {
    convertRequest: (request) => asJson(convertToGeminiRequest(request)),
    parseResponse: parseGeminiResponse,
    createStreamDecoder: createCodeAssistStreamDecoder,
  },
};

/** The codec for an upstream kind, or undefined when requests cannot be translated for it. */
export function upstreamCodecFor(kind: ProviderKind): UpstreamCodec | undefined {
  return UPSTREAM_CODECS[kind];
}

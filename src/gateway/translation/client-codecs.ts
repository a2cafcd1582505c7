/**
 * The client side of translation: per client protocol, decode the request into the canonical model
 * and encode canonical answers (JSON and stream events) back. The per-request encoding options a
 * decoder finds (tool-name maps, include flags) are captured here, so the gateway handles every
 * protocol the same way.
 */
import type { JsonObject } from '../../core/json.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent, Warning } from '../../core/model/index.js';
import { createAnthropicStreamEncoder } from '../../protocols/anthropic-messages/anthropic-stream-encoder.js';
import { decodeAnthropicRequest } from '../../protocols/anthropic-messages/decode-anthropic-request.js';
import { encodeAnthropicResponse } from '../../protocols/anthropic-messages/encode-anthropic-response.js';
import { decodeGeminiRequest } from '../../protocols/gemini/decode-gemini-request.js';
import { encodeGeminiResponse } from '../../protocols/gemini/encode-gemini-response.js';
import { createGeminiStreamEncoder } from '../../protocols/gemini/gemini-stream-encoder.js';
import { decodeOpenAIChatRequest } from '../../protocols/openai-chat/decode-openai-chat-request.js';
import { encodeOpenAIChatResponse } from '../../protocols/openai-chat/encode-openai-chat-response.js';
import { createOpenAIChatStreamEncoder } from '../../protocols/openai-chat/openai-chat-stream-encoder.js';
import { decodeResponsesRequest } from '../../protocols/openai-responses/decode-responses-request.js';
import { encodeResponsesResponse } from '../../protocols/openai-responses/encode-responses-response.js';
import { createResponsesStreamEncoder } from '../../protocols/openai-responses/responses-stream-encoder.js';
import type { ClientProtocol } from '../../providers/provider-adapter.js';

/** What an answer needs to know about the request it answers. */
export interface EncodeContext {
  /** The id of the answer (`msg_…`, `chatcmpl-…`, `resp_…`), for encoders that need one. */
  id: string;
  /** The model to report when the upstream does not name one. */
  model: string;
  /** Epoch ms. */
  now: number;
}

export interface StreamEncoder {
  encode(event: StreamEvent): string;
}

/** A decoded client request and how to answer it in the client's protocol. */
export interface DecodedClientRequest {
  request: CanonicalRequest;
  warnings: Warning[];
  encodeResponse(response: CanonicalResponse, context: EncodeContext): unknown;
  createStreamEncoder(context: EncodeContext): StreamEncoder;
  /** Responses API: the earlier response this one continues. */
  previousResponseId?: string | undefined;
  /** Responses API: whether to keep this response for a later `previous_response_id`. */
  store?: boolean;
}

type Decoder = (body: JsonObject, options: { model: string; stream: boolean }) => DecodedClientRequest;

const DECODERS: Record<ClientProtocol, Decoder> = {
  'openai-chat': (body) => {
    const { value, warnings } = decodeOpenAIChatRequest(body);
    const includeUsage = value.providerOptions.openai?.includeUsage === true;
    return {
      request: value,
      warnings,
      encodeResponse: (response, context) => encodeOpenAIChatResponse(response, { now: context.now }),
      createStreamEncoder: (context) =>
        createOpenAIChatStreamEncoder({
          id: context.id,
          model: context.model,
          now: context.now,
          includeUsage,
        }),
    };
  },
  'anthropic-messages': (body) => {
    const { value, warnings } = decodeAnthropicRequest(body);
    return {
      request: value,
      warnings,
      encodeResponse: (response) => encodeAnthropicResponse(response),
      createStreamEncoder: (context) =>
        createAnthropicStreamEncoder({ id: context.id, model: context.model }),
    };
  },
  gemini: (body, options) => {
    const decoded = decodeGeminiRequest(body, options);
    const includeThoughts = decoded.includeThoughts;
    return {
      request: decoded.value,
      warnings: decoded.warnings,
      encodeResponse: (response) => encodeGeminiResponse(response, { includeThoughts }),
      createStreamEncoder: (context) =>
        createGeminiStreamEncoder({ id: context.id, model: context.model, includeThoughts }),
    };
  },
  'openai-responses': (body) => {
    const decoded = decodeResponsesRequest(body);
    return {
      request: decoded.value,
      warnings: decoded.warnings,
      previousResponseId: decoded.previousResponseId,
      store: decoded.store,
      encodeResponse: (response, context) =>
        encodeResponsesResponse(response, { ...decoded.encoding, id: context.id, createdAt: context.now }),
      createStreamEncoder: (context) =>
        createResponsesStreamEncoder({ ...decoded.encoding, id: context.id, createdAt: context.now }),
    };
  },
};

/** Decodes a client body; throws `invalid_request` naming the field when it is structurally wrong. */
export function decodeClientRequest(
  protocol: ClientProtocol,
  body: JsonObject,
  options: { model: string; stream: boolean },
): DecodedClientRequest {
  return DECODERS[protocol](body, options);
}

import { geminiSessionRule } from '../../session/index.js';
import type { ClientProtocolDescriptor } from '../client-protocol-descriptor.js';
import { decodeGeminiRequest } from './decode-gemini-request.js';
import { encodeGeminiResponse } from './encode-gemini-response.js';
import { filterGeminiReasoning } from './filter-gemini-reasoning.js';
import { createGeminiStreamEncoder } from './gemini-stream-encoder.js';

/** Gemini `generateContent`: `POST /v1beta/models/{model}:generateContent` and its siblings. */
export const geminiProtocol: ClientProtocolDescriptor = {
  name: 'gemini',
  endpoints: [],
  decode(body, options) {
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
  errorDialect: 'gemini',
  session: geminiSessionRule,
  idPrefix: '',
  countTokensBody: (tokens) => ({ totalTokens: tokens }),
  keepsConversations: false,
  // Gemini's API streams `streamGenerateContent` as SSE only with `alt=sse`; otherwise it writes a
  // JSON array of GenerateContentResponse objects (application/json).
  streamsAsJsonArray: (query) => new URLSearchParams(query).get('alt') !== 'sse',
  filterReasoning: (body, { judge, family, repaired }) =>
    family === 'google' ? filterGeminiReasoning(body, { judge, signUnsignedCalls: repaired }) : null,
};

import { openAIResponsesSessionRule } from '../../session/index.js';
import type { ClientProtocolDescriptor } from '../client-protocol-descriptor.js';
import { decodeResponsesRequest } from './decode-responses-request.js';
import { encodeResponsesResponse } from './encode-responses-response.js';
import { createResponsesStreamEncoder } from './responses-stream-encoder.js';

/** OpenAI Responses: `POST /v1/responses`, continued with `previous_response_id`. */
export const openAIResponsesProtocol: ClientProtocolDescriptor = {
  name: 'openai-responses',
  endpoints: [{ path: '/v1/responses', operation: 'generate' }],
  decode(body) {
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
  errorDialect: 'openai',
  session: openAIResponsesSessionRule,
  idPrefix: 'resp_',
  countTokensBody: (tokens) => ({ input_tokens: tokens }),
  keepsConversations: true,
};

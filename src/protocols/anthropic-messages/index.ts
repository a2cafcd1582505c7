import { anthropicSessionRule } from '../../session/index.js';
import type { ClientProtocolDescriptor } from '../client-protocol-descriptor.js';
import { createAnthropicStreamEncoder } from './anthropic-stream-encoder.js';
import { decodeAnthropicRequest } from './decode-anthropic-request.js';
import { encodeAnthropicResponse } from './encode-anthropic-response.js';
import { filterAnthropicReasoning } from './filter-anthropic-reasoning.js';

/** Anthropic Messages: `POST /v1/messages` and `/v1/messages/count_tokens`. */
export const anthropicMessagesProtocol: ClientProtocolDescriptor = {
  name: 'anthropic-messages',
  endpoints: [
    { path: '/v1/messages', operation: 'generate' },
    { path: '/v1/messages/count_tokens', operation: 'count-tokens', stream: false },
  ],
  decode(body) {
    const { value, warnings } = decodeAnthropicRequest(body);
    return {
      request: value,
      warnings,
      encodeResponse: (response) => encodeAnthropicResponse(response),
      createStreamEncoder: (context) =>
        createAnthropicStreamEncoder({ id: context.id, model: context.model }),
    };
  },
  errorDialect: 'anthropic',
  session: anthropicSessionRule,
  idPrefix: 'msg_',
  countTokensBody: (tokens) => ({ input_tokens: tokens }),
  keepsConversations: false,
  filterReasoning: (body, { judge, family }) =>
    family === 'anthropic' ? filterAnthropicReasoning(body, judge) : null,
};

import { openAIChatSessionRule } from '../../session/index.js';
import type { ClientProtocolDescriptor } from '../client-protocol-descriptor.js';
import { decodeOpenAIChatRequest } from './decode-openai-chat-request.js';
import { encodeOpenAIChatResponse } from './encode-openai-chat-response.js';
import { createOpenAIChatStreamEncoder } from './openai-chat-stream-encoder.js';

/** OpenAI Chat Completions: `POST /v1/chat/completions`. */
export const openAIChatProtocol: ClientProtocolDescriptor = {
  name: 'openai-chat',
  endpoints: [{ path: '/v1/chat/completions', operation: 'generate' }],
  decode(body) {
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
  errorDialect: 'openai',
  session: openAIChatSessionRule,
  idPrefix: 'chatcmpl-',
  countTokensBody: (tokens) => ({ input_tokens: tokens }),
  keepsConversations: false,
};

import { SCHEDULED_WARMUP_PATH } from '../admin/warmup-contracts.js';
import type { ClientProtocol } from '../core/client-protocol.js';
import type { JsonObject } from '../core/json.js';
import type { ProxyRequest } from '../gateway/proxy-request.js';

export { SCHEDULED_WARMUP_PATH };

/** What a warmup asks: a greeting, answered in as few tokens as the protocol lets us ask for. */
const PROMPT = 'Hi';

/**
 * The smallest generate request of each protocol. OpenAI's chat API takes `max_completion_tokens`
 * (its reasoning models refuse `max_tokens`); the Responses API wants at least 16 output tokens.
 */
const WARMUP_BODIES: Readonly<Record<ClientProtocol, (model: string) => JsonObject>> = {
  'anthropic-messages': (model) => ({ model, max_tokens: 1, messages: [{ role: 'user', content: PROMPT }] }),
  'openai-chat': (model) => ({
    model,
    max_completion_tokens: 1,
    messages: [{ role: 'user', content: PROMPT }],
  }),
  'openai-responses': (model) => ({ model, input: PROMPT, max_output_tokens: 16, store: false }),
  gemini: () => ({
    contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
    generationConfig: { maxOutputTokens: 1 },
  }),
};

/**
 * A scheduled warmup as a request of the gateway: the account's own protocol (so it passes through
 * untranslated), not streamed, pinned to the account, no session, no client key. It goes through the
 * same attempt path as a client's request: token refresh, failure classification and locks apply.
 */
export function warmupRequest(options: {
  id: string;
  accountId: string;
  model: string;
  protocol: ClientProtocol;
  now: number;
  signal: AbortSignal;
}): ProxyRequest {
  const { protocol, model } = options;
  return {
    id: options.id,
    receivedAt: options.now,
    protocol,
    operation: 'generate',
    method: 'POST',
    path: SCHEDULED_WARMUP_PATH,
    query: '',
    clientModel: model,
    stream: false,
    body: WARMUP_BODIES[protocol](model),
    rawBody: null,
    headers: {},
    sessionId: null,
    clientKey: null,
    pinnedAccountId: options.accountId,
    signal: options.signal,
    // Never streamed, so never called.
    streamErrorEvent: () => '',
  };
}

import { isJsonObject } from '../../core/json.js';
import type { Usage } from '../../core/model/index.js';
import {
  asJsonBody,
  baseUrlOf,
  count,
  eventJson,
  headerValue,
  NOTHING_SEEN,
  type PassThroughInput,
  type ProviderAdapter,
  passThroughBody,
  type SseEvent,
  type StreamObservation,
  type StreamObserver,
  type UpstreamRequest,
} from '../provider-adapter.js';
import { createAnthropicStreamDecoder } from './anthropic-stream-decoder.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { parseAnthropicResponse } from './parse-anthropic-response.js';

const DEFAULT_VERSION = '2023-06-01';

/** Anthropic usage → canonical usage (Anthropic's input_tokens excludes cache reads and writes). */
export function anthropicUsage(value: unknown): Usage | null {
  if (!isJsonObject(value)) return null;
  const cacheRead = count(value['cache_read_input_tokens']);
  const cacheWrite = count(value['cache_creation_input_tokens']);
  return {
    inputTokens: count(value['input_tokens']) + cacheRead + cacheWrite,
    outputTokens: count(value['output_tokens']),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: 0,
  };
}

const ERROR_STATUS: Record<string, number> = {
  overloaded_error: 529,
  rate_limit_error: 429,
  api_error: 500,
  authentication_error: 401,
  permission_error: 403,
  invalid_request_error: 400,
  request_too_large: 413,
};

/** The opaque value of a reasoning block (thinking signature, redacted data), or undefined. */
function blockSignature(block: unknown): string | undefined {
  if (!isJsonObject(block)) return undefined;
  const value = block['type'] === 'redacted_thinking' ? block['data'] : block['signature'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

class AnthropicStreamObserver implements StreamObserver {
  private input: Usage | null = null;
  private outputTokens = 0;
  /** Signature (or redacted data) of each reasoning block so far, by block index. */
  private readonly reasoning = new Map<number, string>();
  private ended = false;

  observe(event: SseEvent): StreamObservation {
    const payload = eventJson(event);
    if (!payload) return NOTHING_SEEN;
    const type = String(payload['type'] ?? event.event ?? '');
    if (type === 'message_stop') this.ended = true;
    if (type === 'error') {
      this.ended = true;
      const error = isJsonObject(payload['error']) ? payload['error'] : {};
      return { content: false, error: { status: ERROR_STATUS[String(error['type'])] ?? 500, body: payload } };
    }
    if (type === 'message_start' && isJsonObject(payload['message'])) {
      this.input = anthropicUsage(payload['message']['usage']);
    }
    if (type === 'message_delta' && isJsonObject(payload['usage'])) {
      this.outputTokens = count(payload['usage']['output_tokens']);
    }
    this.observeReasoning(type, payload);
    // A block start carries no output yet (empty text, a tool name); the first delta is the commit point.
    return { content: type === 'content_block_delta', error: null };
  }

  finished(): boolean {
    return this.ended;
  }

  usage(): Usage | null {
    if (!this.input) return null;
    return { ...this.input, outputTokens: this.outputTokens || this.input.outputTokens };
  }

  signatures(): readonly string[] {
    return [...this.reasoning.values()].filter((value) => value !== '');
  }

  // A block starts with an empty signature; `signature_delta` events carry it.
  private observeReasoning(type: string, payload: Record<string, unknown>): void {
    const index = typeof payload['index'] === 'number' ? payload['index'] : -1;
    if (type === 'content_block_start') {
      const value = blockSignature(payload['content_block']);
      if (value !== undefined) this.reasoning.set(index, value);
      return;
    }
    const delta = payload['delta'];
    if (type === 'content_block_delta' && isJsonObject(delta) && delta['type'] === 'signature_delta') {
      const piece = typeof delta['signature'] === 'string' ? delta['signature'] : '';
      this.reasoning.set(index, (this.reasoning.get(index) ?? '') + piece);
    }
  }
}

/** The Anthropic Messages API. */
export const anthropicAdapter: ProviderAdapter = {
  kind: 'anthropic',
  nativeProtocol: 'anthropic-messages',
  signatureFamily: 'anthropic',
  rateLimitHeaders: 'anthropic',
  codec: {
    convertRequest: (request) => asJsonBody(convertToAnthropicMessages(request)),
    parseResponse: parseAnthropicResponse,
    createStreamDecoder: createAnthropicStreamDecoder,
  },
  // The Anthropic SDK's convention: the base URL has no version; paths start with /v1.
  defaultBaseUrl: 'https://api.anthropic.com',

  passThrough(input: PassThroughInput): UpstreamRequest {
    const path = input.operation === 'count-tokens' ? '/v1/messages/count_tokens' : '/v1/messages';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: input.stream ? 'text/event-stream' : 'application/json',
      'anthropic-version': headerValue(input.clientHeaders, 'anthropic-version') ?? DEFAULT_VERSION,
    };
    const beta = headerValue(input.clientHeaders, 'anthropic-beta');
    if (beta) headers['anthropic-beta'] = beta;
    if (input.credential.kind === 'bearer') headers['authorization'] = `Bearer ${input.credential.value}`;
    else headers['x-api-key'] = input.credential.value;
    return {
      url: `${baseUrlOf(input.account, this)}${path}${input.query ? `?${input.query}` : ''}`,
      method: 'POST',
      headers,
      body: passThroughBody(input),
    };
  },

  usageFromJson(json) {
    return isJsonObject(json) ? anthropicUsage(json['usage']) : null;
  },

  signaturesFromJson(json) {
    const content = isJsonObject(json) && Array.isArray(json['content']) ? json['content'] : [];
    return content.map(blockSignature).filter((value) => value !== undefined);
  },

  createStreamObserver: () => new AnthropicStreamObserver(),
};

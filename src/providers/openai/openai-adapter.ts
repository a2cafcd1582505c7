import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { Usage } from '../../core/model/index.js';
import { sseFrame } from '../../core/model/sse-frame.js';
import {
  asJsonBody,
  baseUrlOf,
  count,
  eventJson,
  NOTHING_SEEN,
  type PassThroughInput,
  type ProviderAdapter,
  passThroughBody,
  type SseEvent,
  type StreamObservation,
  type StreamObserver,
  type UpstreamRequest,
} from '../provider-adapter.js';
import { convertToOpenAIChatRequest } from './convert-to-openai-chat-request.js';
import { createOpenAIChatStreamDecoder } from './openai-chat-stream-decoder.js';
import { parseOpenAIChatResponse } from './parse-openai-chat-response.js';

/** OpenAI Chat Completions usage → canonical usage (prompt tokens already include cached ones). */
export function openAIUsage(value: unknown): Usage | null {
  if (!isJsonObject(value)) return null;
  const promptDetails = isJsonObject(value['prompt_tokens_details']) ? value['prompt_tokens_details'] : {};
  const completionDetails = isJsonObject(value['completion_tokens_details'])
    ? value['completion_tokens_details']
    : {};
  return {
    inputTokens: count(value['prompt_tokens']),
    outputTokens: count(value['completion_tokens']),
    cacheReadTokens: count(promptDetails['cached_tokens']),
    cacheWriteTokens: 0,
    reasoningTokens: count(completionDetails['reasoning_tokens']),
  };
}

function errorStatus(error: Record<string, unknown>): number {
  const text = `${String(error['type'] ?? '')} ${String(error['code'] ?? '')}`;
  if (/rate_limit|insufficient_quota/.test(text)) return 429;
  if (typeof error['code'] === 'number' && error['code'] >= 400) return error['code'];
  return 500;
}

class OpenAIStreamObserver implements StreamObserver {
  private seenUsage: Usage | null = null;
  private ended = false;

  observe(event: SseEvent): StreamObservation {
    if (event.data.trim() === '[DONE]') {
      this.ended = true;
      return NOTHING_SEEN;
    }
    const chunk = eventJson(event);
    if (!chunk) return NOTHING_SEEN;
    if (isJsonObject(chunk['error'])) {
      this.ended = true;
      return { content: false, error: { status: errorStatus(chunk['error']), body: chunk } };
    }
    const usage = openAIUsage(chunk['usage']);
    if (usage) this.seenUsage = usage;
    const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
    // Some compatible servers never send `[DONE]`: a finish reason ends the answer too.
    if (choices.some((choice) => isJsonObject(choice) && typeof choice['finish_reason'] === 'string'))
      this.ended = true;
    const content = choices.some((choice) => {
      const delta = isJsonObject(choice) && isJsonObject(choice['delta']) ? choice['delta'] : null;
      if (!delta) return false;
      return Boolean(
        delta['content'] || delta['reasoning_content'] || delta['refusal'] || delta['tool_calls'],
      );
    });
    return { content, error: null };
  }

  usage(): Usage | null {
    return this.seenUsage;
  }

  finished(): boolean {
    return this.ended;
  }
}

/** Whether a Chat Completions request asks for the usage chunk at the end of its stream. */
function asksForUsage(body: JsonObject): boolean {
  const options = body['stream_options'];
  return isJsonObject(options) && options['include_usage'] === true;
}

/**
 * A stream carries usage only when asked (`stream_options.include_usage`), and without usage no
 * request could be counted against a key's token budget or in the usage totals. So the gateway asks
 * for it on the client's behalf and drops the usage-only chunk (no choices) the client did not ask
 * for: the client sees the stream it would have seen, the gateway sees the usage.
 */
function withStreamUsage(request: UpstreamRequest, input: PassThroughInput): UpstreamRequest {
  const options = isJsonObject(input.body['stream_options']) ? input.body['stream_options'] : {};
  const body = { ...input.body, model: input.model, stream_options: { ...options, include_usage: true } };
  return { ...request, body: JSON.stringify(body), rewriteStreamEvent: dropUsageOnlyChunk };
}

function dropUsageOnlyChunk(event: SseEvent): string {
  const chunk = eventJson(event);
  const usageOnly =
    chunk !== null && Array.isArray(chunk['choices']) && chunk['choices'].length === 0 && 'usage' in chunk;
  if (usageOnly) return '';
  return event.event ? sseFrame(event.data, event.event) : sseFrame(event.data);
}

/** Any OpenAI-compatible Chat Completions API (OpenAI, Groq, DeepSeek, OpenRouter, vLLM, Ollama…). */
export const openAIAdapter: ProviderAdapter = {
  kind: 'openai',
  nativeProtocol: 'openai-chat',
  signatureFamily: 'openai',
  rateLimitHeaders: 'openai',
  codec: {
    convertRequest: (request) => asJsonBody(convertToOpenAIChatRequest(request)),
    parseResponse: parseOpenAIChatResponse,
    createStreamDecoder: createOpenAIChatStreamDecoder,
  },
  // The OpenAI SDK's convention: the base URL includes the API version.
  defaultBaseUrl: 'https://api.openai.com/v1',

  passThrough(input: PassThroughInput): UpstreamRequest {
    const request: UpstreamRequest = {
      url: `${baseUrlOf(input.account, this)}/chat/completions`,
      method: 'POST',
      headers: {
        authorization: `Bearer ${input.credential.value}`,
        'content-type': 'application/json',
        accept: input.stream ? 'text/event-stream' : 'application/json',
      },
      body: passThroughBody(input),
    };
    return input.stream && !asksForUsage(input.body) ? withStreamUsage(request, input) : request;
  },

  usageFromJson(json) {
    return isJsonObject(json) ? openAIUsage(json['usage']) : null;
  },

  createStreamObserver: () => new OpenAIStreamObserver(),
};

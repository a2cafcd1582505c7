import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { Usage } from '../../core/model/index.js';
import {
  asJsonBody,
  baseUrlOf,
  count,
  eventJson,
  NOTHING_SEEN,
  type PassThroughInput,
  type ProviderAdapter,
  type SseEvent,
  type StreamObservation,
  type StreamObserver,
  type UpstreamRequest,
} from '../provider-adapter.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { createGeminiStreamDecoder } from './gemini-stream-decoder.js';
import { parseGeminiResponse } from './parse-gemini-response.js';

/** Gemini usageMetadata → canonical usage (candidates exclude thoughts; we count both as output). */
export function geminiUsage(value: unknown): Usage | null {
  if (!isJsonObject(value)) return null;
  const thoughts = count(value['thoughtsTokenCount']);
  return {
    inputTokens: count(value['promptTokenCount']),
    outputTokens: count(value['candidatesTokenCount']) + thoughts,
    cacheReadTokens: count(value['cachedContentTokenCount']),
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

/** The `thoughtSignature`s of a Gemini response (or stream chunk), in order. */
export function geminiThoughtSignatures(response: unknown): string[] {
  const candidates =
    isJsonObject(response) && Array.isArray(response['candidates']) ? response['candidates'] : [];
  const signatures: string[] = [];
  for (const candidate of candidates) {
    const content = isJsonObject(candidate) ? candidate['content'] : undefined;
    const parts = isJsonObject(content) && Array.isArray(content['parts']) ? content['parts'] : [];
    for (const part of parts) {
      const signature = isJsonObject(part) ? part['thoughtSignature'] : undefined;
      if (typeof signature === 'string' && signature !== '') signatures.push(signature);
    }
  }
  return signatures;
}

class GeminiStreamObserver implements StreamObserver {
  private seenUsage: Usage | null = null;
  private readonly seenSignatures: string[] = [];
  private ended = false;

  observe(event: SseEvent): StreamObservation {
    const chunk = eventJson(event);
    if (!chunk) return NOTHING_SEEN;
    if (isJsonObject(chunk['error'])) {
      this.ended = true;
      const code = chunk['error']['code'];
      return { content: false, error: { status: typeof code === 'number' ? code : 500, body: chunk } };
    }
    const usage = geminiUsage(chunk['usageMetadata']);
    if (usage) this.seenUsage = usage;
    this.seenSignatures.push(...geminiThoughtSignatures(chunk));
    const candidates = Array.isArray(chunk['candidates']) ? chunk['candidates'] : [];
    if (endsAnswer(chunk, candidates)) this.ended = true;
    const content = candidates.some((candidate) => {
      const parts =
        isJsonObject(candidate) && isJsonObject(candidate['content']) ? candidate['content']['parts'] : null;
      return Array.isArray(parts) && parts.length > 0;
    });
    return { content, error: null };
  }

  usage(): Usage | null {
    return this.seenUsage;
  }

  signatures(): readonly string[] {
    return this.seenSignatures;
  }
  finished(): boolean {
    return this.ended;
  }
}

/** A candidate's `finishReason`, or a prompt blocked before any candidate, ends a Gemini answer. */
function endsAnswer(chunk: JsonObject, candidates: unknown[]): boolean {
  if (
    candidates.some((candidate) => isJsonObject(candidate) && typeof candidate['finishReason'] === 'string')
  )
    return true;
  const feedback = chunk['promptFeedback'];
  return candidates.length === 0 && isJsonObject(feedback) && typeof feedback['blockReason'] === 'string';
}

/** The Gemini (Generative Language) API with an API key or an OAuth bearer token. */
export const geminiAdapter: ProviderAdapter = {
  kind: 'gemini',
  nativeProtocol: 'gemini',
  signatureFamily: 'google',
  // Rate limits are not stated per answer: quota comes from the quota API.
  rateLimitHeaders: null,
  codec: {
    convertRequest: (request) => asJsonBody(convertToGeminiRequest(request)),
    parseResponse: parseGeminiResponse,
    createStreamDecoder: () => createGeminiStreamDecoder(),
  },
  // The @google/genai convention: the base URL has no version; paths start with /v1beta.
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',

  passThrough(input: PassThroughInput): UpstreamRequest {
    const method =
      input.operation === 'count-tokens'
        ? 'countTokens'
        : input.stream
          ? 'streamGenerateContent'
          : 'generateContent';
    const query = input.stream ? '?alt=sse' : '';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (input.credential.kind === 'bearer') headers['authorization'] = `Bearer ${input.credential.value}`;
    else headers['x-goog-api-key'] = input.credential.value;
    return {
      url: `${baseUrlOf(input.account, this)}/v1beta/models/${encodeURIComponent(input.model)}:${method}${query}`,
      method: 'POST',
      headers,
      // The model travels in the URL; the body is forwarded byte for byte.
      body: input.rawBody ?? JSON.stringify(input.body),
    };
  },

  usageFromJson(json) {
    return isJsonObject(json) ? geminiUsage(json['usageMetadata']) : null;
  },

  signaturesFromJson: geminiThoughtSignatures,

  createStreamObserver: () => new GeminiStreamObserver(),
};

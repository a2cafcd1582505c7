import { isJsonObject, type JsonObject } from '../../core/json.js';
import { convertToGeminiRequest, type GeminiRequest } from '../gemini/convert-to-gemini-request.js';
import { geminiAdapter, geminiThoughtSignatures, geminiUsage } from '../gemini/gemini-adapter.js';
import { parseGeminiResponse } from '../gemini/parse-gemini-response.js';
import {
  asJsonBody,
  type PassThroughInput,
  type ProviderAdapter,
  type SseEvent,
  type StreamObservation,
  type StreamObserver,
  type UpstreamRequest,
} from '../provider-adapter.js';
import type { CodeAssistContext } from './code-assist-context.js';
import { codeAssistRequestType, codeAssistSessionId, codeAssistUserAgent } from './code-assist-identity.js';
import { createCodeAssistStreamDecoder } from './code-assist-stream-decoder.js';
import { unwrapCodeAssistResponse } from './unwrap-code-assist-response.js';
import { wrapCodeAssistRequest } from './wrap-code-assist-request.js';

/** The unwrapped (Gemini) JSON text of one Code Assist answer or event; the input when it is not JSON. */
function unwrapText(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  const inner = unwrapCodeAssistResponse(json);
  return inner === json ? text : JSON.stringify(inner);
}

/** The Gemini observer, fed the Gemini payload inside each `{response}` event. */
class CodeAssistStreamObserver implements StreamObserver {
  private readonly inner = geminiAdapter.createStreamObserver();

  observe(event: SseEvent): StreamObservation {
    return this.inner.observe({ ...event, data: unwrapText(event.data) });
  }

  finished(): boolean {
    return this.inner.finished();
  }

  usage() {
    return this.inner.usage();
  }

  signatures() {
    return this.inner.signatures?.() ?? [];
  }
}

function methodOf(input: PassThroughInput): string {
  if (input.operation === 'count-tokens') return 'countTokens';
  return input.stream ? 'streamGenerateContent' : 'generateContent';
}

/**
 * `countTokens` takes `{request: {model: "models/<id>", contents}}`; a Gemini client sends
 * `{contents}` or `{generateContentRequest: {contents, …}}`.
 */
function countTokensBody(body: JsonObject, model: string): JsonObject {
  const nested = isJsonObject(body['generateContentRequest']) ? body['generateContentRequest'] : body;
  return { request: { model: `models/${model}`, contents: nested['contents'] ?? [] } };
}

/**
 * Google Cloud Code `v1internal` with OAuth accounts (the upstream of the reference): serves Gemini
 * clients by wrapping their request in the reference's envelope (`wrapCodeAssistRequest`: model,
 * project, user agent, request type and id) with its client headers, and unwrapping each answer
 * and stream event from `{response: …}`. The project comes from the account's `extra['code-assist']`
 * (discovered through `loadCodeAssist` before the first request, see `withCodeAssistProjects`).
 * Equivalent endpoints are tried in order on 404/408/5xx/network errors, never on 429.
 */
export function createCodeAssistAdapter(context: CodeAssistContext): ProviderAdapter {
  return {
    kind: 'code-assist',
    nativeProtocol: 'gemini',
    signatureFamily: 'google',
    // Rate limits are not stated per answer: quota comes from the quota API.
    rateLimitHeaders: null,
    // `passThrough` wraps the Gemini body (it knows the account's project) and `rewriteJsonResponse`
    // unwraps JSON answers; stream events reach the decoder still wrapped.
    codec: {
      convertRequest: (request) => asJsonBody(convertToGeminiRequest(request)),
      parseResponse: parseGeminiResponse,
      createStreamDecoder: createCodeAssistStreamDecoder,
    },
    defaultBaseUrl: 'https://cloudcode-pa.googleapis.com',

    passThrough(input: PassThroughInput): UpstreamRequest {
      const [first, ...rest] = context.endpointsFor(input.account);
      const method = methodOf(input);
      const query = input.stream && input.operation === 'generate' ? '?alt=sse' : '';
      const body =
        input.operation === 'count-tokens'
          ? countTokensBody(input.body, input.model)
          : wrapCodeAssistRequest({
              model: input.model,
              project: context.projectOf(input.account) ?? undefined,
              // The client's Gemini body travels as is: unknown fields survive.
              request: input.body as unknown as GeminiRequest,
              userAgent: codeAssistUserAgent(input.account.email),
              requestType: codeAssistRequestType(input.model),
              requestId: context.newRequestId(),
              sessionId: codeAssistSessionId(input.account.id),
            });
      const url = (base: string | undefined) => `${base}:${method}${query}`;
      return {
        url: url(first),
        method: 'POST',
        headers: context.headers(input.credential.value),
        body: JSON.stringify(body),
        fallbackUrls: rest.map(url),
      };
    },

    usageFromJson(json) {
      return isJsonObject(json) ? geminiUsage(json['usageMetadata']) : null;
    },

    // JSON answers reach this point unwrapped (`rewriteJsonResponse`).
    signaturesFromJson: geminiThoughtSignatures,

    createStreamObserver: () => new CodeAssistStreamObserver(),

    rewriteJsonResponse(body: Buffer): Buffer {
      const text = body.toString('utf8');
      const unwrapped = unwrapText(text);
      return unwrapped === text ? body : Buffer.from(unwrapped);
    },

    rewriteStreamEvent(event: SseEvent): string {
      return `data: ${unwrapText(event.data)}\r\n\r\n`;
    },
  };
}

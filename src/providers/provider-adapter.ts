/**
 * The seam between the gateway and one upstream API family. An adapter knows the upstream's URLs,
 * auth headers and wire format — its native protocol for pass-through, and its codec for requests
 * of other protocols; the gateway knows scheduling, retries and the client. Adding a provider
 * means adding a folder with one adapter and one line in registry.ts (docs/adding-a-provider.md).
 */
import type { Account, ProviderKind } from '../core/account.js';
import type { ClientProtocol, Operation } from '../core/client-protocol.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import type {
  CanonicalRequest,
  CanonicalResponse,
  Converted,
  StreamEvent,
  Usage,
} from '../core/model/index.js';
import type { SignatureFamily } from '../core/model/replayed-reasoning.js';
import { replaceModelInBody } from '../core/replace-model-in-body.js';
import type { HeaderFamily } from '../ratelimit/index.js';

/** The secret to present upstream, after any OAuth refresh. */
export interface AuthorizedCredential {
  /** `api_key`: the provider's key header; `bearer`: `Authorization: Bearer`. */
  kind: 'api_key' | 'bearer';
  value: string;
}

/** One HTTP request to an upstream. */
export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer | string;
  /**
   * Further URLs for the same request, tried in order when one answers 404, 408 or 5xx or cannot
   * be reached (never on 429) — for upstreams with several equivalent endpoints (Code Assist).
   */
  fallbackUrls?: string[];
  /**
   * Rewrites each event of this request's stream for the client (returns the SSE text to send, ''
   * to drop it); wins over the adapter's `rewriteStreamEvent`. For a request the adapter changed on
   * the way up, whose extra output the client did not ask for.
   */
  rewriteStreamEvent?: (event: SseEvent) => string;
}

/** A client request of the adapter's native protocol, to forward as is but for model and auth. */
export interface PassThroughInput {
  account: Account;
  credential: AuthorizedCredential;
  operation: Operation;
  /** The model to send upstream (after mapping). */
  model: string;
  stream: boolean;
  body: JsonObject;
  /** The body bytes exactly as the client sent them. */
  rawBody: Buffer | null;
  clientHeaders: Record<string, string | string[] | undefined>;
  /** The client's query string without `?` (e.g. `beta=true`, `alt=sse`), or empty. */
  query: string;
}

/** One parsed server-sent event. */
export interface SseEvent {
  event?: string | undefined;
  data: string;
}

/** What one stream event tells the gateway. */
export interface StreamObservation {
  /** The event carries output for the client (text, tool call, reasoning): the commit point. */
  content: boolean;
  /** An in-band error payload, when the event reports one. */
  error: { status: number; body: unknown } | null;
}

/** Watches a pass-through stream for the commit point, in-band errors and usage. */
export interface StreamObserver {
  observe(event: SseEvent): StreamObservation;
  /** Usage seen so far (the final counts once the stream ended). */
  usage(): Usage | null;
  /**
   * Reasoning signatures the upstream issued in the stream so far (thinking signatures, redacted
   * thinking data, thought signatures), so later requests can tell which family can verify them.
   */
  signatures?(): readonly string[];
  /**
   * Whether the stream reached the protocol's own end — OpenAI a `finish_reason` or `[DONE]`,
   * Anthropic `message_stop`, Gemini a `finishReason` (or a blocked prompt) — or reported an error.
   * A stream that ends cleanly before that was cut short: the gateway never relays it as complete.
   */
  finished(): boolean;
}

/** Turns one upstream stream into canonical events. */
export interface StreamDecoder {
  push(event: SseEvent): StreamEvent[];
  /** Events owed when the upstream stream ended (an error when it ended before finishing). */
  end(): StreamEvent[];
}

/**
 * The upstream side of translation: canonical request → the upstream's body, and the upstream's
 * answers (JSON, and SSE events as they reach the gateway) → canonical.
 */
export interface UpstreamCodec {
  convertRequest(request: CanonicalRequest): Converted<JsonObject>;
  parseResponse(json: unknown): CanonicalResponse;
  createStreamDecoder(): StreamDecoder;
}

/** A converter's typed body as the JSON object it is. */
export function asJsonBody<T>(converted: Converted<T>): Converted<JsonObject> {
  return converted as unknown as Converted<JsonObject>;
}

export interface ProviderAdapter {
  kind: ProviderKind;
  /** The client protocol this upstream speaks, served by pass-through. */
  nativeProtocol: ClientProtocol;
  /**
   * How requests of the other client protocols are translated for this upstream (its body built
   * with `passThrough` from the converted request); absent = only its native protocol is served.
   */
  codec?: UpstreamCodec;
  /** Who can verify the reasoning signatures this upstream issues (and which ones it verifies). */
  signatureFamily: SignatureFamily;
  /**
   * The rate-limit headers its answers carry (`x-ratelimit-*`, `anthropic-ratelimit-*`), read for
   * quota and predicted limits; null when it sends none (its quota comes from an API, if at all).
   */
  rateLimitHeaders: HeaderFamily | null;
  /** The public API base URL, following the official SDK's convention for this provider. */
  defaultBaseUrl: string;
  /** Builds the upstream request for a native-protocol client request. */
  passThrough(input: PassThroughInput): UpstreamRequest;
  /** Usage from a complete JSON response of the native protocol. */
  usageFromJson(json: unknown): Usage | null;
  createStreamObserver(): StreamObserver;
  /** Reasoning signatures in a complete JSON response of the native protocol (see `StreamObserver.signatures`). */
  signaturesFromJson?(json: unknown): string[];
  /**
   * For upstreams whose native answers wrap the client protocol's (Code Assist wraps Gemini in
   * `{response: …}`): rewrites a complete JSON answer for the client. Absent = bytes unchanged.
   */
  rewriteJsonResponse?(body: Buffer): Buffer;
  /** Like `rewriteJsonResponse`, per stream event; returns the SSE text to send for it. */
  rewriteStreamEvent?(event: SseEvent): string;
}

/** Base URL without a trailing slash. */
export function baseUrlOf(account: Account, adapter: Pick<ProviderAdapter, 'defaultBaseUrl'>): string {
  return (account.baseUrl ?? adapter.defaultBaseUrl).replace(/\/+$/, '');
}

/**
 * The body to send: the client's bytes with only the model rewritten when possible; without bytes
 * (a translated or rewritten body), `body` serialized with the model set. `body` is never changed.
 */
export function passThroughBody(input: PassThroughInput): string | Buffer {
  const named = input.body['model'] === input.model;
  if (input.rawBody && named) return input.rawBody;
  const rewritten = input.rawBody ? replaceModelInBody(input.rawBody, input.model) : null;
  if (rewritten) return rewritten;
  // A body that already names the model (a translated body always does) is serialized as it is:
  // the copy exists only to set another model without changing the caller's object.
  return JSON.stringify(named ? input.body : { ...input.body, model: input.model });
}

/** A header value as a single string. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Reads a non-negative integer field, 0 when absent. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** An event that tells the gateway nothing (keep-alives, `[DONE]`, non-JSON lines). */
export const NOTHING_SEEN: StreamObservation = { content: false, error: null };

/** The event's data as a JSON object, or null when it is not one (observers then ignore it). */
export function eventJson(event: SseEvent): JsonObject | null {
  try {
    const value: unknown = JSON.parse(event.data);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

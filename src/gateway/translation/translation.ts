import type { JsonObject } from '../../core/json.js';
import type { CanonicalResponse, StreamEvent, Warning } from '../../core/model/index.js';
import type { DecodedClientRequest, EncodeContext } from '../../protocols/client-protocol-descriptor.js';
import type { SseEvent, UpstreamCodec } from '../../providers/provider-adapter.js';

/** Turns one upstream stream into the client's stream, event by event. */
export interface StreamTranslator {
  event(event: SseEvent): string;
  /** What the client still needs when the upstream stream ended (closing events, or an error). */
  end(): string;
  /**
   * The client protocol's own error event, ending the client's stream when the upstream breaks off
   * after the commit point (a Responses client needs `response.failed`, not a Chat-style error chunk).
   */
  fail(message: string): string;
}

/** Everything one attempt needs to talk to an upstream of another protocol than the client's. */
export interface Translation {
  /**
   * The request body in the upstream's format, handed over once: the translation keeps no reference,
   * so a large request's converted body is garbage as soon as it is serialized for the upstream
   * (instead of living, beside the client body and the canonical request, until the answer ends).
   */
  takeBody(): JsonObject;
  /** A complete upstream JSON answer → the client's JSON answer. */
  translateJson(json: unknown): Buffer;
  createStreamTranslator(): StreamTranslator;
  /** Observes every canonical stream event (to keep Responses conversations). */
  onEvent?: (event: StreamEvent) => void;
}

export interface TranslationOptions {
  decoded: DecodedClientRequest;
  codec: UpstreamCodec;
  /** The model sent upstream. */
  model: string;
  stream: boolean;
  context: EncodeContext;
  /** Lossy conversions, logged by the caller with the request id. */
  onWarnings: (warnings: Warning[]) => void;
  /** Sees each canonical answer (JSON: once; streams: every event). */
  onResponse?: (response: CanonicalResponse) => void;
  onStreamEvent?: (event: StreamEvent) => void;
}

/** Builds the translation for one attempt: converts the request now, answers on demand. */
export function createTranslation(options: TranslationOptions): Translation {
  const { decoded, codec, context } = options;
  const converted = codec.convertRequest({
    ...decoded.request,
    model: options.model,
    stream: options.stream,
  });
  if (converted.warnings.length > 0) options.onWarnings(converted.warnings);
  let body: JsonObject | null = converted.value;
  return {
    takeBody() {
      if (!body) throw new Error('the translated body was already taken');
      const taken = body;
      body = null;
      return taken;
    },
    translateJson(json) {
      const response = codec.parseResponse(json);
      options.onResponse?.(response);
      return Buffer.from(JSON.stringify(decoded.encodeResponse(response, context)));
    },
    createStreamTranslator() {
      const decoder = codec.createStreamDecoder();
      const encoder = decoded.createStreamEncoder(context);
      const encode = (events: StreamEvent[]) =>
        events
          .map((event) => {
            options.onStreamEvent?.(event);
            return encoder.encode(event);
          })
          .join('');
      return {
        event: (event) => encode(decoder.push(event)),
        end: () => encode(decoder.end()),
        fail: (message) => encode([{ type: 'error', error: { type: 'api_error', message } }]),
      };
    },
  };
}

/**
 * Everything the gateway knows about one client protocol, in one value: each
 * `src/protocols/<protocol>/index.ts` exports one, and `registry.ts` lists them. The server, the
 * gateway and translation read protocol knowledge only from here, so adding a protocol is adding
 * a folder and one registry line (docs/adding-a-provider.md).
 */
import type { ClientProtocol, ErrorDialect, Operation } from '../core/client-protocol.js';
import type { JsonObject } from '../core/json.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent, Warning } from '../core/model/index.js';
import type { ReasoningJudge, SignatureFamily } from '../core/model/replayed-reasoning.js';
import type { SessionRule } from '../session/index.js';

/** What an answer needs to know about the request it answers. */
export interface EncodeContext {
  /** The id of the answer (`msg_…`, `chatcmpl-…`, `resp_…`), for encoders that need one. */
  id: string;
  /** The model to report when the upstream does not name one. */
  model: string;
  /** Epoch ms. */
  now: number;
}

export interface StreamEncoder {
  encode(event: StreamEvent): string;
}

/**
 * A decoded client request and how to answer it in the client's protocol. The per-request
 * encoding options the decoder found (tool-name maps, include flags) are captured by the two
 * encoders, so the gateway handles every protocol the same way.
 */
export interface DecodedClientRequest {
  request: CanonicalRequest;
  warnings: Warning[];
  encodeResponse(response: CanonicalResponse, context: EncodeContext): unknown;
  createStreamEncoder(context: EncodeContext): StreamEncoder;
  /** Responses API: the earlier response this one continues. */
  previousResponseId?: string | undefined;
  /** Responses API: whether to keep this response for a later `previous_response_id`. */
  store?: boolean;
}

/** A `POST` endpoint of a protocol whose body names the model (`model`). */
export interface ProtocolEndpoint {
  path: string;
  operation: Operation;
  /** Whether the answer streams, when the endpoint decides it; absent = the body's `stream`. */
  stream?: boolean;
}

export interface ClientProtocolDescriptor {
  name: ClientProtocol;
  /**
   * The endpoints the server registers for this protocol. Gemini names the model in the path
   * (`/v1beta/models/{model}:{method}`): the server parses those itself.
   */
  endpoints: readonly ProtocolEndpoint[];
  /**
   * Decodes a client body into the canonical model with the encoders of its answers; throws
   * `invalid_request` naming the field when the body is structurally wrong. `model` is the
   * client's model (Gemini names it in the URL), `stream` whether the client asked for a stream.
   */
  decode(body: JsonObject, options: { model: string; stream: boolean }): DecodedClientRequest;
  /** The shape of this protocol's errors, JSON and in-stream. */
  errorDialect: ErrorDialect;
  /** How this protocol's bodies identify a conversation, for sticky sessions. */
  session: SessionRule;
  /** Prepended to the request id (without `req_`) to form the id of a translated answer. */
  idPrefix: string;
  /** The body of a locally estimated count-tokens answer. */
  countTokensBody(tokens: number): JsonObject;
  /**
   * Whether answers are kept for a later request to continue (Responses `previous_response_id`),
   * unless the request says `store: false`.
   */
  keepsConversations: boolean;
  /**
   * Whether a stream asked for with this query string (without `?`) is written as one JSON array
   * of whole answers instead of SSE: Gemini's `streamGenerateContent` without `alt=sse`. Absent:
   * streams are always SSE.
   */
  streamsAsJsonArray?(query: string): boolean;
  /**
   * For a body passed through to an upstream of `family`: the body with its replayed reasoning put
   * through `judge` (`repaired`: the resend after the upstream could not verify it); null when
   * nothing changes or the protocol carries no reasoning that family verifies. Absent: bodies of
   * this protocol are never changed.
   */
  filterReasoning?(
    body: JsonObject,
    options: { judge: ReasoningJudge; family: SignatureFamily; repaired: boolean },
  ): JsonObject | null;
}

import type { FinishReason, Usage } from './canonical-response.js';

/**
 * The canonical stream: what provider stream decoders produce and protocol stream encoders consume.
 * Events are named noun-verb. Each content block is bracketed by its `*-start` and `*-end` events
 * and identified by `id` (unique within one response); blocks do not interleave in practice, but
 * encoders must tolerate a new block starting before the previous one ended (they close it).
 *
 * A well-formed stream is: `response-metadata`? (content blocks)* `finish`, or ends with `error`.
 */
export type StreamEvent =
  | ResponseMetadataEvent
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | ReasoningStartEvent
  | { type: 'reasoning-delta'; id: string; delta: string }
  | ReasoningEndEvent
  | { type: 'tool-input-start'; id: string; name: string }
  | { type: 'tool-input-delta'; id: string; delta: string }
  | { type: 'tool-input-end'; id: string }
  | ToolCallEvent
  | FinishEvent
  | StreamErrorEvent;

/** What the upstream said about the response before any content; each field only when known. */
export interface ResponseMetadataEvent {
  type: 'response-metadata';
  id?: string;
  model?: string;
  /** Epoch ms. */
  createdAt?: number;
}

/** A reasoning block begins. */
export interface ReasoningStartEvent {
  type: 'reasoning-start';
  id: string;
  /** Set when the whole block is redacted/encrypted and known up front (Anthropic `redacted_thinking`). */
  redactedData?: string;
}

/** A reasoning block ends; carries what only arrives at the end. */
export interface ReasoningEndEvent {
  type: 'reasoning-end';
  id: string;
  /** Opaque signature of the block's text (Anthropic `signature_delta`). */
  signature?: string;
  /** Encrypted reasoning that only arrives at the end (OpenAI Responses `encrypted_content`). */
  redactedData?: string;
}

/**
 * A complete tool call. Follows the `tool-input-*` events of the same `id` when the tool input was
 * streamed; may also arrive alone (encoders then emit the whole call at once).
 */
export interface ToolCallEvent {
  type: 'tool-call';
  /** The tool-call id (`toolu_…`, `call_…`). For streamed input, the same id as `tool-input-start`. */
  id: string;
  name: string;
  /** The complete arguments as JSON text (`{}` when the model sent none). */
  input: string;
}

/** The response is complete. */
export interface FinishEvent {
  type: 'finish';
  finishReason: FinishReason;
  /** The stop sequence that ended generation, when one did. */
  stopSequence?: string;
  usage: Usage;
}

/** The upstream reported an error inside the stream; nothing follows. */
export interface StreamErrorEvent {
  type: 'error';
  error: {
    /** The upstream's error type or code (`overloaded_error`, `server_error`), or `unknown`. */
    type: string;
    message: string;
  };
}

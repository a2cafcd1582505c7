import type { JsonValue } from '../json.js';

/**
 * The content parts a canonical message is made of. Every protocol and provider converts its own
 * blocks to and from these; anything that does not fit is dropped with a warning by the converter.
 */

/**
 * Anthropic-style prompt-cache breakpoint: the prefix up to and including the part that carries it
 * is cached. Providers without explicit breakpoints ignore it (they cache prefixes on their own).
 */
export interface CacheControl {
  type: 'ephemeral';
  /** Cache lifetime; the provider default (5 minutes for Anthropic) when absent. */
  ttl?: '5m' | '1h';
}

/** Plain text. */
export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
}

/** Binary content given inline, base64-encoded, or by URL. */
export type MediaSource =
  | {
      type: 'base64';
      /** IANA media type, e.g. `image/png`, `application/pdf`. */
      mediaType: string;
      /** Base64 data without a `data:` prefix. */
      data: string;
    }
  | {
      type: 'url';
      /** An `http(s):` URL the upstream fetches itself. */
      url: string;
    };

/** An image the model should look at. */
export interface ImagePart {
  type: 'image';
  source: MediaSource;
  cacheControl?: CacheControl;
}

/** A document (PDF or plain text) attached to a user message. */
export interface FilePart {
  type: 'file';
  source: MediaSource;
  /** File name shown to the model, when the client gave one. */
  filename?: string;
  cacheControl?: CacheControl;
}

/** A tool invocation the assistant made. */
export interface ToolCallPart {
  type: 'tool-call';
  /** Id that the matching tool-result refers to (`toolu_…`, `call_…`). */
  id: string;
  /** Tool name as declared in `CanonicalRequest.tools`. */
  name: string;
  /**
   * The arguments, parsed. Usually an object; `{}` when the model sent none. When a client sent
   * arguments that are not valid JSON the decoder keeps `{}` and warns.
   */
  input: JsonValue;
  cacheControl?: CacheControl;
}

/** The result of running a tool, sent back by the client. */
export interface ToolResultPart {
  type: 'tool-result';
  /** Id of the tool-call this answers. */
  toolCallId: string;
  /**
   * Name of the tool that was called, filled by decoders from the matching tool-call when it is in
   * the conversation (Gemini needs it; Anthropic and OpenAI do not send it).
   */
  toolName?: string;
  /** Plain text, or text and image parts (only Anthropic accepts images in tool results). */
  content: string | Array<TextPart | ImagePart>;
  /** The tool failed; the content describes the failure. */
  isError?: boolean;
  cacheControl?: CacheControl;
}

/**
 * Model reasoning ("thinking"). Providers that verify reasoning they produced earlier (Anthropic,
 * Gemini, OpenAI Responses) need the opaque `signature` or `redactedData` back unchanged; reasoning
 * without them cannot be replayed to those providers and is dropped with a warning.
 */
export interface ReasoningPart {
  type: 'reasoning';
  /** The readable reasoning; empty for redacted or encrypted reasoning. */
  text: string;
  /** Opaque signature proving the text came from the provider (Anthropic `signature`). */
  signature?: string;
  /**
   * Opaque encrypted reasoning with no readable text (Anthropic `redacted_thinking.data`,
   * OpenAI Responses `encrypted_content`).
   */
  redactedData?: string;
}

export type UserContentPart = TextPart | ImagePart | FilePart;
export type AssistantContentPart = TextPart | ReasoningPart | ToolCallPart;
export type ContentPart = TextPart | ImagePart | FilePart | ToolCallPart | ToolResultPart | ReasoningPart;

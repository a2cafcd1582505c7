import type { JsonValue } from '../../core/json.js';
import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import type { AssistantContentPart } from '../../core/model/content-part.js';
import {
  type AnthropicStopReason,
  type AnthropicUsage,
  encodeAnthropicStopReason,
  encodeAnthropicUsage,
} from './encode-anthropic-usage.js';

/** A content block of an Anthropic response. */
export type AnthropicResponseBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: JsonValue };

/** The body of a non-streamed Anthropic Messages response. */
export interface AnthropicMessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

/** Canonical response → the body an Anthropic client expects from `POST /v1/messages`. */
export function encodeAnthropicResponse(response: CanonicalResponse): AnthropicMessageResponse {
  return {
    id: response.id,
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: response.content.map(encodeBlock),
    stop_reason: encodeAnthropicStopReason(response.finishReason, response.stopSequence),
    stop_sequence: response.stopSequence ?? null,
    usage: encodeAnthropicUsage(response.usage),
  };
}

function encodeBlock(part: AssistantContentPart): AnthropicResponseBlock {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'reasoning':
      if (part.redactedData !== undefined && part.text === '') {
        return { type: 'redacted_thinking', data: part.redactedData };
      }
      // Reasoning from another provider has no signature; clients keep it but never verify it.
      return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: part.input };
  }
}

import { z } from 'zod';
import type { JsonValue } from '../../core/json.js';
import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import type { AssistantContentPart } from '../../core/model/content-part.js';
import { jsonValueSchema } from '../../core/model/json-value-schema.js';
import { validateUpstream } from '../../core/model/validate-upstream.js';
import {
  anthropicUsageSchema,
  parseAnthropicStopReason,
  parseAnthropicUsage,
} from './parse-anthropic-usage.js';

const blockSchema = z.object({
  type: z.string(),
  text: z.string().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
  data: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: jsonValueSchema.optional(),
});

/**
 * A non-streamed Messages response, tolerant: unknown fields and block types are allowed. Unknown
 * fields are dropped while parsing (`z.object`), not copied: the canonical response reads none.
 */
const anthropicResponseSchema = z.object({
  id: z.string(),
  model: z.string().optional(),
  content: z.array(blockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});

/**
 * The JSON body of an Anthropic `POST /v1/messages` response → canonical response. Server-tool
 * blocks (`server_tool_use`, `web_search_tool_result`, …) have no canonical form and are skipped.
 * Throws `upstream_error` when the body is not a Messages response at all.
 */
export function parseAnthropicResponse(json: unknown): CanonicalResponse {
  const response = validateUpstream(anthropicResponseSchema, json, 'Anthropic message');
  const content: AssistantContentPart[] = [];
  for (const block of response.content) {
    const part = parseBlock(block);
    if (part) content.push(part);
  }
  const result: CanonicalResponse = {
    id: response.id,
    model: response.model ?? '',
    content,
    finishReason: parseAnthropicStopReason(response.stop_reason),
    usage: parseAnthropicUsage(response.usage),
  };
  if (response.stop_reason === 'stop_sequence' && response.stop_sequence) {
    result.stopSequence = response.stop_sequence;
  }
  return result;
}

function parseBlock(block: z.infer<typeof blockSchema>): AssistantContentPart | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text ?? '' };
    case 'thinking':
      return block.signature
        ? { type: 'reasoning', text: block.thinking ?? '', signature: block.signature }
        : { type: 'reasoning', text: block.thinking ?? '' };
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: block.data ?? '' };
    case 'tool_use':
      return {
        type: 'tool-call',
        id: block.id ?? '',
        name: block.name ?? '',
        input: block.input ?? ({} as JsonValue),
      };
    default:
      return undefined;
  }
}

import { z } from 'zod';
import type { FinishReason, Usage } from '../../core/model/canonical-response.js';

/** Anthropic `usage`, tolerant: every count may be missing or null. */
export const anthropicUsageSchema = z.object({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/**
 * Anthropic usage → canonical usage. Anthropic's `input_tokens` excludes cache reads and writes,
 * so canonical `inputTokens` adds them; thinking tokens are not reported apart (they are part of
 * `output_tokens`), so `reasoningTokens` stays 0.
 */
export function parseAnthropicUsage(usage: AnthropicUsage | null | undefined): Usage {
  const cacheReadTokens = usage?.cache_read_input_tokens ?? 0;
  const cacheWriteTokens = usage?.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (usage?.input_tokens ?? 0) + cacheReadTokens + cacheWriteTokens,
    outputTokens: usage?.output_tokens ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: 0,
  };
}

/**
 * Anthropic `stop_reason` → canonical finish reason. `refusal` is a content filter;
 * `model_context_window_exceeded` is a length stop; `pause_turn` (a server tool paused the turn)
 * and anything new are `other`.
 */
export function parseAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

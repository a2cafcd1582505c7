import { z } from 'zod';
import type { FinishReason, Usage } from '../../core/model/canonical-response.js';

/** Chat Completions `usage`, tolerant of the variations of OpenAI-compatible servers. */
export const openAIChatUsageSchema = z.object({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z
    .object({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() })
    .nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().nullish() }).nullish(),
  /** DeepSeek reports cache hits here instead of `prompt_tokens_details.cached_tokens`. */
  prompt_cache_hit_tokens: z.number().nullish(),
});
export type OpenAIChatUsage = z.infer<typeof openAIChatUsageSchema>;

/**
 * OpenAI usage → canonical usage. `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning tokens, as in the canonical convention.
 */
export function parseOpenAIChatUsage(usage: OpenAIChatUsage | null | undefined): Usage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cacheReadTokens: usage?.prompt_tokens_details?.cached_tokens ?? usage?.prompt_cache_hit_tokens ?? 0,
    cacheWriteTokens: usage?.prompt_tokens_details?.cache_write_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** Chat Completions `finish_reason` → canonical; the legacy `function_call` counts as tool calls. */
export function parseOpenAIFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}

import type { FinishReason, Usage } from '../../core/model/canonical-response.js';

/** OpenAI's usage object; `prompt_tokens` includes cached tokens, `completion_tokens` reasoning. */
export interface OpenAIChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** Canonical usage → OpenAI usage. Cache writes have no OpenAI field; they stay inside `prompt_tokens`. */
export function encodeOpenAIChatUsage(usage: Usage): OpenAIChatUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Canonical finish reason → OpenAI `finish_reason`; `error` and `other` read as a normal stop. */
export function encodeOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

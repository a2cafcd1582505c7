import type { FinishReason, Usage } from '../../core/model/canonical-response.js';

/** Anthropic's usage object. `input_tokens` excludes the cache reads and writes, unlike canonical usage. */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export function encodeAnthropicUsage(usage: Usage): AnthropicUsage {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens),
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
  };
}

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

/**
 * Canonical finish reason → Anthropic `stop_reason`. `error` and `other` have no Anthropic
 * counterpart a client would act on, so they read as a normal end of turn.
 */
export function encodeAnthropicStopReason(reason: FinishReason, stopSequence?: string): AnthropicStopReason {
  switch (reason) {
    case 'stop':
      return stopSequence === undefined ? 'end_turn' : 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

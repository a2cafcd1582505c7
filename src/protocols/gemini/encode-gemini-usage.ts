import type { FinishReason, Usage } from '../../core/model/canonical-response.js';

/** Gemini `usageMetadata`. `candidatesTokenCount` excludes thoughts; `promptTokenCount` includes the cache. */
export interface GeminiUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
}

export function encodeGeminiUsage(usage: Usage): GeminiUsageMetadata {
  const metadata: GeminiUsageMetadata = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - usage.reasoningTokens),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cacheReadTokens > 0) metadata.cachedContentTokenCount = usage.cacheReadTokens;
  if (usage.reasoningTokens > 0) metadata.thoughtsTokenCount = usage.reasoningTokens;
  return metadata;
}

export type GeminiFinishReason = 'STOP' | 'MAX_TOKENS' | 'SAFETY' | 'OTHER';

/**
 * Canonical finish reason → Gemini `finishReason`. Gemini ends a turn of function calls with STOP
 * (clients look at the parts), and has no reason of its own for errors.
 */
export function encodeGeminiFinishReason(reason: FinishReason): GeminiFinishReason {
  switch (reason) {
    case 'stop':
    case 'tool-calls':
      return 'STOP';
    case 'length':
      return 'MAX_TOKENS';
    case 'content-filter':
      return 'SAFETY';
    default:
      return 'OTHER';
  }
}

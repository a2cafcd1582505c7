import type { AssistantContentPart } from './content-part.js';

/**
 * Why generation ended:
 * - `stop`: the model finished, or produced a stop sequence;
 * - `length`: the output-token limit (or the context window) was reached;
 * - `tool-calls`: the model is waiting for tool results;
 * - `content-filter`: the provider refused or filtered the output;
 * - `error`: generation failed mid-way;
 * - `other`: anything else (for example Anthropic `pause_turn`).
 */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/**
 * Token counts of one response, in one convention whatever the provider:
 * - `inputTokens` is the whole prompt, cached parts included (like OpenAI `prompt_tokens`; Anthropic
 *   reports `input_tokens` without the cache reads and writes, so its converters add them);
 * - `cacheReadTokens` and `cacheWriteTokens` are the parts of `inputTokens` read from / written to the cache;
 * - `outputTokens` is everything generated, reasoning included;
 * - `reasoningTokens` is the part of `outputTokens` spent reasoning (0 when not reported).
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/** A response with every count at zero, to fill in as counts arrive. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
}

/** A complete (non-streamed) answer. */
export interface CanonicalResponse {
  /** The upstream's response id (`msg_…`, `chatcmpl-…`). */
  id: string;
  /** The model that answered, as the upstream reported it. */
  model: string;
  /** When the upstream created the response (epoch ms), when it said so (OpenAI `created`). */
  createdAt?: number;
  /** What the model produced, in order. */
  content: AssistantContentPart[];
  finishReason: FinishReason;
  /** The stop sequence that ended generation, when `finishReason` is `stop` because of one. */
  stopSequence?: string;
  usage: Usage;
}

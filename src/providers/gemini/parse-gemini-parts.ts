import { z } from 'zod';
import { sha256Hex } from '../../core/ids.js';
import type { FinishReason, Usage } from '../../core/model/canonical-response.js';
import { jsonObjectSchema } from '../../core/model/json-value-schema.js';

/**
 * Tolerant schemas for what Gemini sends back (a `GenerateContentResponse`, whole or as one stream
 * chunk): unknown fields and part kinds are allowed, everything is optional.
 */
export const geminiResponsePartSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: z
    .looseObject({
      name: z.string(),
      args: jsonObjectSchema.nullish(),
      id: z.string().nullish(),
    })
    .optional(),
});
export type GeminiResponsePart = z.infer<typeof geminiResponsePartSchema>;

export const geminiUsageSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
});

export const geminiResponseSchema = z.looseObject({
  candidates: z
    .array(
      z.looseObject({
        content: z.looseObject({ parts: z.array(geminiResponsePartSchema).optional() }).nullish(),
        finishReason: z.string().nullish(),
      }),
    )
    .optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: geminiUsageSchema.nullish(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  createTime: z.string().optional(),
});
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;

function count(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * `usageMetadata` → canonical usage. Gemini's prompt count already includes the cached part; tool-use
 * prompt tokens (search results fed back in) are input too; candidates exclude thoughts, which the
 * canonical output includes.
 */
export function parseGeminiUsage(usage: z.infer<typeof geminiUsageSchema> | null | undefined): Usage {
  const thoughts = count(usage?.thoughtsTokenCount);
  return {
    inputTokens: count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount),
    outputTokens: count(usage?.candidatesTokenCount) + thoughts,
    cacheReadTokens: count(usage?.cachedContentTokenCount),
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

const FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
]);

/**
 * Gemini `finishReason` → canonical. Gemini ends function-call turns with STOP, so `hasToolCalls`
 * turns STOP into `tool-calls`. MALFORMED_FUNCTION_CALL and the other reasons are `other`.
 */
export function parseGeminiFinishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  if (reason === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason && FILTER_REASONS.has(reason)) return 'content-filter';
  return hasToolCalls ? 'tool-calls' : 'other';
}

/**
 * The id of a function call Gemini sent without one: unique per response (`responseId`, or the
 * chunk text when there is none) and call, so no two calls of a conversation share an id.
 */
export function geminiCallId(options: { name: string; index: number; responseKey: string }): string {
  const safeName = options.name.replace(/[^A-Za-z0-9_-]/g, '_');
  return `call_${sha256Hex(options.responseKey).slice(0, 12)}_${options.index}_${safeName}`.slice(0, 40);
}

import { z } from 'zod';

/** One model's quota as `v1internal:fetchAvailableModels` reports it. */
export interface AvailableModelQuota {
  /** Remaining share, 0..1. */
  remainingFraction: number;
  /** When it resets (epoch ms), when stated. */
  resetAt: number | null;
}

const modelSchema = z.looseObject({
  quotaInfo: z
    .looseObject({
      remainingFraction: z.number().optional(),
      resetTime: z.string().optional(),
    })
    .optional()
    .catch(undefined),
});

const answerSchema = z.looseObject({ models: z.record(z.string(), z.unknown()).optional().catch(undefined) });

/** Model families the reference keeps (§8.2); other entries are internal helpers, not chat models. */
const KEPT_PREFIXES = ['gemini', 'claude', 'gpt', 'image', 'imagen'];

function resetTime(text: string | undefined): number | null {
  if (text === undefined) return null;
  const time = Date.parse(text);
  return Number.isFinite(time) ? time : null;
}

/**
 * A `fetchAvailableModels` answer (`{models: {<id>: {quotaInfo: {remainingFraction, resetTime}}}}`)
 * → quota per model id. A model with `quotaInfo` but no `remainingFraction` is used up (the API
 * leaves the field out at zero); a model without `quotaInfo` has no quota to report and is skipped.
 */
export function parseAvailableModels(json: unknown): Record<string, AvailableModelQuota> {
  const models = answerSchema.safeParse(json).data?.models ?? {};
  const quota: Record<string, AvailableModelQuota> = {};
  for (const [id, value] of Object.entries(models)) {
    if (!KEPT_PREFIXES.some((prefix) => id.toLowerCase().startsWith(prefix))) continue;
    const info = modelSchema.safeParse(value).data?.quotaInfo;
    if (info === undefined) continue;
    const fraction = Math.min(1, Math.max(0, info.remainingFraction ?? 0));
    quota[id] = { remainingFraction: fraction, resetAt: resetTime(info.resetTime) };
  }
  return quota;
}

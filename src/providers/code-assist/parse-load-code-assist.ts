import { z } from 'zod';
import type { Tier } from '../../core/account.js';

/** What `v1internal:loadCodeAssist` tells about an account. */
export interface CodeAssistAccountInfo {
  /** `cloudaicompanionProject`: the project every request of the account names; null when none yet. */
  projectId: string | null;
  /** The tier as scheduling ranks it; null when the name maps to none. */
  tier: Tier | null;
  /** The upstream's own tier name or id (`g1-pro-tier`, `free-tier`, …), for display; null when absent. */
  tierName: string | null;
  /**
   * The tier to onboard an account without a project with (`onboardUser`): the default of
   * `allowedTiers`, else the current tier, else `legacy-tier` (what the Gemini CLI does).
   */
  onboardTierId: string;
  /** Why the account cannot use some tiers (`ineligibleTiers[].reasonMessage`), for error messages. */
  ineligibleReasons: string[];
}

const tierSchema = z.looseObject({ id: z.string().optional(), name: z.string().optional() }).nullish();

const loadCodeAssistSchema = z.looseObject({
  // A string, or `{id, name}` in some answers.
  cloudaicompanionProject: z
    .union([z.string(), z.looseObject({ id: z.string().optional() })])
    .nullish()
    .catch(null),
  currentTier: tierSchema.catch(null),
  paidTier: tierSchema.catch(null),
  allowedTiers: z
    .array(z.looseObject({ id: z.string().optional(), isDefault: z.boolean().optional() }))
    .nullish()
    .catch(null),
  ineligibleTiers: z
    .array(z.looseObject({ reasonMessage: z.string().optional() }))
    .nullish()
    .catch(null),
});

/** What an answer without usable fields tells: nothing, and onboarding with the legacy tier. */
const NOTHING: CodeAssistAccountInfo = {
  projectId: null,
  tier: null,
  tierName: null,
  onboardTierId: 'legacy-tier',
  ineligibleReasons: [],
};

/**
 * The tier a Code Assist tier id or name stands for: `ultra` → ULTRA; `pro`, `standard` and
 * `enterprise` (paid editions) → PRO; `free` and `legacy` → FREE; anything else unknown.
 */
export function tierFromName(name: string | null): Tier | null {
  const lower = name?.toLowerCase() ?? '';
  if (lower.includes('ultra')) return 'ULTRA';
  if (/pro|standard|enterprise/.test(lower)) return 'PRO';
  if (/free|legacy/.test(lower)) return 'FREE';
  return null;
}

/**
 * A `loadCodeAssist` answer → project and tier. The paid tier (a subscription such as Google AI
 * Pro or Ultra) wins over the current tier, as in the reference (§8.2). Tolerant: fields of an
 * unexpected shape count as absent.
 */
export function parseLoadCodeAssist(json: unknown): CodeAssistAccountInfo {
  const parsed = loadCodeAssistSchema.safeParse(json);
  if (!parsed.success) return NOTHING;
  const { cloudaicompanionProject: project, currentTier, paidTier } = parsed.data;
  const projectId = typeof project === 'string' ? project : (project?.id ?? null);
  const paidName = paidTier?.id ?? paidTier?.name ?? null;
  const currentName = currentTier?.id ?? currentTier?.name ?? null;
  const tierName = paidName ?? currentName;
  const tier = tierFromName(paidName) ?? tierFromName(currentName);
  const defaultTier = parsed.data.allowedTiers?.find((allowed) => allowed.isDefault)?.id;
  const ineligibleReasons = (parsed.data.ineligibleTiers ?? []).flatMap((ineligible) =>
    ineligible.reasonMessage ? [ineligible.reasonMessage] : [],
  );
  return {
    projectId: projectId || null,
    tier,
    tierName,
    onboardTierId: defaultTier ?? currentTier?.id ?? NOTHING.onboardTierId,
    ineligibleReasons,
  };
}

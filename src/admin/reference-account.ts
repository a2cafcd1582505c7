/**
 * One account file of Antigravity Manager (the reference; `accounts/<id>.json` in its data
 * folder, its §6.5) → the store's input, with every field Switchyard has a place for: the OAuth
 * token and the client it was issued to, project, tier, quota, label, the disabled,
 * proxy-disabled and forbidden states, a pending verification, and the account's id and times.
 * Left out on purpose: the device fingerprint (`device_profile`, `device_history`, used to switch
 * the IDE's account), the per-account proxy binding (`proxy_id`), the display `name`, and what the
 * gateway re-learns by itself (`live_limited_models`, `protected_models`, `quota_groups`,
 * `model_forwarding_rules`).
 */
import { z } from 'zod';
import type { ModelQuota } from '../core/account.js';
import { OAUTH_EXTRA_KEY } from '../providers/auth/oauth-clients.js';
import { CODE_ASSIST_EXTRA_KEY } from '../providers/code-assist/code-assist-context.js';
import { tierFromName } from '../providers/code-assist/parse-load-code-assist.js';
import type { NewAccountInput, RestoredAccountState } from '../store/account-patch.js';
import { VERIFICATION_KEY } from '../store/account-verification.js';

// Optional fields of an unexpected type count as absent: one odd field never fails an import.
const text = z.string().nullish().catch(undefined);
const flag = z.boolean().optional().catch(undefined);
const time = z.number().nonnegative().nullish().catch(undefined);

const quotaSchema = z.looseObject({
  models: z
    .array(z.looseObject({ name: z.string().min(1), percentage: z.number(), reset_time: text }))
    .optional()
    .catch(undefined),
  last_updated: time,
  is_forbidden: flag,
  forbidden_reason: text,
  subscription_tier: text,
});

/** The fields of a reference account file that Switchyard reads (the rest is ignored). */
export const referenceAccountSchema = z.looseObject({
  id: text,
  email: z.string().trim().min(1),
  token: z.looseObject({
    refresh_token: z.string().trim().min(1),
    access_token: text,
    expiry_timestamp: time,
    project_id: text,
    oauth_client_key: text,
  }),
  quota: quotaSchema.nullish().catch(undefined),
  disabled: flag,
  disabled_reason: text,
  disabled_at: time,
  proxy_disabled: flag,
  proxy_disabled_reason: text,
  validation_blocked: flag,
  validation_blocked_until: time,
  validation_url: text,
  custom_label: text,
  created_at: time,
  last_used: time,
});
export type ReferenceAccount = z.output<typeof referenceAccountSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A pending verification is recorded as asked this long before its block ends (the reference blocks for 10 minutes). */
const VALIDATION_BLOCK_MS = 10 * 60_000;

/** The reference writes Unix seconds; a value this large is already milliseconds. */
function epochMs(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return value < 1e12 ? value * 1000 : value;
}

function quotaOf(record: ReferenceAccount, now: number): Record<string, ModelQuota> {
  const observedAt = epochMs(record.quota?.last_updated) ?? now;
  const quota: Record<string, ModelQuota> = {};
  for (const model of record.quota?.models ?? []) {
    const resetAt = model.reset_time ? Date.parse(model.reset_time) : Number.NaN;
    quota[model.name] = {
      remainingFraction: Math.min(1, Math.max(0, model.percentage / 100)),
      resetAt: Number.isNaN(resetAt) ? null : resetAt,
      observedAt,
      source: 'api',
    };
  }
  return quota;
}

function extraOf(record: ReferenceAccount, now: number): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  const codeAssist = {
    ...(record.token.project_id ? { projectId: record.token.project_id } : {}),
    ...(record.quota?.subscription_tier ? { tierName: record.quota.subscription_tier } : {}),
  };
  if (Object.keys(codeAssist).length > 0) extra[CODE_ASSIST_EXTRA_KEY] = codeAssist;
  if (record.token.oauth_client_key) extra[OAUTH_EXTRA_KEY] = { client_key: record.token.oauth_client_key };
  if (record.validation_blocked && record.validation_url) {
    const until = epochMs(record.validation_blocked_until);
    extra[VERIFICATION_KEY] = {
      url: record.validation_url,
      at: until === null ? now : until - VALIDATION_BLOCK_MS,
    };
  }
  return extra;
}

/**
 * Disabled and proxy-disabled as the file has them. A forbidden account (`quota.is_forbidden`,
 * a 403 the reference recorded) stays out of the pool: proxy-disabled with the forbidden reason.
 */
function stateOf(record: ReferenceAccount, now: number): RestoredAccountState {
  const forbidden = record.quota?.is_forbidden === true;
  const proxyDisabled = record.proxy_disabled === true || forbidden;
  const forbiddenReason = `Forbidden (403): ${record.quota?.forbidden_reason ?? 'the upstream refused the account'}`;
  return {
    ...(record.id && UUID.test(record.id) ? { id: record.id.toLowerCase() } : {}),
    disabled: record.disabled === true,
    disabledReason: record.disabled_reason ?? null,
    disabledAt: epochMs(record.disabled_at),
    proxyDisabled,
    proxyDisabledReason: record.proxy_disabled_reason ?? (forbidden ? forbiddenReason : null),
    quota: quotaOf(record, now),
    createdAt: epochMs(record.created_at) ?? now,
    lastUsedAt: epochMs(record.last_used),
  };
}

/** A reference account file → the store's input (a `code-assist` OAuth account), at time `now`. */
export function referenceAccountInput(record: ReferenceAccount, now: number): NewAccountInput {
  return {
    provider: 'code-assist',
    email: record.email,
    credential: {
      type: 'oauth',
      refreshToken: record.token.refresh_token,
      accessToken: record.token.access_token ?? null,
      expiresAt: epochMs(record.token.expiry_timestamp),
      tokenUrl: null,
      clientId: null,
      clientSecret: null,
    },
    tier: tierFromName(record.quota?.subscription_tier ?? null),
    label: record.custom_label ?? null,
    extra: extraOf(record, now),
    restore: stateOf(record, now),
  };
}

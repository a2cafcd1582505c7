/** The UI's copy of the scheduler's quota-protection rule (src/scheduler/quota-protection.ts), on the public view. */
import { modelMatches } from '../../../src/core/account.js';
import type { PublicModelQuota, SwitchyardConfig } from '../api/types.js';

export type QuotaProtectionSettings = Pick<
  SwitchyardConfig['proxy']['quota_protection'],
  'enabled' | 'threshold_percentage' | 'monitored_models'
>;

/**
 * Whether the scheduler skips an account for `model` because of quota protection: protection is on,
 * the model is monitored (exact id or `*` wildcard; an empty list monitors every model, as the
 * scheduler does), and the observed remaining quota is below the threshold. An unknown quota, or one
 * whose reset time has passed, counts as full.
 */
export function isModelProtected(options: {
  model: string;
  quota: PublicModelQuota | undefined;
  settings: QuotaProtectionSettings;
  /** Epoch ms: an observation whose reset time has passed counts as full, as in the scheduler. */
  now: number;
}): boolean {
  const { model, quota, settings } = options;
  if (!settings.enabled) return false;
  if (quota?.reset_at && Date.parse(quota.reset_at) <= options.now) return false;
  const monitored =
    settings.monitored_models.length === 0 ||
    settings.monitored_models.some((pattern) => modelMatches(pattern, model));
  if (!monitored) return false;
  const remaining = quota && Number.isFinite(quota.remaining_fraction) ? quota.remaining_fraction : 1;
  return remaining < settings.threshold_percentage / 100;
}

/** Remaining quota as a whole percentage, 0..100. */
export function quotaPercent(quota: Pick<PublicModelQuota, 'remaining_fraction'>): number {
  return Math.round(Math.min(1, Math.max(0, quota.remaining_fraction)) * 100);
}

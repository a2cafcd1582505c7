import type { Account } from '../core/account.js';
import { modelMatches } from '../core/account.js';
import { remainingFraction } from './account-order.js';

/** Skips an account for a model whose observed remaining quota fell below a threshold. */
export interface QuotaProtectionConfig {
  enabled: boolean;
  /** An account is protected for a monitored model when its remaining quota is below this many percent. */
  thresholdPercentage: number;
  /** Model ids or `*` wildcard patterns that are protected; other models never are. */
  monitoredModels: readonly string[];
}

/** Models answered per config object; cleared when it grows past this many distinct models. */
const MAX_MEMOISED_MODELS = 1024;
const monitoredCache = new WeakMap<QuotaProtectionConfig, Map<string, boolean>>();

/**
 * The remaining fraction below which an account is protected for `model`, or -1 when protection
 * does not apply to that model (disabled, or the model is not monitored; an empty monitored list
 * monitors every model). Memoised per config
 * object, so a frozen config makes this one map read per pick.
 */
export function protectionThreshold(config: QuotaProtectionConfig, model: string): number {
  if (!config.enabled) return -1;
  let models = monitoredCache.get(config);
  if (models === undefined) {
    models = new Map();
    monitoredCache.set(config, models);
  }
  let monitored = models.get(model);
  if (monitored === undefined) {
    // An empty list monitors every model: turning protection on with no list protects them all.
    monitored =
      config.monitoredModels.length === 0 ||
      config.monitoredModels.some((pattern) => modelMatches(pattern, model));
    if (models.size >= MAX_MEMOISED_MODELS) models.clear();
    models.set(model, monitored);
  }
  return monitored ? config.thresholdPercentage / 100 : -1;
}

/**
 * The remaining quota fraction protection judges `account` by for `model` at `now`: the observed
 * one, or 1 once the observation's stated reset time has passed. A protected account gets no
 * traffic and so no fresh rate-limit headers; judging it by the stale value would keep it out of
 * rotation for that model for good.
 */
export function protectedFraction(account: Account, model: string, now: number): number {
  const resetAt = account.quota[model]?.resetAt;
  if (resetAt !== undefined && resetAt !== null && resetAt <= now) return 1;
  return remainingFraction(account, model);
}

/** Whether quota protection keeps `account` from serving `model` at `now`. */
export function isQuotaProtected(
  account: Account,
  model: string,
  options: { config: QuotaProtectionConfig; now: number },
): boolean {
  return protectedFraction(account, model, options.now) < protectionThreshold(options.config, model);
}

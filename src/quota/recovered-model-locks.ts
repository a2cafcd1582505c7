import type { RateLimitLock } from '../core/limits.js';
import type { ReportedQuota } from './quota-source.js';

/**
 * The models of `accountId` whose lock a fresh quota read allows to lift: locked at model scope,
 * and now reported with quota left. Account-level locks and models the read did not mention stay
 * locked — a refresh never wipes locks wholesale (the reference cleared every lock on each refresh,
 * sending exhausted accounts back into rotation).
 */
export function recoveredModelLocks(options: {
  locks: readonly RateLimitLock[];
  accountId: string;
  models: Readonly<Record<string, ReportedQuota>>;
}): string[] {
  const recovered = new Set<string>();
  for (const lock of options.locks) {
    if (lock.accountId !== options.accountId || lock.scope !== 'model' || lock.model === null) continue;
    if ((options.models[lock.model]?.remainingFraction ?? 0) > 0) recovered.add(lock.model);
  }
  return [...recovered];
}

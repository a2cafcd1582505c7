import { GRACE_RETRY_MAX_MS } from '../ratelimit/index.js';
import type { AccountDecision, SchedulingConfig } from './pick.js';

/**
 * How long (ms) the request that saw a failure may wait out its account's lock and retry there (a
 * grace retry), by mode and by how the account was chosen: only in CacheFirst, and only on the
 * account the request is meant to stay on — its session's (`sticky`) or the pinned one (`fixed`) —
 * up to the short-pause bound and `maxWaitSeconds`; 0 otherwise. Balance and PerformanceFirst
 * rotate: moving costs them less than the wait. The lock itself stops every other request.
 */
export function graceRetryLimitMs(config: SchedulingConfig, via: AccountDecision['via'] | null): number {
  if (config.mode !== 'CacheFirst' || (via !== 'sticky' && via !== 'fixed')) return 0;
  return Math.min(GRACE_RETRY_MAX_MS, Math.max(0, config.maxWaitSeconds) * 1000);
}

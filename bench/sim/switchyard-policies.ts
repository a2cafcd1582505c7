import type { CircuitBreakerConfig, SchedulerConfig } from '../../src/scheduler/index.js';
import { DEFAULT_WINDOW_MS, RateLimitTracker, Scheduler } from '../../src/scheduler/index.js';
import type { SchedulingMode } from '../../src/scheduler/pick.js';
import type { PolicyContext, PolicyDescriptor, SchedulingPolicy } from './scheduling-policy.js';

/** Switchyard's circuit-breaker defaults (config schema `proxy.circuit_breaker`). */
export const SWITCHYARD_BREAKER: CircuitBreakerConfig = Object.freeze({
  enabled: true,
  backoffSteps: Object.freeze([60, 300, 1800, 7200]),
  maxLockSeconds: 86_400,
});

/** Switchyard's default CacheFirst wait (`proxy.scheduling.max_wait_seconds`). */
export const MAX_WAIT_SECONDS = 60;

/** How one Switchyard policy is configured. */
export interface SwitchyardPolicyOptions {
  mode: SchedulingMode;
  /** Quota-protection threshold in percent, or null for protection off. */
  protectionPercentage: number | null;
  /** The last-used window, ms; default `DEFAULT_WINDOW_MS`. 0 turns it off. */
  windowMs?: number;
  /** Table name; default the mode, with `+protect` when protection is on. */
  name?: string;
}

/** The scheduler configuration of one Switchyard policy. */
export function switchyardConfig(options: SwitchyardPolicyOptions): SchedulerConfig {
  return Object.freeze({
    scheduling: Object.freeze({
      mode: options.mode,
      maxWaitSeconds: MAX_WAIT_SECONDS,
      quotaProtection: Object.freeze({
        enabled: options.protectionPercentage !== null,
        thresholdPercentage: options.protectionPercentage ?? 10,
        monitoredModels: Object.freeze(['*']),
      }),
      windowMs: options.windowMs ?? DEFAULT_WINDOW_MS,
    }),
    circuitBreaker: SWITCHYARD_BREAKER,
  });
}

/** The real `Scheduler` and `RateLimitTracker` over one run's pool and store, as the gateway uses them. */
export function switchyardScheduling(
  context: Pick<PolicyContext, 'pool' | 'store' | 'clock'>,
  config: SchedulerConfig,
): SchedulingPolicy {
  const { pool, store, clock } = context;
  const limits = new RateLimitTracker({ pool, store, clock, config: () => config });
  const scheduler = new Scheduler({ pool, store, clock, config: () => config, limits });
  return {
    select: (request) => scheduler.select(request),
    recordFailure: (report) => limits.recordFailure(report),
    recordSuccess: (success) => limits.recordSuccess(success),
    recordPredictedLimit: (observation) => limits.recordPredictedLimit(observation),
    claimResend: (accountId, model) => limits.claimResend(accountId, model),
    async close() {
      await scheduler.close();
      await limits.close();
    },
  };
}

/** The real `Scheduler` in one mode, with or without quota protection. */
export function switchyardPolicy(options: SwitchyardPolicyOptions): PolicyDescriptor {
  const config = switchyardConfig(options);
  const protection = options.protectionPercentage;
  const window = options.windowMs === undefined ? '' : `, last-used window ${options.windowMs / 1000} s`;
  return {
    name: options.name ?? (protection === null ? options.mode : `${options.mode}+protect`),
    description:
      `Switchyard Scheduler, mode ${options.mode}, ` +
      (protection === null ? 'quota protection off' : `quota protection below ${protection} %`) +
      window,
    create: (context) => switchyardScheduling(context, config),
  };
}

/** Reasons whose short stated pause the previous rules waited out without a lock. */
const PREVIOUS_GRACE_REASONS = new Set(['QuotaExhausted', 'RateLimitExceeded', 'ModelCapacityExhausted']);

/**
 * The real `Scheduler` under the rate-limit rules before issue 10, for comparison: a 429 stating at
 * most 2 s set no lock and was waited out on the same account by the request that saw it (in every
 * mode), rate-limit headers saying nothing is left made no lock, and a success lifted any
 * account-level lock.
 */
export function previousRulesPolicy(options: SwitchyardPolicyOptions & { name: string }): PolicyDescriptor {
  const config = switchyardConfig(options);
  return {
    name: options.name,
    description: `Switchyard Scheduler, mode ${options.mode}, with the rate-limit rules before issue 10`,
    create: (context) => {
      const { store } = context;
      const scheduling = switchyardScheduling(context, config);
      return {
        select: (request) => scheduling.select(request),
        async recordFailure(report) {
          const outcome = await scheduling.recordFailure(report);
          const { classification, lock } = outcome;
          const stated = classification.retryAfterMs;
          const shortPause =
            lock !== null &&
            stated !== null &&
            stated > 0 &&
            stated <= 2_000 &&
            PREVIOUS_GRACE_REASONS.has(classification.reason);
          if (!shortPause) return outcome;
          await store.deleteLocks({ accountId: lock.accountId, model: lock.model });
          return {
            ...outcome,
            lock: null,
            decision: { ...outcome.decision, lock: null, graceRetryMs: stated },
          };
        },
        async recordSuccess(success) {
          await store.resetFailureCount(success.accountId);
          await store.deleteLocks({ accountId: success.accountId, model: null });
        },
        recordPredictedLimit: async () => null,
        claimResend: (accountId, model) => scheduling.claimResend(accountId, model),
        close: () => scheduling.close(),
      };
    },
  };
}

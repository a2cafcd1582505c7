import type { CircuitBreakerConfig, SchedulerConfig } from '../../src/scheduler/index.js';
import { DEFAULT_WINDOW_MS, Scheduler } from '../../src/scheduler/index.js';
import type { SchedulingMode } from '../../src/scheduler/pick.js';
import type { PolicyDescriptor } from './scheduling-policy.js';

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
    create: ({ pool, store, clock }) => new Scheduler({ pool, store, clock, config: () => config }),
  };
}

export {
  AccountOrder,
  type AccountOrderOptions,
  compareForModel,
  remainingFraction,
  type SchedulingAccounts,
} from './account-order.js';
export { graceRetryLimitMs } from './grace-retry-limit.js';
export type { FailureOutcome, FailureReport, QuotaObservation } from './limit-records.js';
export { LockTable } from './lock-table.js';
export {
  type AccountAvailabilityOptions,
  type AvailabilityState,
  accountAvailability,
  type ModelAvailability,
} from './model-availability.js';
export {
  type AccountDecision,
  type AllLimitedDecision,
  DEFAULT_WINDOW_MS,
  GRACE_WAIT_MS,
  type NoneEligibleDecision,
  type PickDecision,
  type PickInput,
  type PickRequest,
  type PickState,
  pick,
  type SchedulingConfig,
  type SchedulingMode,
  type UnusableReason,
  type WaitDecision,
} from './pick.js';
export {
  isQuotaProtected,
  protectedFraction,
  protectionThreshold,
  type QuotaProtectionConfig,
} from './quota-protection.js';
export {
  type CircuitBreakerConfig,
  RateLimitTracker,
  type RateLimitTrackerOptions,
} from './rate-limit-tracker.js';
export {
  Scheduler,
  type SchedulerConfig,
  type SchedulerCounts,
  type SchedulerOptions,
} from './scheduler.js';

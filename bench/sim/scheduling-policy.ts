import type { MemoryAccountPool } from '../../src/core/account-pool.js';
import type { FakeClock } from '../../src/core/clock.js';
import type { FailureOutcome, FailureReport, QuotaObservation } from '../../src/scheduler/index.js';
import type { PickDecision, PickRequest } from '../../src/scheduler/pick.js';
import type { MemoryStateStore } from '../../src/state/memory-state-store.js';
import type { Prng } from './prng.js';

/**
 * What the simulated gateway asks of a scheduling policy: the calls the real gateway makes on
 * `Scheduler`. Switchyard's modes are the real `Scheduler`; the baselines implement `select`
 * themselves and record failures through a `Scheduler` configured like the system they model.
 */
export interface SchedulingPolicy {
  select(request: PickRequest): Promise<PickDecision>;
  recordFailure(report: FailureReport): Promise<FailureOutcome>;
  recordSuccess(success: { accountId: string; model: string | null }): Promise<void>;
  /** An answer's rate-limit headers, read as the gateway reads them (predicted limits). */
  recordPredictedLimit(observation: QuotaObservation): Promise<unknown>;
  /** Before a resend to the same account: null when it is locked, else the resend's call number. */
  claimResend(accountId: string, model: string): Promise<number | null>;
  close(): Promise<void>;
}

/** The shared pieces of one run a policy is built on. */
export interface PolicyContext {
  pool: MemoryAccountPool;
  store: MemoryStateStore;
  clock: FakeClock;
  /** The policy's own random stream (the random baseline draws from it). */
  random: Prng;
}

/** A named way to build a policy for a run. */
export interface PolicyDescriptor {
  /** Short name used in tables and JSON, e.g. `Balance+protect`. */
  name: string;
  /** One line saying what the policy is. */
  description: string;
  create(context: PolicyContext): SchedulingPolicy;
}

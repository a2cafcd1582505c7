import type { AccountPool, AccountPoolEvent } from '../core/account-pool.js';
import type { Clock } from '../core/clock.js';
import type { RateLimitLock } from '../core/limits.js';
import { classifyFailure, decideLock, nextFailureCount } from '../ratelimit/index.js';
import type { RemoteChange, StateStore } from '../state/state-store.js';
import { BackgroundTasks } from './background-tasks.js';
import { graceRetryLimitMs } from './grace-retry-limit.js';
import type { FailureOutcome, FailureReport, QuotaObservation } from './limit-records.js';
import type { SchedulingConfig } from './pick.js';
import { PredictedLimits } from './predicted-limits.js';

/** The circuit breaker: whether failures lock accounts, and for how long. */
export interface CircuitBreakerConfig {
  /** When false, failures are classified but never lock an account or count against it. */
  enabled: boolean;
  /** QuotaExhausted backoff in seconds by consecutive-failure count; the last step repeats. */
  backoffSteps: readonly number[];
  /** Upper bound of any lock, seconds (upstream-stated delays included). */
  maxLockSeconds: number;
}

export interface RateLimitTrackerOptions {
  pool: AccountPool;
  store: StateStore;
  clock: Clock;
  /** Read on every call, so changes apply hot. Return frozen objects. */
  config: () => { scheduling: SchedulingConfig; circuitBreaker: CircuitBreakerConfig };
  /** Receives errors of the clean-up that follows pool changes and changes of other instances. */
  onBackgroundError?: (error: unknown) => void;
}

/**
 * The rate-limit bookkeeping (DESIGN §3): turns upstream failures, successes and what answers and
 * quota APIs say is left into locks and failure counts in the `StateStore` — shared with every
 * instance in cluster mode — and answers whether an account is locked. Lock writes use the store's
 * atomic operations, so concurrent writers (on any instance) never shorten an announced window.
 */
export class RateLimitTracker {
  private readonly pool: AccountPool;
  private readonly store: StateStore;
  private readonly clock: Clock;
  private readonly config: RateLimitTrackerOptions['config'];
  private readonly predicted: PredictedLimits;
  private readonly background: BackgroundTasks;
  private readonly unsubscribe: Array<() => void>;

  constructor(options: RateLimitTrackerOptions) {
    this.pool = options.pool;
    this.store = options.store;
    this.clock = options.clock;
    this.config = options.config;
    this.background = new BackgroundTasks(options.onBackgroundError ?? (() => {}));
    this.predicted = new PredictedLimits({
      store: options.store,
      clock: options.clock,
      breaker: () => this.config().circuitBreaker,
    });
    this.unsubscribe = [
      options.pool.subscribe((event) => this.onPoolEvent(event)),
      options.store.onRemoteChange((change) => this.onRemoteChange(change)),
    ];
  }

  /**
   * Classifies an upstream failure and, with the circuit breaker on, locks the account (or its
   * model) and counts the failure. Every retryable failure locks, a short stated pause included;
   * the outcome tells the gateway whether this request may wait that lock out (grace retry) or
   * must rotate. A later lock stored meanwhile (by any request) is kept, and then no grace retry.
   */
  async recordFailure(report: FailureReport): Promise<FailureOutcome> {
    const now = this.clock.now();
    const { circuitBreaker: breaker, scheduling } = this.config();
    const classification = classifyFailure({
      status: report.status,
      headers: report.headers,
      body: report.body,
      now,
    });
    const [previous, stored] = breaker.enabled
      ? await Promise.all([
          this.store.getFailureCount(report.accountId),
          this.store.getLocks(report.accountId, report.model ?? ''),
        ])
      : [null, undefined];
    const decision = decideLock({
      classification,
      accountId: report.accountId,
      model: report.model,
      failureCount: nextFailureCount(previous ?? undefined, now),
      backoffSteps: breaker.backoffSteps,
      maxLockSeconds: breaker.maxLockSeconds,
      graceRetryMaxMs: graceRetryLimitMs(scheduling, report.via ?? null),
      ...(stored ? { stored } : {}),
      now,
    });
    if (!breaker.enabled) return { classification, decision, lock: null };
    const [inForce] = await Promise.all([
      decision.lock === null || decision.keepsStoredLock
        ? decision.lock
        : this.store.extendLock(decision.lock),
      decision.escalatesBackoff ? this.store.incrementFailureCount(report.accountId) : undefined,
    ]);
    if (inForce === decision.lock) return { classification, decision, lock: decision.lock };
    return {
      classification,
      decision: { ...decision, lock: inForce, keepsStoredLock: true, graceRetryMs: null },
      lock: inForce,
    };
  }

  /**
   * A request succeeded on the account: forget its failure count, and lift its account-level lock
   * when that lock's end was only guessed (`backoff`). A window the upstream announced (stated
   * delay, predicted limit) stays: the success may come from a call sent before the announcement.
   */
  async recordSuccess(success: { accountId: string; model: string | null }): Promise<void> {
    const { accountId } = success;
    await Promise.all([
      this.store.resetFailureCount(accountId, { knownOnly: true }),
      this.store.deleteLocks({ accountId, model: null, source: 'backoff' }, { knownOnly: true }),
    ]);
  }

  /**
   * Records what an answer (or a quota API) said is left (DESIGN §3, predicted limit); see
   * `PredictedLimits.record`. Returns the lock set, or null.
   */
  recordPredictedLimit(observation: QuotaObservation): Promise<RateLimitLock | null> {
    return this.predicted.record(observation);
  }

  /** Whether the account is locked for the model now (its account-level or its model lock); false with the breaker off. */
  async isLocked(accountId: string, model: string): Promise<boolean> {
    if (!this.config().circuitBreaker.enabled) return false;
    const locks = await this.store.getLocks(accountId, model);
    return locks.account !== null || locks.model !== null;
  }

  /**
   * Before re-sending to the same account after a pause (a grace retry): null when the account is
   * locked for the model now — another request may have locked it; rotate instead. Otherwise the
   * resend's call number, counted against the account's request budget like a pick.
   */
  async claimResend(accountId: string, model: string): Promise<number | null> {
    if (await this.isLocked(accountId, model)) return null;
    return this.countCall({ accountId, model, now: this.clock.now() });
  }

  /**
   * Numbers a call about to be sent to the account and counts it against its request budget (see
   * `PredictedLimits.countCall`); returns the call's number.
   */
  countCall(call: { accountId: string; model: string; now: number }): Promise<number> {
    return this.predicted.countCall(call);
  }

  /** The active locks. */
  listLocks(): Promise<readonly RateLimitLock[]> {
    return this.store.listLocks();
  }

  /**
   * An operator lifts every lock of one account (all scopes), or every lock: the locks go on every
   * instance, and each forgets what its request budgets knew of them (else its next call would
   * lock them again). Returns how many active locks went.
   */
  clearLocks(accountId?: string): Promise<number> {
    this.predicted.forget(accountId);
    return this.store.deleteLocks(accountId === undefined ? {} : { accountId }, { cleared: true });
  }

  /** Resolves once the clean-up triggered by earlier events has finished. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  /** Stops following the pool and other instances; waits for pending clean-up. Does not close the store. */
  async close(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    await this.settled();
  }

  private onPoolEvent(event: AccountPoolEvent): void {
    if (event.type !== 'remove') return;
    const accountId = event.account.id;
    this.predicted.forget(accountId);
    this.background.add(
      Promise.all([this.store.deleteLocks({ accountId }), this.store.resetFailureCount(accountId)]),
    );
  }

  private onRemoteChange(change: RemoteChange): void {
    if (change.type === 'locks-cleared') this.predicted.forget(change.accountId ?? undefined);
  }
}

import { isSchedulable } from '../core/account.js';
import type { AccountPool, AccountPoolEvent } from '../core/account-pool.js';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import type { RateLimitLock } from '../core/limits.js';
import { classifyFailure, decideLock, nextFailureCount } from '../ratelimit/index.js';
import {
  isSynchronousSchedulingState,
  type SynchronousSchedulingState,
} from '../state/memory-state-store.js';
import type { LastUsedRecord, StateStore } from '../state/state-store.js';
import { AccountOrder } from './account-order.js';
import { graceRetryLimitMs } from './grace-retry-limit.js';
import type { FailureOutcome, FailureReport, QuotaObservation } from './limit-records.js';
import { LockTable } from './lock-table.js';
import type { AccountDecision, PickDecision, PickRequest, SchedulingConfig } from './pick.js';
import { pick } from './pick.js';
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

/** The part of the configuration the scheduler reads, on every call (so changes apply hot). */
export interface SchedulerConfig {
  scheduling: SchedulingConfig;
  circuitBreaker: CircuitBreakerConfig;
}

export interface SchedulerOptions {
  pool: AccountPool;
  store: StateStore;
  clock: Clock;
  /** Returns the current configuration; called on every select and failure. Return a frozen object. */
  config: () => SchedulerConfig;
  /** Receives errors of the clean-up that follows pool changes (dropping bindings, fixed account). */
  onBackgroundError?: (error: unknown) => void;
}

/** The shared state one pick reads. */
interface PickReads {
  boundAccountId: string | null;
  fixedAccountId: string | null;
  lastUsed: LastUsedRecord | null;
  locks: readonly RateLimitLock[];
  /** The round-robin counter after this pick's reservation. */
  reserved: number;
}

/** Numbers for the status page. */
export interface SchedulerCounts {
  bindings: number;
  activeLocks: number;
}

/**
 * The scheduling service: reads the shared state a pick needs from the `StateStore`, runs the pure
 * `pick`, and writes back its effects; records failures and successes as locks and failure counts;
 * keeps the fixed account and bindings consistent with the account pool.
 */
export class Scheduler {
  private readonly pool: AccountPool;
  private readonly store: StateStore;
  /** The same store when it offers synchronous scheduling reads and writes (in-process); else null. */
  private readonly syncStore: SynchronousSchedulingState | null;
  private readonly clock: Clock;
  private readonly config: () => SchedulerConfig;
  private readonly onBackgroundError: (error: unknown) => void;
  private readonly order: AccountOrder;
  private readonly pending = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private lockCache: { source: readonly RateLimitLock[]; table: LockTable } | null = null;
  private readonly predicted: PredictedLimits;

  constructor(options: SchedulerOptions) {
    this.pool = options.pool;
    this.store = options.store;
    this.syncStore = isSynchronousSchedulingState(options.store) ? options.store : null;
    this.clock = options.clock;
    this.config = options.config;
    this.onBackgroundError = options.onBackgroundError ?? (() => {});
    this.order = new AccountOrder(options.pool);
    this.predicted = new PredictedLimits({
      store: options.store,
      clock: options.clock,
      breaker: () => this.config().circuitBreaker,
    });
    this.unsubscribe = options.pool.subscribe((event) => this.onPoolEvent(event));
  }

  /**
   * Chooses the account for one attempt and applies the decision's effects (binding, last used,
   * round-robin counter). On `wait`, sleep `waitMs` and call again; `all-limited` and
   * `none-eligible` are final for this attempt.
   */
  async select(request: PickRequest): Promise<PickDecision> {
    const { scheduling, circuitBreaker } = this.config();
    const cacheAware = scheduling.mode !== 'PerformanceFirst' && !request.forceRotate;
    const sessionId = cacheAware ? request.sessionId : null;
    const { boundAccountId, fixedAccountId, lastUsed, locks, reserved } = this.syncStore
      ? this.readNow(this.syncStore, sessionId, cacheAware)
      : await this.read(sessionId, cacheAware);
    const counter = reserved - 1;
    const now = this.clock.now();
    const decision = pick({
      accounts: this.order,
      request,
      state: {
        boundAccountId,
        fixedAccountId,
        lastUsed,
        roundRobinCounter: counter,
        // With the circuit breaker off nothing counts as limited, not even locks set before.
        locks: circuitBreaker.enabled ? this.lockTable(locks) : LockTable.empty,
      },
      config: scheduling,
      now,
    });
    if (decision.kind !== 'account') return decision;
    const effects = { decision, sessionId: request.sessionId, counter, now };
    if (this.syncStore) this.applyEffectsNow(this.syncStore, effects);
    else await this.applyEffects(effects);
    decision.call = await this.countCall(decision.accountId, request.model, now);
    return decision;
  }

  private async read(sessionId: string | null, cacheAware: boolean): Promise<PickReads> {
    // The counter is reserved up front (atomic increment) so concurrent requests start round robin
    // at different positions instead of piling onto one account.
    const [boundAccountId, fixedAccountId, lastUsed, locks, reserved] = await Promise.all([
      sessionId === null ? null : this.store.getBinding(sessionId),
      this.store.getFixedAccountId(),
      cacheAware ? this.store.getLastUsed() : null,
      this.store.listLocks(),
      this.store.incrementRoundRobin(),
    ]);
    return { boundAccountId, fixedAccountId, lastUsed, locks, reserved };
  }

  /** `read` on an in-process store: the same calls in the same order, without promises. */
  private readNow(
    store: SynchronousSchedulingState,
    sessionId: string | null,
    cacheAware: boolean,
  ): PickReads {
    return {
      boundAccountId: sessionId === null ? null : store.getBindingNow(sessionId),
      fixedAccountId: store.getFixedAccountIdNow(),
      lastUsed: cacheAware ? store.getLastUsedNow() : null,
      locks: store.listLocksNow(),
      reserved: store.incrementRoundRobinNow(),
    };
  }

  /**
   * Classifies an upstream failure and, with the circuit breaker on, locks the account (or its
   * model) and counts the failure. Every retryable failure locks, a short stated pause included;
   * the outcome tells the gateway whether this request may wait that lock out (grace retry) or
   * must rotate.
   */
  async recordFailure(report: FailureReport): Promise<FailureOutcome> {
    const now = this.clock.now();
    const breaker = this.config().circuitBreaker;
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
      graceRetryMaxMs: graceRetryLimitMs(this.config().scheduling, report.via ?? null),
      ...(stored ? { stored } : {}),
      now,
    });
    if (!breaker.enabled) return { classification, decision, lock: null };
    await Promise.all([
      decision.lock === null || decision.keepsStoredLock ? undefined : this.store.setLock(decision.lock),
      decision.escalatesBackoff ? this.store.incrementFailureCount(report.accountId) : undefined,
    ]);
    return { classification, decision, lock: decision.lock };
  }

  /**
   * Before re-sending to the same account after a pause (a grace retry): null when the account is
   * locked for the model now — another request may have locked it; rotate instead. Otherwise the
   * resend's call number, counted against the account's request budget like a pick.
   */
  async claimResend(accountId: string, model: string): Promise<number | null> {
    if (this.config().circuitBreaker.enabled) {
      const locks = await this.store.getLocks(accountId, model);
      if (locks.account !== null || locks.model !== null) return null;
    }
    return this.countCall(accountId, model, this.clock.now());
  }

  /**
   * Records what an answer (or a quota API) said is left (DESIGN §3, predicted limit); see
   * `PredictedLimits.record`. Returns the lock set, or null.
   */
  recordPredictedLimit(observation: QuotaObservation): Promise<RateLimitLock | null> {
    return this.predicted.record(observation);
  }

  /**
   * A request succeeded on the account: forget its failure count, and lift its account-level lock
   * when that lock's end was only guessed (`backoff`). A window the upstream announced (stated
   * delay, predicted limit) stays: the success may come from a call sent before the announcement.
   */
  async recordSuccess(success: { accountId: string; model: string | null }): Promise<void> {
    const { accountId } = success;
    const store = this.syncStore;
    if (store) {
      store.resetFailureCountNow(accountId);
      // Nearly always no lock: reading and deleting one may touch the lock persistence, so only then go async.
      if (!store.hasStoredLock(accountId, null)) return;
    } else {
      await this.store.resetFailureCount(accountId);
    }
    // The model is irrelevant here: only the account-level lock is read.
    const { account } = await this.store.getLocks(accountId, success.model ?? '');
    if (account?.source === 'backoff') await this.store.deleteLocks({ accountId, model: null });
  }

  /** The pinned account, if any. */
  getFixedAccount(): Promise<string | null> {
    return this.store.getFixedAccountId();
  }

  /**
   * Pins an account (null to unpin). Runtime state only; cleared automatically when the account is
   * disabled, proxy-disabled or deleted. Throws `not_found` for an unknown account and `conflict`
   * for one that cannot be scheduled.
   */
  async setFixedAccount(accountId: string | null): Promise<void> {
    if (accountId !== null) {
      const account = this.pool.get(accountId);
      if (account === undefined) throw new SwitchyardError('not_found', `No account with id ${accountId}.`);
      if (!isSchedulable(account)) {
        throw new SwitchyardError(
          'conflict',
          `Account ${account.email} is disabled and cannot be the fixed account.`,
        );
      }
    }
    await this.store.setFixedAccountId(accountId);
  }

  /** Drops every session binding; returns how many there were. */
  clearBindings(): Promise<number> {
    return this.store.clearBindings();
  }

  /** The active locks. */
  listLocks(): Promise<readonly RateLimitLock[]> {
    return this.store.listLocks();
  }

  /**
   * Lifts every lock of one account (all scopes), or every lock, and forgets what this instance's
   * request budgets knew of them (else the next call would lock them again); returns how many
   * active locks went.
   */
  clearLocks(accountId?: string): Promise<number> {
    this.predicted.forget(accountId);
    return this.store.deleteLocks(accountId === undefined ? {} : { accountId });
  }

  async counts(): Promise<SchedulerCounts> {
    const [bindings, locks] = await Promise.all([this.store.countBindings(), this.store.listLocks()]);
    return { bindings, activeLocks: locks.length };
  }

  /** Resolves once the clean-up triggered by earlier pool changes has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Stops following the pool; waits for pending clean-up. Does not close the store. */
  async close(): Promise<void> {
    this.unsubscribe();
    this.order.close();
    await this.settled();
  }

  private async applyEffects(effects: {
    decision: AccountDecision;
    sessionId: string | null;
    counter: number;
    now: number;
  }): Promise<void> {
    const { decision, sessionId, counter, now } = effects;
    const skipped = (decision.advanceCounterTo ?? 0) - (counter + 1);
    await Promise.all([
      sessionId !== null && decision.bind ? this.store.setBinding(sessionId, decision.accountId) : undefined,
      sessionId !== null && decision.unbind && !decision.bind
        ? this.store.deleteBinding(sessionId)
        : undefined,
      decision.setLastUsed ? this.store.setLastUsed({ accountId: decision.accountId, at: now }) : undefined,
      // Move past the accounts this pick skipped, so the next request does not land on the same one.
      skipped > 0 ? this.store.incrementRoundRobin(skipped) : undefined,
    ]);
  }

  /** `applyEffects` on an in-process store, the same writes in the same order. */
  private applyEffectsNow(
    store: SynchronousSchedulingState,
    effects: { decision: AccountDecision; sessionId: string | null; counter: number; now: number },
  ): void {
    const { decision, sessionId, counter, now } = effects;
    const skipped = (decision.advanceCounterTo ?? 0) - (counter + 1);
    if (sessionId !== null && decision.bind) store.setBindingNow(sessionId, decision.accountId);
    if (sessionId !== null && decision.unbind && !decision.bind) store.deleteBindingNow(sessionId);
    if (decision.setLastUsed) store.setLastUsedNow({ accountId: decision.accountId, at: now });
    if (skipped > 0) store.incrementRoundRobinNow(skipped);
  }

  private countCall(accountId: string, model: string, now: number): Promise<number> {
    const provider = this.pool.get(accountId)?.provider ?? null;
    return this.predicted.countCall({ accountId, model, provider, now });
  }

  private lockTable(locks: readonly RateLimitLock[]): LockTable {
    if (this.lockCache?.source !== locks) this.lockCache = { source: locks, table: LockTable.from(locks) };
    return this.lockCache.table;
  }

  private onPoolEvent(event: AccountPoolEvent): void {
    if (event.type === 'remove') {
      this.inBackground(this.forgetAccount(event.account.id, { removed: true }));
    } else if (event.type === 'upsert') {
      // A new account has no bindings yet, so only a change from schedulable needs the clean-up.
      const becameUnschedulable =
        event.previous !== null && isSchedulable(event.previous) && !isSchedulable(event.account);
      if (becameUnschedulable) this.inBackground(this.forgetAccount(event.account.id, { removed: false }));
    } else {
      this.inBackground(this.dropStaleFixedAccount());
    }
  }

  /** A disabled or removed account loses its bindings and its place as fixed account. */
  private async forgetAccount(accountId: string, how: { removed: boolean }): Promise<void> {
    await Promise.all([
      this.store.deleteBindingsForAccount(accountId),
      this.clearFixedIf((fixed) => fixed === accountId),
      how.removed ? this.store.deleteLocks({ accountId }) : undefined,
      how.removed ? this.store.resetFailureCount(accountId) : undefined,
    ]);
    if (how.removed) this.predicted.forget(accountId);
  }

  private async dropStaleFixedAccount(): Promise<void> {
    await this.clearFixedIf((fixed) => {
      const account = this.pool.get(fixed);
      return account === undefined || !isSchedulable(account);
    });
  }

  private async clearFixedIf(stale: (fixedAccountId: string) => boolean): Promise<void> {
    const fixed = await this.store.getFixedAccountId();
    if (fixed !== null && stale(fixed)) await this.store.setFixedAccountId(null);
  }

  private inBackground(task: Promise<void>): void {
    const tracked = task.catch(this.onBackgroundError).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

import { type Account, isSchedulable } from '../core/account.js';
import type { AccountPool, AccountPoolEvent } from '../core/account-pool.js';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import type { RateLimitLock } from '../core/limits.js';
import type { PickEffects, PickQuery, PickSnapshot, StateStore } from '../state/state-store.js';
import { AccountOrder } from './account-order.js';
import { BackgroundTasks } from './background-tasks.js';
import { LockTable } from './lock-table.js';
import { accountAvailability, type ModelAvailability } from './model-availability.js';
import type { AccountDecision, PickDecision, PickRequest, SchedulingConfig } from './pick.js';
import { pick } from './pick.js';
import type { CircuitBreakerConfig, RateLimitTracker } from './rate-limit-tracker.js';

export type { CircuitBreakerConfig } from './rate-limit-tracker.js';

/** The part of the configuration the scheduler reads, on every call (so changes apply hot). */
export interface SchedulerConfig {
  scheduling: SchedulingConfig;
  circuitBreaker: CircuitBreakerConfig;
}

export interface SchedulerOptions {
  pool: AccountPool;
  store: StateStore;
  clock: Clock;
  /** Returns the current configuration; called on every select. Return a frozen object. */
  config: () => SchedulerConfig;
  /** The rate-limit bookkeeping: numbers and counts each call a pick lets go. */
  limits: RateLimitTracker;
  /** Receives errors of the clean-up that follows pool changes (dropping bindings, fixed account). */
  onBackgroundError?: (error: unknown) => void;
}

/** Numbers for the status page. */
export interface SchedulerCounts {
  bindings: number;
  activeLocks: number;
}

/**
 * The scheduling service: reads what a pick needs from the `StateStore` in one batch, runs the
 * pure `pick`, and applies its effects in one batch (binding, last used, round-robin counter);
 * keeps the fixed account and bindings consistent with the account pool. Depends on the
 * `StateStore` contract only: in process, both batches are synchronous; on Redis, each is one
 * round trip, and the write is awaited only when the pick binds its session.
 */
export class Scheduler {
  private readonly pool: AccountPool;
  private readonly store: StateStore;
  private readonly clock: Clock;
  private readonly config: () => SchedulerConfig;
  private readonly limits: RateLimitTracker;
  private readonly order: AccountOrder;
  private readonly background: BackgroundTasks;
  private readonly unsubscribe: () => void;
  private lockCache: { source: readonly RateLimitLock[]; table: LockTable } | null = null;

  constructor(options: SchedulerOptions) {
    this.pool = options.pool;
    this.store = options.store;
    this.clock = options.clock;
    this.config = options.config;
    this.limits = options.limits;
    this.background = new BackgroundTasks(options.onBackgroundError ?? (() => {}));
    this.order = new AccountOrder(options.pool);
    this.unsubscribe = options.pool.subscribe((event) => this.onPoolEvent(event));
  }

  /**
   * Chooses the account for one attempt and applies the decision's effects (binding, last used,
   * round-robin counter). On `wait`, sleep `waitMs` and call again; `all-limited` and
   * `none-eligible` are final for this attempt. When another request (on any instance) bound the
   * session first, the request follows that binding if it can serve.
   */
  async select(request: PickRequest): Promise<PickDecision> {
    const { scheduling } = this.config();
    const cacheAware = scheduling.mode !== 'PerformanceFirst' && !request.forceRotate;
    const query: PickQuery = {
      sessionId: cacheAware ? request.sessionId : null,
      lastUsed: cacheAware && request.sessionId === null,
    };
    const read = this.store.readForPick(query);
    let snapshot = read instanceof Promise ? await read : read;
    let now = this.clock.now();
    let decision = this.decide(request, snapshot, now);
    if (snapshot.leased && !(decision.kind === 'account' && decision.via === 'sticky')) {
      // The lease answered for a binding this pick does not follow: decide on the shared state.
      snapshot = await this.store.readForPick({ ...query, fresh: true });
      now = this.clock.now();
      decision = this.decide(request, snapshot, now);
    }
    if (decision.kind !== 'account') return decision;
    const effects = effectsOf({ decision, request, snapshot, now });
    const applied = this.store.applyPick(effects);
    const { boundAccountId } = applied instanceof Promise ? await applied : applied;
    if (boundAccountId !== null && boundAccountId !== decision.accountId) {
      // Another request bound the session first (a concurrent first turn, maybe on another instance).
      const follow = this.decide(request, { ...snapshot, boundAccountId }, now);
      if (follow.kind === 'account' && follow.via === 'sticky') decision = follow;
    }
    decision.call = await this.limits.countCall({ accountId: decision.accountId, model: request.model, now });
    return decision;
  }

  /** The pinned account, if any. */
  getFixedAccount(): Promise<string | null> {
    return this.store.getFixedAccountId();
  }

  /**
   * Pins an account (null to unpin), on every instance sharing the state. Runtime state only;
   * cleared automatically when the account is disabled, proxy-disabled or deleted. Throws
   * `not_found` for an unknown account and `conflict` for one that cannot be scheduled.
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

  /** Drops every session binding (on every instance sharing the state); returns how many there were. */
  clearBindings(): Promise<number> {
    return this.store.clearBindings();
  }

  /**
   * Per account id: whether each model it has a quota observation or a lock for is available,
   * locked, predicted out or protected, and why (`accountAvailability`), under the config in force.
   */
  async availability(accounts: readonly Account[]): Promise<Map<string, ModelAvailability[]>> {
    const { scheduling, circuitBreaker } = this.config();
    const locks = await this.store.listLocks();
    const now = this.clock.now();
    const options = {
      locks,
      protection: scheduling.quotaProtection,
      lockingEnabled: circuitBreaker.enabled,
      now,
    };
    return new Map(accounts.map((account) => [account.id, accountAvailability({ ...options, account })]));
  }

  async counts(): Promise<SchedulerCounts> {
    const [bindings, locks] = await Promise.all([this.store.countBindings(), this.store.listLocks()]);
    return { bindings, activeLocks: locks.length };
  }

  /** Resolves once the clean-up triggered by earlier pool changes has finished. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  /** Stops following the pool; waits for pending clean-up. Does not close the store or the tracker. */
  async close(): Promise<void> {
    this.unsubscribe();
    this.order.close();
    await this.settled();
  }

  private decide(request: PickRequest, snapshot: PickSnapshot, now: number): PickDecision {
    const { scheduling, circuitBreaker } = this.config();
    return pick({
      accounts: this.order,
      request,
      state: {
        boundAccountId: snapshot.boundAccountId,
        fixedAccountId: snapshot.fixedAccountId,
        lastUsed: snapshot.lastUsed,
        // The snapshot's counter is this pick's reservation; round robin starts before it.
        roundRobinCounter: snapshot.counter - 1,
        // With the circuit breaker off nothing counts as limited, not even locks set before.
        locks: circuitBreaker.enabled ? this.lockTable(snapshot.locks) : LockTable.empty,
      },
      config: scheduling,
      now,
    });
  }

  private lockTable(locks: readonly RateLimitLock[]): LockTable {
    if (this.lockCache?.source !== locks) this.lockCache = { source: locks, table: LockTable.from(locks) };
    return this.lockCache.table;
  }

  private onPoolEvent(event: AccountPoolEvent): void {
    if (event.type === 'remove') {
      this.background.add(this.forgetAccount(event.account.id));
    } else if (event.type === 'upsert') {
      // A new account has no bindings yet, so only a change from schedulable needs the clean-up.
      const becameUnschedulable =
        event.previous !== null && isSchedulable(event.previous) && !isSchedulable(event.account);
      if (becameUnschedulable) this.background.add(this.forgetAccount(event.account.id));
    } else {
      this.background.add(this.dropStaleFixedAccount());
    }
  }

  /** A disabled or removed account loses its bindings and its place as fixed account. */
  private async forgetAccount(accountId: string): Promise<void> {
    await Promise.all([
      this.store.deleteBindingsForAccount(accountId),
      this.clearFixedIf((fixed) => fixed === accountId),
    ]);
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
}

/** The writes one account decision asks for (see `AccountDecision`'s flags). */
function effectsOf(options: {
  decision: AccountDecision;
  request: PickRequest;
  snapshot: PickSnapshot;
  now: number;
}): PickEffects {
  const { decision, request, snapshot, now } = options;
  const bound = snapshot.boundAccountId;
  return {
    sessionId: request.sessionId,
    // A first binding keeps one another request made meanwhile; a re-binding replaces only the
    // account that could not serve; a forced rotation moves the session whatever it was bound to.
    bind: decision.bind
      ? {
          accountId: decision.accountId,
          replacing: decision.unbind ? bound : null,
          force: request.forceRotate,
        }
      : null,
    unbindFrom: decision.unbind && !decision.bind ? bound : null,
    lastUsed: decision.setLastUsed ? { accountId: decision.accountId, at: now } : null,
    // Move past the accounts this pick skipped, so the next request does not land on the same one.
    skip: Math.max(0, (decision.advanceCounterTo ?? 0) - snapshot.counter),
  };
}

import { lockKey } from '../core/limits.js';
import {
  budgetAfterCall,
  budgetAfterReading,
  budgetIsIdle,
  budgetSpentUntil,
  EMPTY_BUDGET,
  type RequestBudget,
  type RequestsReading,
} from '../ratelimit/index.js';

/** Budgets kept before idle ones are swept. */
export const SWEEP_AT = 4096;
/** A budget whose last call is this old is forgotten by the sweep, answered or not. */
const STALE_AFTER_MS = 10 * 60_000;

/**
 * The request budgets of this gateway instance (see `ratelimit/request-budget.ts`), one per
 * account and model it sends to, and the numbering of the calls it sends. In-process on purpose:
 * only this instance knows which of its calls are in flight; what the budgets conclude is shared as
 * predicted-limit locks.
 */
export class RequestBudgets {
  private readonly budgets = new Map<string, RequestBudget>();
  /** When each budget last counted a call or a reading (epoch ms), to forget the ones unused for long. */
  private readonly lastCallAt = new Map<string, number>();
  private lastCall = 0;
  private sweepAt = SWEEP_AT;

  /**
   * Counts a call about to be sent to the account for the model. Returns its number (to pass back
   * with the answer's reading) and, when the call spends the last request the budget knew of,
   * until when the account is out (epoch ms).
   */
  /** The next call number, for a call that is not counted against any budget. */
  number(): number {
    return ++this.lastCall;
  }

  call(accountId: string, model: string, now: number): { call: number; spentUntil: number | null } {
    const call = this.number();
    const key = lockKey(accountId, model);
    const budget = this.budgets.get(key);
    // Without a reading nothing is known yet, and an account whose answers carry no counts would
    // keep calls forever: counting starts with the first answer that tells what is left.
    if (budget === undefined) return { call, spentUntil: null };
    const next = budgetAfterCall(budget, { call, at: now });
    this.budgets.set(key, next);
    this.lastCallAt.set(key, now);
    return { call, spentUntil: budgetSpentUntil(next, now) };
  }

  /**
   * Records what the answer to call number `call` said; returns until when the account is out for
   * the model (epoch ms), or null while something is left.
   */
  read(options: {
    accountId: string;
    model: string;
    reading: RequestsReading;
    call: number;
    now: number;
  }): number | null {
    const { reading, call, now } = options;
    const key = lockKey(options.accountId, options.model);
    const budget = budgetAfterReading(this.entry(key, now), { ...reading, call, readAt: now });
    this.budgets.set(key, budget);
    this.lastCallAt.set(key, now);
    return budgetSpentUntil(budget, now);
  }

  /** Forgets the budgets of one account (removed, or its locks cleared), or every budget. */
  forget(accountId?: string): void {
    for (const key of this.budgets.keys()) {
      if (accountId === undefined || key === accountId || key.startsWith(`${accountId}::`)) {
        this.budgets.delete(key);
        this.lastCallAt.delete(key);
      }
    }
  }

  /** Number of budgets held. */
  get size(): number {
    return this.budgets.size;
  }

  /**
   * The budget of `key`, making room before a new one is added: idle budgets are swept once the
   * map holds `sweepAt`, which then doubles past what is left, so sweeping stays linear overall.
   */
  private entry(key: string, now: number): RequestBudget {
    const budget = this.budgets.get(key);
    if (budget !== undefined) return budget;
    if (this.budgets.size >= this.sweepAt) {
      this.sweep(now);
      this.sweepAt = Math.max(SWEEP_AT, this.budgets.size * 2);
    }
    return EMPTY_BUDGET;
  }

  private sweep(now: number): void {
    for (const [key, budget] of this.budgets) {
      // Calls never answered with a requests count (a provider without rate-limit headers, a
      // failure) would keep a budget forever: an account unused for long is forgotten.
      const stale = now - (this.lastCallAt.get(key) ?? 0) >= STALE_AFTER_MS;
      if (stale || budgetIsIdle(budget, now)) {
        this.budgets.delete(key);
        this.lastCallAt.delete(key);
      }
    }
  }
}

import type { Account, Tier } from '../core/account.js';
import { accountServesModel } from '../core/account.js';
import type { AccountPool, AccountPoolEvent } from '../core/account-pool.js';

/**
 * What `pick` needs to know about the accounts: a lookup by id, and for each model the accounts
 * that may serve it in scheduling order.
 */
export interface SchedulingAccounts {
  /**
   * The accounts that are enabled, not proxy-disabled and serve `model`, ordered ULTRA > PRO >
   * FREE > no tier, then by remaining quota for `model` (descending; no quota info counts as 1),
   * then by creation. The array must not be mutated and is only valid until the pool changes.
   */
  eligibleFor(model: string): readonly Account[];
  get(accountId: string): Account | undefined;
  /** Number of accounts, disabled ones included. */
  readonly totalCount: number;
  /** Number of accounts that are neither disabled nor proxy-disabled. */
  readonly enabledCount: number;
}

export interface AccountOrderOptions {
  /** How many per-model orders are kept; the least recently used is dropped. Default 256. */
  maxCachedModels?: number;
}

const TIER_RANK: Record<Tier, number> = { ULTRA: 0, PRO: 1, FREE: 2 };
const NO_TIER_RANK = 3;

/** Whether the account may be scheduled at all (enabled and not proxy-disabled). */
export function isSchedulable(account: Account): boolean {
  return !account.disabled && !account.proxyDisabled;
}

/** The account's remaining quota fraction for `model`; 1 when nothing is known. */
export function remainingFraction(account: Account, model: string): number {
  const fraction = account.quota[model]?.remainingFraction;
  return fraction !== undefined && Number.isFinite(fraction) ? fraction : 1;
}

/** Scheduling order for one model: tier, then remaining quota descending, then creation, then id. */
export function compareForModel(a: Account, b: Account, model: string): number {
  const tier =
    (a.tier === null ? NO_TIER_RANK : TIER_RANK[a.tier]) -
    (b.tier === null ? NO_TIER_RANK : TIER_RANK[b.tier]);
  if (tier !== 0) return tier;
  const quota = remainingFraction(b, model) - remainingFraction(a, model);
  if (quota !== 0) return quota;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The per-model scheduling order of a pool's accounts, kept up to date incrementally: an order is
 * sorted once, the first time its model is asked for, and then patched (binary-search remove and
 * insert) on every pool change instead of being re-sorted on every pick.
 */
export class AccountOrder implements SchedulingAccounts {
  private readonly pool: AccountPool;
  private readonly maxCachedModels: number;
  private readonly orders = new Map<string, Account[]>();
  private lastModel: string | null = null;
  private total = 0;
  private enabled = 0;
  private readonly unsubscribe: () => void;

  constructor(pool: AccountPool, options: AccountOrderOptions = {}) {
    this.pool = pool;
    this.maxCachedModels = Math.max(1, options.maxCachedModels ?? 256);
    this.recount();
    this.unsubscribe = pool.subscribe((event) => this.onPoolEvent(event));
  }

  get totalCount(): number {
    return this.total;
  }

  get enabledCount(): number {
    return this.enabled;
  }

  get(accountId: string): Account | undefined {
    return this.pool.get(accountId);
  }

  eligibleFor(model: string): readonly Account[] {
    const cached = this.orders.get(model);
    if (cached !== undefined) {
      if (this.lastModel !== model) {
        // Re-insert to keep the map in least-recently-used order.
        this.orders.delete(model);
        this.orders.set(model, cached);
        this.lastModel = model;
      }
      return cached;
    }
    const order = this.pool
      .list()
      .filter((account) => isEligible(account, model))
      .sort((a, b) => compareForModel(a, b, model));
    if (this.orders.size >= this.maxCachedModels) {
      const oldest = this.orders.keys().next();
      if (!oldest.done) this.orders.delete(oldest.value);
    }
    this.orders.set(model, order);
    this.lastModel = model;
    return order;
  }

  /** Stops following the pool. */
  close(): void {
    this.unsubscribe();
    this.orders.clear();
  }

  private onPoolEvent(event: AccountPoolEvent): void {
    if (event.type === 'reset') {
      this.orders.clear();
      this.lastModel = null;
      this.recount();
      return;
    }
    if (event.type === 'remove') {
      this.total--;
      if (isSchedulable(event.account)) this.enabled--;
      for (const [model, order] of this.orders) {
        if (isEligible(event.account, model)) removeFrom(order, event.account, model);
      }
      return;
    }
    const { account, previous } = event;
    if (previous === null) this.total++;
    this.enabled += (isSchedulable(account) ? 1 : 0) - (previous !== null && isSchedulable(previous) ? 1 : 0);
    for (const [model, order] of this.orders) patch(order, { account, previous, model });
  }

  private recount(): void {
    const accounts = this.pool.list();
    this.total = accounts.length;
    this.enabled = accounts.filter(isSchedulable).length;
  }
}

function isEligible(account: Account, model: string): boolean {
  return isSchedulable(account) && accountServesModel(account, model);
}

/** Moves one changed account to its new place in one model's order (or out of it). */
function patch(
  order: Account[],
  change: { account: Account; previous: Account | null; model: string },
): void {
  const { account, previous, model } = change;
  const eligibleNow = isEligible(account, model);
  if (previous !== null && isEligible(previous, model)) {
    if (eligibleNow && compareForModel(previous, account, model) === 0) {
      const index = indexOf(order, previous, model);
      if (index >= 0) {
        order[index] = account;
        return;
      }
    }
    removeFrom(order, previous, model);
  }
  if (eligibleNow) order.splice(lowerBound(order, account, model), 0, account);
}

function removeFrom(order: Account[], account: Account, model: string): void {
  const index = indexOf(order, account, model);
  if (index >= 0) order.splice(index, 1);
}

/** Position of `account` (by id) in `order`; binary search by its sort key, linear as a fallback. */
function indexOf(order: readonly Account[], account: Account, model: string): number {
  const index = lowerBound(order, account, model);
  if (order[index]?.id === account.id) return index;
  return order.findIndex((candidate) => candidate.id === account.id);
}

/** First position whose account does not sort before `account`. */
function lowerBound(order: readonly Account[], account: Account, model: string): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareForModel(order[middle]!, account, model) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

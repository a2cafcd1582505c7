import type { Account, ProviderKind, Tier } from '../core/account.js';
import { canServe, isSchedulable } from '../core/account.js';
import type { AccountPool, AccountPoolEvent } from '../core/account-pool.js';
import { PROVIDER_KINDS } from '../providers/provider-kinds.js';

/**
 * What `pick` needs to know about the accounts: a lookup by id, and for each model the accounts
 * that may serve it in scheduling order.
 */
export interface SchedulingAccounts {
  /**
   * The accounts that are enabled, not proxy-disabled, serve `model` and (when `providers` is
   * given) are of one of those provider kinds, ordered ULTRA > PRO > FREE > no tier, then by
   * remaining quota for `model` (descending; no quota info counts as 1), then by creation. The
   * array must not be mutated and is only valid until the pool changes.
   */
  eligibleFor(model: string, providers?: ReadonlySet<ProviderKind> | null): readonly Account[];
  get(accountId: string): Account | undefined;
  /** Number of accounts, disabled ones included. */
  readonly totalCount: number;
  /** Number of accounts that are neither disabled nor proxy-disabled. */
  readonly enabledCount: number;
}

export interface AccountOrderOptions {
  /** How many (model, provider filter) orders are kept; the least recently used is dropped. Default 256. */
  maxCachedModels?: number;
}

const TIER_RANK: Record<Tier, number> = { ULTRA: 0, PRO: 1, FREE: 2 };
const NO_TIER_RANK = 3;

/** One bit per provider kind, so a provider filter becomes a small number. */
const PROVIDER_BIT = Object.fromEntries(PROVIDER_KINDS.map((kind, index) => [kind, 1 << index])) as Record<
  ProviderKind,
  number
>;
const ALL_PROVIDERS = (1 << PROVIDER_KINDS.length) - 1;

/** The bit mask of a provider filter; every provider when there is none. */
export function providerMask(providers: ReadonlySet<ProviderKind> | null | undefined): number {
  if (providers === null || providers === undefined) return ALL_PROVIDERS;
  let mask = 0;
  for (const kind of PROVIDER_KINDS) if (providers.has(kind)) mask |= PROVIDER_BIT[kind];
  return mask;
}

/** One cached order: the accounts eligible for a model under a provider filter. */
interface ModelOrder {
  model: string;
  mask: number;
  accounts: Account[];
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
 * sorted once, the first time its model (and provider filter) is asked for, and then patched
 * (binary-search remove and insert) on every pool change instead of being re-sorted on every pick.
 */
export class AccountOrder implements SchedulingAccounts {
  private readonly pool: AccountPool;
  private readonly maxCachedModels: number;
  /** Keyed by `${providerMask}:${model}`, in least-recently-used order. */
  private readonly orders = new Map<string, ModelOrder>();
  private lastKey: string | null = null;
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

  eligibleFor(model: string, providers?: ReadonlySet<ProviderKind> | null): readonly Account[] {
    const mask = providerMask(providers);
    const key = `${mask}:${model}`;
    const cached = this.orders.get(key);
    if (cached !== undefined) {
      if (this.lastKey !== key) {
        // Re-insert to keep the map in least-recently-used order.
        this.orders.delete(key);
        this.orders.set(key, cached);
        this.lastKey = key;
      }
      return cached.accounts;
    }
    const accounts = this.pool
      .list()
      .filter((account) => isEligible(account, model, mask))
      .sort((a, b) => compareForModel(a, b, model));
    if (this.orders.size >= this.maxCachedModels) {
      const oldest = this.orders.keys().next();
      if (!oldest.done) this.orders.delete(oldest.value);
    }
    this.orders.set(key, { model, mask, accounts });
    this.lastKey = key;
    return accounts;
  }

  /** Stops following the pool. */
  close(): void {
    this.unsubscribe();
    this.orders.clear();
  }

  private onPoolEvent(event: AccountPoolEvent): void {
    if (event.type === 'reset') {
      this.orders.clear();
      this.lastKey = null;
      this.recount();
      return;
    }
    if (event.type === 'remove') {
      this.total--;
      if (isSchedulable(event.account)) this.enabled--;
      for (const order of this.orders.values()) {
        if (isEligible(event.account, order.model, order.mask))
          removeFrom(order.accounts, event.account, order.model);
      }
      return;
    }
    const { account, previous } = event;
    if (previous === null) this.total++;
    this.enabled += (isSchedulable(account) ? 1 : 0) - (previous !== null && isSchedulable(previous) ? 1 : 0);
    for (const order of this.orders.values()) patch(order, { account, previous });
  }

  private recount(): void {
    const accounts = this.pool.list();
    this.total = accounts.length;
    this.enabled = accounts.filter(isSchedulable).length;
  }
}

function isEligible(account: Account, model: string, mask: number): boolean {
  return (mask & PROVIDER_BIT[account.provider]) !== 0 && canServe(account, model);
}

/** Moves one changed account to its new place in one cached order (or out of it). */
function patch(order: ModelOrder, change: { account: Account; previous: Account | null }): void {
  const { account, previous } = change;
  const { model, mask, accounts } = order;
  const eligibleNow = isEligible(account, model, mask);
  if (previous !== null && isEligible(previous, model, mask)) {
    if (eligibleNow && compareForModel(previous, account, model) === 0) {
      const index = indexOf(accounts, previous, model);
      if (index >= 0) {
        accounts[index] = account;
        return;
      }
    }
    removeFrom(accounts, previous, model);
  }
  if (eligibleNow) accounts.splice(lowerBound(accounts, account, model), 0, account);
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

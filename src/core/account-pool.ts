import type { Account } from './account.js';

/** What changed in the pool. Listeners run synchronously after the change is visible. */
export type AccountPoolEvent =
  | { type: 'upsert'; account: Account; previous: Account | null }
  | { type: 'remove'; account: Account }
  | { type: 'reset' };

/**
 * The in-memory set of accounts the request path reads. It is filled once from the store and kept
 * in sync by every write (admin API, CLI changes picked up from the database, quota updates), so
 * the request path never touches the database. Reads are synchronous and cheap.
 */
export interface AccountPool {
  /** All accounts, including disabled ones, in creation order. Do not mutate. */
  list(): readonly Account[];
  get(id: string): Account | undefined;
  /** Increases on every change; lets readers cache derived data. */
  readonly version: number;
  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: (event: AccountPoolEvent) => void): () => void;
}

/** The plain in-memory pool. The store keeps one of these in sync with the database. */
export class MemoryAccountPool implements AccountPool {
  private readonly accounts = new Map<string, Account>();
  private readonly listeners = new Set<(event: AccountPoolEvent) => void>();
  private cachedList: readonly Account[] | null = null;
  version = 0;

  constructor(initial: Iterable<Account> = []) {
    for (const account of initial) this.accounts.set(account.id, account);
  }

  list(): readonly Account[] {
    if (this.cachedList === null) this.cachedList = [...this.accounts.values()];
    return this.cachedList;
  }

  get(id: string): Account | undefined {
    return this.accounts.get(id);
  }

  subscribe(listener: (event: AccountPoolEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Inserts or replaces an account (by id). Accounts are treated as immutable values. */
  upsert(account: Account): void {
    const previous = this.accounts.get(account.id) ?? null;
    this.accounts.set(account.id, account);
    this.changed({ type: 'upsert', account, previous });
  }

  remove(id: string): boolean {
    const account = this.accounts.get(id);
    if (!account) return false;
    this.accounts.delete(id);
    this.changed({ type: 'remove', account });
    return true;
  }

  /** Replaces the whole content (used after an external change was detected in the database). */
  replaceAll(accounts: Iterable<Account>): void {
    this.accounts.clear();
    for (const account of accounts) this.accounts.set(account.id, account);
    this.changed({ type: 'reset' });
  }

  private changed(event: AccountPoolEvent): void {
    this.cachedList = null;
    this.version++;
    for (const listener of this.listeners) listener(event);
  }
}

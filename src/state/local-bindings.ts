import type { SessionBind } from './state-store.js';

/** One session binding. Mutable so a touch does not allocate. */
interface Binding {
  accountId: string;
  touchedAt: number;
}

/**
 * Session bindings in process memory, synchronous: a Map whose insertion order is the use order
 * (a touch re-inserts), so the least recently used binding and the oldest expired ones are always
 * at the front: eviction and sweeping never scan live entries. Time is passed in (`now`).
 */
export class LocalBindings {
  private readonly bindings = new Map<string, Binding>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxBindings: number,
  ) {}

  /** The live binding's account, touched (see `StateStore.getBinding`); null when none. */
  get(sessionId: string, now: number): string | null {
    const binding = this.bindings.get(sessionId);
    if (!binding) return null;
    this.bindings.delete(sessionId);
    if (this.isExpired(binding, now)) return null;
    binding.touchedAt = now;
    this.bindings.set(sessionId, binding);
    return binding.accountId;
  }

  set(sessionId: string, accountId: string, now: number): void {
    const existing = this.bindings.get(sessionId);
    if (existing) this.bindings.delete(sessionId);
    else if (this.bindings.size >= this.maxBindings) this.evictOldest();
    this.bindings.set(sessionId, { accountId, touchedAt: now });
  }

  /** `StateStore.bindIfAbsent`: binds unless kept, returns the account bound afterwards. */
  bindIfAbsent(sessionId: string, bind: SessionBind, now: number): string {
    if (!bind.force) {
      const current = this.get(sessionId, now);
      if (current !== null && current !== bind.replacing) return current;
    }
    this.set(sessionId, bind.accountId, now);
    return bind.accountId;
  }

  /** Removes one binding; true when it was live. With `onlyTo`, only when bound to that account. */
  delete(sessionId: string, now: number, onlyTo: string | null = null): boolean {
    const binding = this.bindings.get(sessionId);
    if (!binding || (onlyTo !== null && binding.accountId !== onlyTo)) return false;
    this.bindings.delete(sessionId);
    return !this.isExpired(binding, now);
  }

  /** Removes every binding to `accountId`; returns how many live ones went. */
  deleteForAccount(accountId: string, now: number): number {
    // A full scan: it runs only when an account is disabled or removed, and a reverse index would
    // cost memory on every one of up to millions of bindings.
    let removed = 0;
    for (const [sessionId, binding] of this.bindings) {
      if (binding.accountId !== accountId) continue;
      this.bindings.delete(sessionId);
      if (!this.isExpired(binding, now)) removed++;
    }
    return removed;
  }

  /** Removes every binding; returns how many live ones went. */
  clear(now: number): number {
    const live = this.count(now);
    this.bindings.clear();
    return live;
  }

  /** Number of live bindings (expired ones are dropped on the way). */
  count(now: number): number {
    this.sweep(now);
    return this.bindings.size;
  }

  /** Every live binding, least recently used first (write-back after an outage of shared state). */
  *entries(now: number): IterableIterator<[sessionId: string, accountId: string]> {
    for (const [sessionId, binding] of this.bindings) {
      if (!this.isExpired(binding, now)) yield [sessionId, binding.accountId];
    }
  }

  /** Drops the expired bindings, which are a prefix of the map (insertion order is use order). */
  sweep(now: number): void {
    for (const [sessionId, binding] of this.bindings) {
      if (!this.isExpired(binding, now)) break;
      this.bindings.delete(sessionId);
    }
  }

  /** Bindings held, expired ones not yet swept included. */
  get size(): number {
    return this.bindings.size;
  }

  private evictOldest(): void {
    const oldest = this.bindings.keys().next();
    if (!oldest.done) this.bindings.delete(oldest.value);
  }

  private isExpired(binding: Binding, now: number): boolean {
    return now - binding.touchedAt >= this.ttlMs;
  }
}

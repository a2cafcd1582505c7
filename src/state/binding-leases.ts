/**
 * Session bindings this instance read from the shared state (or wrote to it) a moment ago, each
 * trusted for `leaseMs` from then: while a lease runs, the next turns of that conversation on this
 * instance are scheduled without asking Redis (`PickSnapshot.leased`). A lease is dropped as soon as
 * this instance learns that the binding changed — its own rebinding, another instance's through the
 * pub/sub channel (`bindings-changed`), an operator's clear, a lost subscription — so it lags the
 * shared binding only by the time a notification takes, as the lock mirror does. A scheduling
 * decision that does not follow a leased binding reads the shared state again (`PickQuery.fresh`).
 *
 * A lease is never renewed by its use: once it ends, the next turn reads (and thereby touches) the
 * binding in Redis again, so the shared time-to-live and use order lag the real last use by at most
 * one lease. Insertion order is grant order, so expired leases are a prefix and the cap evicts the
 * oldest. Time is passed in (`now`).
 */
export class BindingLeases {
  private readonly leases = new Map<string, { accountId: string; until: number }>();

  /**
   * @param leaseMs how long a lease is trusted; 0 turns leasing off.
   * @param max the most leases held (the least recently granted go first).
   */
  constructor(
    private readonly leaseMs: number,
    private readonly max: number,
  ) {}

  /** The account a running lease binds `sessionId` to, else null. */
  get(sessionId: string, now: number): string | null {
    const lease = this.leases.get(sessionId);
    if (lease === undefined) return null;
    if (lease.until > now) return lease.accountId;
    this.leases.delete(sessionId);
    return null;
  }

  /** Starts (or restarts) a lease: the shared state binds `sessionId` to `accountId` as of `now`. */
  grant(sessionId: string, accountId: string, now: number): void {
    if (this.leaseMs <= 0) return;
    this.leases.delete(sessionId);
    this.sweep(now);
    if (this.leases.size >= this.max) {
      const oldest = this.leases.keys().next();
      if (!oldest.done) this.leases.delete(oldest.value);
    }
    this.leases.set(sessionId, { accountId, until: now + this.leaseMs });
  }

  /** Drops the lease of one session (its binding changed or went). */
  drop(sessionId: string): void {
    this.leases.delete(sessionId);
  }

  /** Drops every lease on `accountId` (its bindings were removed). */
  dropAccount(accountId: string): void {
    for (const [sessionId, lease] of this.leases) {
      if (lease.accountId === accountId) this.leases.delete(sessionId);
    }
  }

  /** Drops every lease (bindings cleared, or notifications may have been missed). */
  clear(): void {
    this.leases.clear();
  }

  /** Every running lease, least recently granted first. */
  *entries(now: number): IterableIterator<[sessionId: string, accountId: string]> {
    for (const [sessionId, lease] of this.leases) {
      if (lease.until > now) yield [sessionId, lease.accountId];
    }
  }

  /** Leases held, ended ones not yet swept included. */
  get size(): number {
    return this.leases.size;
  }

  private sweep(now: number): void {
    for (const [sessionId, lease] of this.leases) {
      if (lease.until > now) break;
      this.leases.delete(sessionId);
    }
  }
}

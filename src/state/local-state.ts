import type { Clock } from '../core/clock.js';
import type { FailureCount } from '../core/limits.js';
import { LocalBindings } from './local-bindings.js';
import { LocalLocks } from './local-locks.js';
import type { LastUsedRecord, PickEffects, PickOutcome, PickQuery, PickSnapshot } from './state-store.js';
import { FAILURE_COUNT_FADE_MS } from './state-store.js';

/** How often a store sweeps its `LocalState` unless told otherwise, ms. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/**
 * All scheduling state of one process, synchronous and without I/O: what `MemoryStateStore` serves,
 * and what `RedisStateStore` mirrors from Redis and falls back on while Redis cannot be reached.
 * Time is passed in (`now`), so both stores read it from their injected clock.
 */
export class LocalState {
  readonly bindings: LocalBindings;
  readonly locks = new LocalLocks();
  private readonly failures = new Map<string, FailureCount>();
  private counter = 0;
  private lastUsed: LastUsedRecord | null = null;
  private fixedAccountId: string | null = null;
  private readonly claims = new Map<string, { holder: string; until: number }>();

  constructor(options: { bindingTtlMs: number; maxBindings: number }) {
    this.bindings = new LocalBindings(options.bindingTtlMs, Math.max(1, options.maxBindings));
  }

  readForPick(query: PickQuery, now: number): PickSnapshot {
    return {
      boundAccountId: query.sessionId === null ? null : this.bindings.get(query.sessionId, now),
      fixedAccountId: this.fixedAccountId,
      lastUsed: query.lastUsed ? this.getLastUsed() : null,
      locks: this.locks.list(now),
      counter: this.incrementCounter(1),
    };
  }

  applyPick(effects: PickEffects, now: number): PickOutcome {
    const { sessionId, bind } = effects;
    let boundAccountId: string | null = null;
    if (sessionId !== null && bind !== null)
      boundAccountId = this.bindings.bindIfAbsent(sessionId, bind, now);
    else if (sessionId !== null && effects.unbindFrom !== null)
      this.bindings.delete(sessionId, now, effects.unbindFrom);
    if (effects.lastUsed !== null) this.setLastUsed(effects.lastUsed);
    if (effects.skip > 0) this.incrementCounter(effects.skip);
    return { boundAccountId };
  }

  getFailureCount(accountId: string, now: number): FailureCount | null {
    const failure = this.failures.get(accountId);
    if (!failure) return null;
    if (isFaded(failure, now)) {
      this.failures.delete(accountId);
      return null;
    }
    return { ...failure };
  }

  incrementFailureCount(accountId: string, now: number): FailureCount {
    const previous = this.failures.get(accountId);
    const count = previous && !isFaded(previous, now) ? previous.count + 1 : 1;
    const failure = { count, lastFailureAt: now };
    this.failures.set(accountId, failure);
    return { ...failure };
  }

  /** Stores a count as it is elsewhere (a mirror); null forgets it. */
  putFailureCount(accountId: string, failure: FailureCount | null): void {
    if (failure === null) this.failures.delete(accountId);
    else this.failures.set(accountId, { count: failure.count, lastFailureAt: failure.lastFailureAt });
  }

  resetFailureCount(accountId: string): boolean {
    return this.failures.delete(accountId);
  }

  /** Every count not faded at `now`. */
  failureCounts(now: number): Array<[accountId: string, failure: FailureCount]> {
    return [...this.failures].filter(([, failure]) => !isFaded(failure, now));
  }

  /** Replaces every count (a fresh copy of the shared state). */
  replaceFailureCounts(entries: Iterable<[string, FailureCount]>): void {
    this.failures.clear();
    for (const [accountId, failure] of entries) this.failures.set(accountId, failure);
  }

  incrementCounter(by: number): number {
    this.counter += by;
    return this.counter;
  }

  /** Moves the counter to where the shared one is, so a fallback continues from there. */
  setCounter(value: number): void {
    this.counter = value;
  }

  getLastUsed(): LastUsedRecord | null {
    return this.lastUsed === null ? null : { ...this.lastUsed };
  }

  setLastUsed(record: LastUsedRecord | null): void {
    this.lastUsed = record === null ? null : { accountId: record.accountId, at: record.at };
  }

  getFixedAccountId(): string | null {
    return this.fixedAccountId;
  }

  setFixedAccountId(accountId: string | null): void {
    this.fixedAccountId = accountId;
  }

  /** `StateStore.claim` at `now`. */
  claim(name: string, holder: string, ttlMs: number, now: number): boolean {
    const live = this.claims.get(name);
    if (live !== undefined && live.until > now) return live.holder === holder;
    this.claims.set(name, { holder, until: now + ttlMs });
    return true;
  }

  /** @internal How many entries of each kind are held, expired or not (tests of the sweep). */
  sizes(): { bindings: number; locks: number; claims: number; failures: number } {
    const { bindings, locks, claims, failures } = this;
    return { bindings: bindings.size, locks: locks.size, claims: claims.size, failures: failures.size };
  }

  /** Drops every expired binding, ended lock and claim, and faded failure count. */
  sweep(now: number): void {
    this.bindings.sweep(now);
    this.locks.sweep(now);
    for (const [name, claim] of this.claims) {
      if (claim.until <= now) this.claims.delete(name);
    }
    for (const [accountId, failure] of this.failures) {
      if (isFaded(failure, now)) this.failures.delete(accountId);
    }
  }

  /**
   * Sweeps every `intervalMs` of `clock` (a timer that does not keep the process alive) until the
   * returned function is called: a store's local state would otherwise keep what ended.
   */
  sweepEvery(clock: Clock, intervalMs = DEFAULT_SWEEP_INTERVAL_MS): () => void {
    return clock.every(intervalMs, () => this.sweep(clock.now()));
  }
}

function isFaded(failure: FailureCount, now: number): boolean {
  return now - failure.lastFailureAt >= FAILURE_COUNT_FADE_MS;
}

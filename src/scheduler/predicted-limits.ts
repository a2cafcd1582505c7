import type { Clock } from '../core/clock.js';
import { lockKey, type RateLimitLock } from '../core/limits.js';
import { exhaustedUntil, type PredictionSource, predictLimit } from '../ratelimit/index.js';
import type { StateStore } from '../state/state-store.js';
import type { QuotaObservation } from './limit-records.js';
import { RequestBudgets } from './request-budgets.js';

/** Lock ends remembered per map before ended ones are dropped. */
const MAX_REMEMBERED = 4096;

export interface PredictedLimitsOptions {
  store: StateStore;
  clock: Clock;
  /** Read on every call: predicted limits are stored only while the circuit breaker is on. */
  breaker: () => { enabled: boolean; maxLockSeconds: number };
}

/**
 * The bookkeeping of predicted limits (DESIGN §3): turns what answers and quota APIs say is left,
 * and the calls this instance sends, into locks in the state store (source `rate-limit-headers` or
 * `quota-api`), so every request — on this instance and, with a shared store, on others — stays
 * off an account that has nothing left until its reset. The decisions are the pure functions of
 * `ratelimit/` (`exhaustedUntil`, `budgetSpentUntil`, `predictLimit`).
 */
export class PredictedLimits {
  private readonly budgets = new RequestBudgets();
  /** Per account and model: the end of the lock the calls in flight caused (this instance's), to lift it. */
  private readonly heldByCalls = new Map<string, number>();
  /** Per account and model: the latest end of a window an answer announced (nothing left until then). */
  private readonly announced = new Map<string, number>();

  constructor(private readonly options: PredictedLimitsOptions) {}

  /**
   * Numbers a call about to be sent to the account for the model and counts it against the
   * account's request budget; when it spends the last request the budget knew of, the account is
   * locked for the model until the reset. Returns the call's number.
   */
  async countCall(options: { accountId: string; model: string; now: number }): Promise<number> {
    const { accountId, model, now } = options;
    // An account gets a budget only from an answer's requests count: for upstreams without
    // rate-limit headers this only numbers the call.
    const { call, spentUntil } = this.budgets.call(accountId, model, now);
    if (spentUntil !== null) {
      await this.predict({
        accountId,
        model,
        until: spentUntil,
        source: 'rate-limit-headers',
        inFlight: true,
      });
    }
    return call;
  }

  /**
   * Records what an answer (or a quota API) said is left. The account is locked for the model (the
   * account, when the model is unknown) until the reset when nothing is left, or when the calls
   * sent since the answered one (`call`) use what the requests count said was left — unless a lock
   * on the same scope already ends as late. Returns the lock set, or null.
   */
  async record(observation: QuotaObservation): Promise<RateLimitLock | null> {
    const now = this.options.clock.now();
    const { accountId, model, quota, requests, call } = observation;
    const exhausted = quota === null ? null : exhaustedUntil(quota, now);
    const spent =
      requests !== undefined && requests !== null && call !== undefined && model !== null
        ? this.budgets.read({ accountId, model, reading: requests, call, now })
        : null;
    if (exhausted !== null) this.remember(this.announced, lockKey(accountId, model), exhausted, now);
    if (spent === null && exhausted === null) {
      // The fresher answer leaves room for the calls in flight: the lock they caused can go.
      if (requests !== undefined && requests !== null && model !== null)
        await this.release(accountId, model, now);
      return null;
    }
    const until = Math.max(spent ?? 0, exhausted ?? 0);
    // Spent by the calls in flight, not by the answer itself saying nothing is left.
    const inFlight = spent !== null && (requests?.remaining ?? 0) > 0 && spent > (exhausted ?? 0);
    return this.predict({ accountId, model, until, source: observation.source, inFlight });
  }

  /** Forgets what is known of one account (removed, or its locks cleared), or of every account. */
  forget(accountId?: string): void {
    this.budgets.forget(accountId);
    for (const map of [this.heldByCalls, this.announced]) {
      for (const key of map.keys()) {
        if (accountId === undefined || key === accountId || key.startsWith(`${accountId}::`)) map.delete(key);
      }
    }
  }

  /** Stores the predicted-limit lock until `until`, unless a lock on the same scope ends as late. */
  private async predict(options: {
    accountId: string;
    model: string | null;
    until: number;
    source: PredictionSource;
    inFlight: boolean;
  }): Promise<RateLimitLock | null> {
    const breaker = this.options.breaker();
    if (!breaker.enabled) return null;
    const { accountId, model } = options;
    const now = this.options.clock.now();
    const stored = await this.options.store.getLocks(accountId, model ?? '');
    const lock = predictLimit({
      ...options,
      cause: options.inFlight ? 'in-flight' : 'exhausted',
      maxLockSeconds: breaker.maxLockSeconds,
      existing: model === null ? stored.account : stored.model,
      now,
    });
    if (lock === null) return null;
    // Another writer (any instance) may have stored a later lock since the read: it is kept.
    const inForce = await this.options.store.extendLock(lock);
    if (inForce !== lock) return null;
    if (options.inFlight) this.remember(this.heldByCalls, lockKey(accountId, model), lock.until, now);
    return lock;
  }

  /**
   * Lifts the lock the calls in flight caused on the account for the model, if it is still the one
   * stored: down to the end of a window an answer announced (never shorter), or entirely.
   */
  private async release(accountId: string, model: string, now: number): Promise<void> {
    const key = lockKey(accountId, model);
    const held = this.heldByCalls.get(key);
    if (held === undefined) return;
    this.heldByCalls.delete(key);
    const { store } = this.options;
    // Compare-and-replace: only the very lock the calls caused goes, never one stored since.
    const expected = { accountId, model, source: 'rate-limit-headers' as const, until: held };
    const announced = this.announced.get(key) ?? 0;
    if (announced <= now) {
      await store.replaceLock(expected, null);
      return;
    }
    const breaker = this.options.breaker();
    const shorter = predictLimit({
      accountId,
      model,
      until: announced,
      source: 'rate-limit-headers',
      cause: 'exhausted',
      maxLockSeconds: breaker.maxLockSeconds,
      existing: null,
      now,
    });
    await store.replaceLock(expected, shorter);
  }

  /** Keeps the later end per key, dropping ended ones when the map grows. */
  private remember(map: Map<string, number>, key: string, until: number, now: number): void {
    map.set(key, Math.max(map.get(key) ?? 0, until));
    if (map.size <= MAX_REMEMBERED) return;
    for (const [entry, end] of map) if (end <= now) map.delete(entry);
  }
}

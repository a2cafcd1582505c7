import type { Account } from '../core/account.js';
import { isPredictedLock, type LockSource, type RateLimitLock } from '../core/limits.js';
import { protectedFraction, protectionThreshold, type QuotaProtectionConfig } from './quota-protection.js';

/**
 * Whether the scheduler would send a request for a model to an account, as far as limits go:
 * `locked` (a failed call locked it), `predicted_out` (a predicted limit: the upstream said nothing
 * is left until a reset), `protected` (quota protection keeps it for other accounts), `available`.
 */
export type AvailabilityState = 'available' | 'protected' | 'locked' | 'predicted_out';

/** What `accountAvailability` says of one model of an account (or of the account as a whole). */
export interface ModelAvailability {
  /** The model; null for the account as a whole (an account-wide lock). */
  model: string | null;
  state: AvailabilityState;
  /** Why, in one sentence (where a lock's end comes from is `lockSource`); null when available. */
  reason: string | null;
  /** Epoch ms the state ends: the lock's end, or for protection the quota's reset; null when unknown. */
  until: number | null;
  /** Where the lock's end comes from, for `locked` and `predicted_out`. */
  lockSource: LockSource | null;
}

export interface AccountAvailabilityOptions {
  account: Account;
  /** Locks of any account; only this account's active ones count. */
  locks: readonly RateLimitLock[];
  protection: QuotaProtectionConfig;
  /** With the circuit breaker off, the scheduler ignores every lock. */
  lockingEnabled: boolean;
  now: number;
}

/**
 * Per model the account has a quota observation or a lock for: its state, decided by the rules the
 * scheduler's pick applies (`quota-protection.ts`, the lock table), so a reader never re-derives
 * them. A lock wins over protection, an account-wide lock over a model's; an account-wide lock
 * also gets an entry of its own (`model: null`). Sorted by model, the account entry first.
 */
export function accountAvailability(options: AccountAvailabilityOptions): ModelAvailability[] {
  const { account, now } = options;
  const own = options.lockingEnabled
    ? options.locks.filter((lock) => lock.accountId === account.id && lock.until > now)
    : [];
  const accountLock = latest(own.filter((lock) => lock.scope === 'account'));
  const modelLocks = own.filter((lock) => lock.scope === 'model' && lock.model !== null);
  const models = new Set([...Object.keys(account.quota), ...modelLocks.map((lock) => lock.model ?? '')]);
  const entries = [...models].sort().map((model): ModelAvailability => {
    const lock = accountLock ?? latest(modelLocks.filter((candidate) => candidate.model === model));
    if (lock) return lockedEntry(model, lock);
    return protectionEntry({ ...options, model });
  });
  return accountLock ? [lockedEntry(null, accountLock), ...entries] : entries;
}

/**
 * What `accountAvailability` says of one model, by the same rules, whether or not the account has
 * an observation of it yet (for a reader deciding about one model, such as the warmup planner).
 */
export function modelAvailability(
  options: AccountAvailabilityOptions & { model: string },
): ModelAvailability {
  const { account, model, now } = options;
  const own = options.lockingEnabled
    ? options.locks.filter((lock) => lock.accountId === account.id && lock.until > now)
    : [];
  const lock =
    latest(own.filter((candidate) => candidate.scope === 'account')) ??
    latest(own.filter((candidate) => candidate.scope === 'model' && candidate.model === model));
  return lock ? lockedEntry(model, lock) : protectionEntry(options);
}

function latest(locks: readonly RateLimitLock[]): RateLimitLock | null {
  return locks.reduce<RateLimitLock | null>(
    (best, lock) => (best && best.until >= lock.until ? best : lock),
    null,
  );
}

function lockedEntry(model: string | null, lock: RateLimitLock): ModelAvailability {
  const predicted = isPredictedLock(lock);
  const scope = lock.scope === 'account' && model !== null ? 'the whole account is ' : '';
  const what = predicted
    ? `${scope}out of quota until the reset the upstream announced`
    : `${scope}locked after ${lock.reason}`;
  return {
    model,
    state: predicted ? 'predicted_out' : 'locked',
    reason: lock.message ? `${what}: ${lock.message}` : what,
    until: lock.until,
    lockSource: lock.source,
  };
}

function protectionEntry(options: AccountAvailabilityOptions & { model: string }): ModelAvailability {
  const { account, model, now } = options;
  const threshold = protectionThreshold(options.protection, model);
  const fraction = protectedFraction(account, model, now);
  if (!(fraction < threshold))
    return { model, state: 'available', reason: null, until: null, lockSource: null };
  return {
    model,
    state: 'protected',
    reason: `${percent(fraction)}% of the quota left, below the ${percent(threshold)}% quota-protection threshold`,
    until: account.quota[model]?.resetAt ?? null,
    lockSource: null,
  };
}

function percent(fraction: number): number {
  return Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;
}

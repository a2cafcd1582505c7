import { type Account, accountServesModel } from '../core/account.js';
import type { RateLimitLock } from '../core/limits.js';
import { providerDescriptor } from '../providers/provider-kinds.js';
import { modelAvailability } from '../scheduler/model-availability.js';
import type { QuotaProtectionConfig } from '../scheduler/quota-protection.js';

/** `proxy.warmup.schedule`, in milliseconds. */
export interface WarmupSchedule {
  enabled: boolean;
  /** Length of one window: each account and model gets at most one warmup per window. */
  intervalMs: number;
  /** The models to warm on every account that serves them; empty: one default model per account. */
  models: readonly string[];
}

/** How the last scheduled warmup of one account and model went. */
export type WarmupResult = 'ok' | 'error' | 'elsewhere';

/** The last scheduled warmup of one account and model. */
export interface WarmupRecord {
  /**
   * Epoch ms when it was sent (or claimed by another instance): it covers the window it falls in
   * (compared by time, so a changed interval never leaves an account unwarmed for long).
   */
  at: number;
  /** `elsewhere`: another gateway instance warmed the account in that window. */
  result: WarmupResult;
  /** Why it failed; null unless `result` is `error`. */
  error: string | null;
}

/**
 * One account and model in a plan:
 * - `due`: send its warmup now;
 * - `done`: warmed (or tried) in the current window; next at `nextDueAt`;
 * - `waiting`: due, but the account has a warmup in flight or another one due first;
 * - `skipped`: the account may not be used now (`reason`); due again once it may.
 */
export interface WarmupTarget {
  accountId: string;
  email: string;
  /** The model the warmup asks for (routed like a client's). */
  model: string;
  state: 'due' | 'done' | 'waiting' | 'skipped';
  /** Why it is skipped or waiting; null otherwise. */
  reason: string | null;
  /** The current window of this account and model (see `warmupWindow`). */
  window: number;
  /**
   * Epoch ms when the next warmup is due: the next window's start when this one is done, now when
   * due or waiting, a lock's end when rate-limited, null when it depends on the account being
   * enabled again.
   */
  nextDueAt: number | null;
  last: WarmupRecord | null;
}

export interface PlanWarmupsInput {
  now: number;
  schedule: WarmupSchedule;
  accounts: readonly Account[];
  /** The last warmup per account and model (`warmupKey`). */
  last: ReadonlyMap<string, WarmupRecord>;
  /** Accounts with a warmup in flight: they get no other one. */
  inFlight: ReadonlySet<string>;
  /** Rate-limit locks (expired ones are ignored). */
  locks: readonly RateLimitLock[];
  protection: QuotaProtectionConfig;
  /** The upstream model a requested model maps to (default: itself); accounts are judged by it. */
  upstreamModel?: (model: string) => string;
}

/** The key of one account and model in `PlanWarmupsInput.last`. */
export function warmupKey(accountId: string, model: string): string {
  return `${accountId}\u0000${model}`;
}

/**
 * The models warmed on `account`: the configured ones it serves; with none configured, its
 * provider's default small model when it serves it, else the first exact model its list names.
 */
export function warmupModels(
  account: Account,
  options: { models: readonly string[]; upstreamModel: (model: string) => string },
): string[] {
  const serves = (model: string) => accountServesModel(account, options.upstreamModel(model));
  if (options.models.length > 0) return options.models.filter(serves);
  const preferred = providerDescriptor(account.provider).warmupModel;
  if (serves(preferred)) return [preferred];
  const named = account.models.find((pattern) => !pattern.includes('*'));
  return named === undefined ? [] : [named];
}

/**
 * Where the windows of one account and model start, in [0, interval): a hash of both, so the
 * windows of a pool are spread over the interval and every instance of a cluster computes the same.
 */
export function warmupPhase(accountId: string, model: string, intervalMs: number): number {
  // FNV-1a, 32 bits: stable across processes and versions (a language hash is not).
  let hash = 0x811c9dc5;
  for (const char of warmupKey(accountId, model)) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % intervalMs;
}

/** The window of `now` for one account and model, and when it started (epoch ms). */
export function warmupWindow(options: {
  accountId: string;
  model: string;
  intervalMs: number;
  now: number;
}): { window: number; start: number } {
  const { intervalMs, now } = options;
  const phase = warmupPhase(options.accountId, options.model, intervalMs);
  const window = Math.floor((now - phase) / intervalMs);
  return { window, start: phase + window * intervalMs };
}

/**
 * Which accounts and models are due for a scheduled warmup at `now` (pure: the runner sends). Each
 * account and model is due once per window; an account that is disabled, proxy-disabled,
 * rate-limited (the account, or the model) or quota-protected for the model is skipped until it
 * may be used again, within the same window. At most one warmup per account is due at a time, and
 * none while one is in flight. Nothing is planned while the schedule is off.
 */
export function planWarmups(input: PlanWarmupsInput): WarmupTarget[] {
  if (!input.schedule.enabled) return [];
  const upstreamModel = input.upstreamModel ?? ((model: string) => model);
  const targets: WarmupTarget[] = [];
  for (const account of input.accounts) {
    let accountBusy = input.inFlight.has(account.id);
    for (const model of warmupModels(account, { models: input.schedule.models, upstreamModel })) {
      const target = planOne({ input, account, model, upstreamModel: upstreamModel(model) });
      if (target.state === 'due' && accountBusy) {
        target.state = 'waiting';
        target.reason = 'another warmup of this account goes first';
      }
      if (target.state === 'due') accountBusy = true;
      targets.push(target);
    }
  }
  return targets;
}

function planOne(options: {
  input: PlanWarmupsInput;
  account: Account;
  model: string;
  upstreamModel: string;
}): WarmupTarget {
  const { input, account, model } = options;
  const { now } = input;
  const intervalMs = input.schedule.intervalMs;
  const { window, start } = warmupWindow({ accountId: account.id, model, intervalMs, now });
  const last = input.last.get(warmupKey(account.id, model)) ?? null;
  const base = { accountId: account.id, email: account.email, model, window, last };
  if (last !== null && last.at >= start)
    return { ...base, state: 'done', reason: null, nextDueAt: start + intervalMs };
  const blocked = blockedReason({ ...options, now });
  if (blocked !== null) return { ...base, state: 'skipped', ...blocked };
  return { ...base, state: 'due', reason: null, nextDueAt: now };
}

/** Why the account may not take the warmup now, and when it may again (null: not known). */
function blockedReason(options: {
  input: PlanWarmupsInput;
  account: Account;
  upstreamModel: string;
  now: number;
}): { reason: string; nextDueAt: number | null } | null {
  const { input, account, upstreamModel, now } = options;
  if (account.disabled) return { reason: 'account is disabled', nextDueAt: null };
  if (account.proxyDisabled) return { reason: 'account is disabled for the proxy', nextDueAt: null };
  const availability = modelAvailability({
    account,
    model: upstreamModel,
    locks: input.locks,
    protection: input.protection,
    lockingEnabled: true,
    now,
  });
  if (availability.state === 'locked' || availability.state === 'predicted_out')
    return { reason: `rate-limited: ${availability.reason}`, nextDueAt: availability.until };
  if (availability.state === 'protected')
    return { reason: `quota protection keeps ${upstreamModel} for real requests`, nextDueAt: null };
  return null;
}

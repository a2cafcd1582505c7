import type { Account, ProviderKind } from '../core/account.js';
import { accountServesModel } from '../core/account.js';
import type { SchedulingAccounts } from './account-order.js';
import type { LockTable } from './lock-table.js';
import type { QuotaProtectionConfig } from './quota-protection.js';
import { protectedFraction, protectionThreshold } from './quota-protection.js';

/**
 * - `Balance` (default): sticky sessions and the last-used window; waits only a short grace (for
 *   its bound account's announced limit to end, or when every account is limited).
 * - `CacheFirst`: like Balance, and waits up to `maxWaitSeconds` for a limited bound account.
 * - `PerformanceFirst`: straight round robin; never binds sessions, never uses the window.
 */
export type SchedulingMode = 'CacheFirst' | 'Balance' | 'PerformanceFirst';

export interface SchedulingConfig {
  mode: SchedulingMode;
  /** CacheFirst: how long a request may wait for its limited bound (or only) account, seconds. */
  maxWaitSeconds: number;
  quotaProtection: QuotaProtectionConfig;
  /** How long after a round-robin pick the same account is reused by requests without a binding, ms. */
  windowMs: number;
}

/** Length of the last-used window: 60 s, fixed from the pick (reuse does not extend it). */
export const DEFAULT_WINDOW_MS = 60_000;
/** The longest a request waits outside CacheFirst when every account is limited, ms. */
export const GRACE_WAIT_MS = 2_000;

/** What the request asks for. */
export interface PickRequest {
  /** The conversation's session id, or null when none could be derived. */
  sessionId: string | null;
  /** The upstream model id (after mapping). */
  model: string;
  /** Accounts already tried by this request, over all its attempts; never picked again. */
  attempted: ReadonlySet<string>;
  /** Set on retries: skip the sticky binding and the window, go straight to round robin. */
  forceRotate: boolean;
  /**
   * Only accounts of these provider kinds may serve the request (pass-through needs the client's
   * own protocol); absent or null means any. Read, never kept.
   */
  providers?: ReadonlySet<ProviderKind> | null;
  /**
   * Only these account ids may serve the request (a client key pinned to an account or an account
   * group); absent or null means any. Read, never kept.
   */
  accounts?: ReadonlySet<string> | null;
}

/** The shared scheduling state, as read from the state store for this pick. */
export interface PickState {
  /** The account the request's session is bound to, if any. */
  boundAccountId: string | null;
  /** The account pinned by the user, if any. */
  fixedAccountId: string | null;
  lastUsed: { accountId: string; at: number } | null;
  /** Where round robin starts: position `roundRobinCounter mod n` of the model's order. */
  roundRobinCounter: number;
  /** Active locks of (at least) the candidate accounts. */
  locks: LockTable;
}

export interface PickInput {
  accounts: SchedulingAccounts;
  request: PickRequest;
  state: PickState;
  config: SchedulingConfig;
  /** Epoch ms. */
  now: number;
}

/** Why an account could not be used. */
export type UnusableReason =
  | 'not-found'
  | 'disabled'
  | 'proxy-disabled'
  | 'model-not-served'
  | 'provider-not-allowed'
  | 'not-allowed-for-key'
  | 'attempted'
  | 'quota-protected'
  | 'locked';

/** Use this account. The caller applies the effects the flags describe. */
export interface AccountDecision {
  kind: 'account';
  accountId: string;
  via: 'fixed' | 'sticky' | 'window' | 'round-robin';
  /** Bind the request's session to this account (only ever true when there is a session id). */
  bind: boolean;
  /** The session's bound account was unusable: drop the binding (a `bind` replaces it anyway). */
  unbind: boolean;
  /** Round robin: move the global counter to at least this value so the next pick starts after this one. */
  advanceCounterTo?: number;
  /** Record this account as last used, now (starts a new window). */
  setLastUsed: boolean;
  /** A fixed account is set but could not be used, and why. */
  fixedBypassed?: UnusableReason;
  /**
   * Set by `Scheduler.select`, not by `pick`: the number of the call this decision lets go, to pass
   * back with the answer's rate-limit headers (`Scheduler.recordPredictedLimit`).
   */
  call?: number;
}

/** Wait `waitMs`, then pick again: `accountId` frees by then and switching would lose its cache. */
export interface WaitDecision {
  kind: 'wait';
  accountId: string;
  waitMs: number;
}

/** Every candidate is rate-limited for longer than this mode waits. Maps to HTTP 429. */
export interface AllLimitedDecision {
  kind: 'all-limited';
  /** Until the earliest candidate's lock ends. */
  retryAfterMs: number;
  message: string;
}

/**
 * No account can serve the request, and waiting will not help. The gateway answers 503, except for
 * `all-attempted`, where the last upstream failure is the more useful answer.
 */
export interface NoneEligibleDecision {
  kind: 'none-eligible';
  reason:
    | 'no-accounts'
    | 'model-not-served'
    | 'all-disabled'
    | 'all-protected'
    | 'all-attempted'
    | 'outside-key-accounts';
  message: string;
}

export type PickDecision = AccountDecision | WaitDecision | AllLimitedDecision | NoneEligibleDecision;

/** What one pick checks every account against, computed once per pick. */
interface PickContext {
  model: string;
  providers: ReadonlySet<ProviderKind> | null;
  /** The accounts a client key restricts the request to; null when any may serve it. */
  allowed: ReadonlySet<string> | null;
  attempted: ReadonlySet<string>;
  locks: LockTable;
  now: number;
  /** Remaining fraction below which an account is protected for the model; -1 when protection is off. */
  threshold: number;
}

/**
 * Chooses the account for one request attempt: fixed account → sticky session → last-used window
 * → round robin over the model's order (see DESIGN.md §2). Pure: no I/O and no clock; the caller
 * applies the decision's effects (binding, last used, counter) to the state store.
 */
export function pick(input: PickInput): PickDecision {
  const { accounts, request, state, config, now } = input;
  const context: PickContext = {
    model: request.model,
    providers: request.providers ?? null,
    allowed: request.accounts ?? null,
    attempted: request.attempted,
    locks: state.locks,
    now,
    threshold: protectionThreshold(config.quotaProtection, request.model),
  };

  let fixedBypassed: UnusableReason | undefined;
  if (state.fixedAccountId !== null) {
    fixedBypassed = problemOf(accounts.get(state.fixedAccountId), context) ?? undefined;
    if (fixedBypassed === undefined) {
      return {
        kind: 'account',
        accountId: state.fixedAccountId,
        via: 'fixed',
        bind: false,
        unbind: false,
        setLastUsed: false,
      };
    }
  }

  const cacheAware = config.mode !== 'PerformanceFirst' && !request.forceRotate;
  let unbind = false;
  if (cacheAware && request.sessionId !== null && state.boundAccountId !== null) {
    const boundId = state.boundAccountId;
    const problem = problemOf(accounts.get(boundId), context);
    if (problem === null)
      return withFixed(
        { via: 'sticky', accountId: boundId, bind: false, unbind, setLastUsed: false },
        fixedBypassed,
      );
    if (problem === 'locked' && worthWaiting(boundId, context)) {
      const waitMs = lockRemaining(boundId, context);
      if (waitMs <= stickyWaitLimitMs(config)) return { kind: 'wait', accountId: boundId, waitMs };
    }
    unbind = true;
  }

  const bind = request.sessionId !== null && config.mode !== 'PerformanceFirst';
  // The window keeps clients that send no session id on one account. A conversation that has an
  // id but no binding yet starts with a cold cache anyway: round robin spreads new conversations
  // instead of piling every conversation of the minute onto one account (see BENCHMARKS.md, sim).
  const lastUsed = state.lastUsed;
  if (cacheAware && request.sessionId === null && lastUsed !== null && now - lastUsed.at < config.windowMs) {
    if (problemOf(accounts.get(lastUsed.accountId), context) === null) {
      return withFixed(
        { via: 'window', accountId: lastUsed.accountId, bind, unbind, setLastUsed: false },
        fixedBypassed,
      );
    }
  }

  return roundRobin(input, context, { bind, unbind, fixedBypassed });
}

function roundRobin(
  input: PickInput,
  context: PickContext,
  carry: { bind: boolean; unbind: boolean; fixedBypassed: UnusableReason | undefined },
): PickDecision {
  const { accounts, state, config } = input;
  const eligible = accounts.eligibleFor(context.model, context.providers);
  const { allowed } = context;
  const order = allowed === null ? eligible : eligible.filter((account) => allowed.has(account.id));
  const size = order.length;
  if (size === 0) {
    if (accounts.totalCount === 0) return noneEligible('no-accounts', context);
    if (eligible.length > 0) return noneEligible('outside-key-accounts', context);
    return noneEligible(accounts.enabledCount === 0 ? 'all-disabled' : 'model-not-served', context);
  }
  const counter = state.roundRobinCounter;
  const start = ((counter % size) + size) % size;
  for (let offset = 0; offset < size; offset++) {
    const index = start + offset < size ? start + offset : start + offset - size;
    const account = order[index]!;
    if (candidateProblem(account, context) !== null) continue;
    const decision: AccountDecision = {
      kind: 'account',
      accountId: account.id,
      via: 'round-robin',
      bind: carry.bind,
      unbind: carry.unbind,
      advanceCounterTo: counter + offset + 1,
      setLastUsed: config.mode !== 'PerformanceFirst',
    };
    if (carry.fixedBypassed !== undefined) decision.fixedBypassed = carry.fixedBypassed;
    return decision;
  }
  return exhausted(order, context, config);
}

/** Nothing in the order is usable: wait for the earliest lock, or say why nothing can serve. */
function exhausted(order: readonly Account[], context: PickContext, config: SchedulingConfig): PickDecision {
  let protectedCount = 0;
  let limitedCount = 0;
  let earliest: { accountId: string; until: number } | null = null;
  for (const account of order) {
    const problem = candidateProblem(account, context);
    if (problem === 'quota-protected') protectedCount++;
    if (problem !== 'locked') continue;
    limitedCount++;
    const until = context.locks.blocking(account.id, context.model, context.now)!.until;
    if (earliest === null || until < earliest.until) earliest = { accountId: account.id, until };
  }
  if (earliest !== null) {
    const waitMs = earliest.until - context.now;
    const patient = config.mode === 'CacheFirst' && worthWaiting(earliest.accountId, context);
    const limit = patient ? Math.max(GRACE_WAIT_MS, config.maxWaitSeconds * 1000) : GRACE_WAIT_MS;
    if (waitMs <= limit) return { kind: 'wait', accountId: earliest.accountId, waitMs };
    const seconds = Math.ceil(waitMs / 1000);
    const message = `All ${limitedCount} available accounts for model "${context.model}" are rate-limited; the first frees in ${seconds}s.`;
    return { kind: 'all-limited', retryAfterMs: waitMs, message };
  }
  return noneEligible(protectedCount > 0 ? 'all-protected' : 'all-attempted', context);
}

/** Why `account` cannot serve this pick, or null when it can. */
function problemOf(account: Account | undefined, context: PickContext): UnusableReason | null {
  if (account === undefined) return 'not-found';
  if (account.disabled) return 'disabled';
  if (account.proxyDisabled) return 'proxy-disabled';
  if (!accountServesModel(account, context.model)) return 'model-not-served';
  if (context.providers !== null && !context.providers.has(account.provider)) return 'provider-not-allowed';
  if (context.allowed !== null && !context.allowed.has(account.id)) return 'not-allowed-for-key';
  return candidateProblem(account, context);
}

/** `problemOf` for an account from the model's order, which is already enabled and serves the model. */
function candidateProblem(account: Account, context: PickContext): UnusableReason | null {
  if (context.attempted.size > 0 && context.attempted.has(account.id)) return 'attempted';
  if (context.threshold > 0 && protectedFraction(account, context.model, context.now) < context.threshold)
    return 'quota-protected';
  if (context.locks.blocking(account.id, context.model, context.now) !== null) return 'locked';
  return null;
}

/**
 * How long a conversation may wait for its bound account to free up instead of moving (and losing
 * its cache): `maxWaitSeconds` in CacheFirst, the short grace in Balance — a window the upstream
 * announced that ends that soon costs less than a cold cache elsewhere.
 */
function stickyWaitLimitMs(config: SchedulingConfig): number {
  return config.mode === 'CacheFirst' ? config.maxWaitSeconds * 1000 : GRACE_WAIT_MS;
}

function lockRemaining(accountId: string, context: PickContext): number {
  const lock = context.locks.blocking(accountId, context.model, context.now);
  return lock === null ? 0 : lock.until - context.now;
}

/**
 * Whether CacheFirst should wait out this lock rather than switch accounts. A lock whose end the
 * upstream stated (a delay on a failure, or a predicted limit's reset) ends when it said, and rate
 * and capacity limits end soon: waiting keeps the cache. An exhausted quota or a failing server
 * with a guessed end (a backoff step) would most likely fail again after the wait, so the request
 * moves on at once (see BENCHMARKS.md, the simulation).
 */
function worthWaiting(accountId: string, context: PickContext): boolean {
  const lock = context.locks.blocking(accountId, context.model, context.now);
  if (lock === null) return false;
  return (
    lock.source !== 'backoff' ||
    lock.reason === 'RateLimitExceeded' ||
    lock.reason === 'ModelCapacityExhausted'
  );
}

function withFixed(
  fields: Pick<AccountDecision, 'via' | 'accountId' | 'bind' | 'unbind' | 'setLastUsed'>,
  fixedBypassed: UnusableReason | undefined,
): AccountDecision {
  const decision: AccountDecision = { kind: 'account', ...fields };
  if (fixedBypassed !== undefined) decision.fixedBypassed = fixedBypassed;
  return decision;
}

const NONE_ELIGIBLE_MESSAGES: Record<
  NoneEligibleDecision['reason'],
  (model: string, kinds: string) => string
> = {
  'no-accounts': (model) => `No accounts are configured, so none can serve model "${model}".`,
  'all-disabled': (model) => `Every account is disabled, so none can serve model "${model}".`,
  'model-not-served': (model, kinds) => `No enabled ${kinds}account serves model "${model}".`,
  'all-protected': (model) =>
    `Every account for model "${model}" is below its quota-protection threshold for that model.`,
  'all-attempted': (model) => `Every account for model "${model}" has already failed for this request.`,
  'outside-key-accounts': (model, kinds) =>
    `No ${kinds}account this API key may use (its pinned account or account group) serves model "${model}".`,
};

function noneEligible(reason: NoneEligibleDecision['reason'], context: PickContext): NoneEligibleDecision {
  const kinds = context.providers === null ? '' : `${[...context.providers].join('/') || 'matching'} `;
  return { kind: 'none-eligible', reason, message: NONE_ELIGIBLE_MESSAGES[reason](context.model, kinds) };
}

import type { Account } from '../../src/core/account.js';
import { canServe } from '../../src/core/account.js';
import type { FailureOutcome, FailureReport, QuotaObservation } from '../../src/scheduler/index.js';
import { AccountOrder, DEFAULT_WINDOW_MS, GRACE_WAIT_MS, LockTable } from '../../src/scheduler/index.js';
import type { AccountDecision, PickDecision, PickRequest } from '../../src/scheduler/pick.js';
import type { PolicyContext, PolicyDescriptor, SchedulingPolicy } from './scheduling-policy.js';
import { SWITCHYARD_BREAKER, switchyardConfig, switchyardScheduling } from './switchyard-policies.js';

/** Antigravity Manager caps every lock at 300 s (reference §4.3 step 5). */
export const REFERENCE_MAX_LOCK_SECONDS = 300;

/**
 * Shared part of the baselines: failures and successes are recorded by a real `Scheduler` (same
 * classification and lock rules as Switchyard, apart from the breaker settings given), so the
 * baselines differ from Switchyard only in how they choose, plus what the reference caps.
 */
abstract class BaselinePolicy implements SchedulingPolicy {
  protected readonly context: PolicyContext;
  private readonly recorder: SchedulingPolicy;

  constructor(
    context: PolicyContext,
    rules: { maxLockSeconds: number; locks?: boolean; graceRetries?: boolean },
  ) {
    this.context = context;
    // The recorder's mode only decides grace retries: CacheFirst grants them to `sticky` reports.
    const mode = rules.graceRetries ? 'CacheFirst' : 'PerformanceFirst';
    const config = {
      ...switchyardConfig({ mode, protectionPercentage: null }),
      circuitBreaker: {
        ...SWITCHYARD_BREAKER,
        enabled: rules.locks ?? true,
        maxLockSeconds: rules.maxLockSeconds,
      },
    };
    this.recorder = switchyardScheduling(context, config);
  }

  abstract select(request: PickRequest): Promise<PickDecision>;

  recordFailure(report: FailureReport): Promise<FailureOutcome> {
    return this.recorder.recordFailure(report);
  }

  recordSuccess(success: { accountId: string; model: string | null }): Promise<void> {
    return this.recorder.recordSuccess(success);
  }

  recordPredictedLimit(observation: QuotaObservation): Promise<unknown> {
    return this.recorder.recordPredictedLimit(observation);
  }

  claimResend(accountId: string, model: string): Promise<number | null> {
    return this.recorder.claimResend(accountId, model);
  }

  close(): Promise<void> {
    return this.recorder.close();
  }

  /** The enabled accounts serving `model`, in creation order. */
  protected candidates(model: string): Account[] {
    return this.context.pool.list().filter((account) => canServe(account, model));
  }

  protected async locks(): Promise<LockTable> {
    return LockTable.from(await this.context.store.listLocks());
  }
}

/**
 * A client that rotates its keys by itself: each call goes to the next key in a fixed cycle
 * (skipping only keys this request already tried); it remembers no 429, reads no header and never
 * waits. Failures are classified (to know what is worth another key) but lock nothing.
 */
class NaiveRotationPolicy extends BaselinePolicy {
  private cursor = 0;

  constructor(context: PolicyContext) {
    super(context, { maxLockSeconds: 0, locks: false });
  }

  async select(request: PickRequest): Promise<PickDecision> {
    const accounts = this.candidates(request.model);
    for (let offset = 0; offset < accounts.length; offset++) {
      const index = (this.cursor + offset) % accounts.length;
      const account = accounts[index]!;
      if (request.attempted.has(account.id)) continue;
      this.cursor = index + 1;
      return chosen(account.id, 'round-robin');
    }
    return { kind: 'none-eligible', reason: 'all-attempted', message: 'all tried' };
  }

  override async recordPredictedLimit(): Promise<unknown> {
    return null;
  }
}

/** Plain round robin over all accounts in a fixed order, skipping locked and already-tried ones. */
class RoundRobinPolicy extends BaselinePolicy {
  private cursor = 0;

  async select(request: PickRequest): Promise<PickDecision> {
    const accounts = this.candidates(request.model);
    const locks = await this.locks();
    const now = this.context.clock.now();
    for (let offset = 0; offset < accounts.length; offset++) {
      const index = (this.cursor + offset) % accounts.length;
      const account = accounts[index]!;
      if (request.attempted.has(account.id) || locks.blocking(account.id, request.model, now) !== null)
        continue;
      this.cursor = index + 1;
      return chosen(account.id, 'round-robin');
    }
    return nothingUsable({ accounts, request, locks, now });
  }
}

/** A uniformly random account among those not locked and not yet tried by the request. */
class RandomPolicy extends BaselinePolicy {
  async select(request: PickRequest): Promise<PickDecision> {
    const accounts = this.candidates(request.model);
    const locks = await this.locks();
    const now = this.context.clock.now();
    const usable = accounts.filter(
      (account) =>
        !request.attempted.has(account.id) && locks.blocking(account.id, request.model, now) === null,
    );
    const account = usable[this.context.random.int(usable.length)];
    if (account === undefined) return nothingUsable({ accounts, request, locks, now });
    return chosen(account.id, 'round-robin');
  }
}

/**
 * Antigravity Manager's selection (reference §3.3) with its known defects kept: the sticky step
 * checks only account-level locks, so a session stays bound to an account whose quota for the
 * model is exhausted (§10.2.6); the set of tried accounts is forgotten between the gateway's
 * attempts (§10.2.7); a forced rotation neither binds the session nor moves the last-used window
 * (Mode C). Round robin over the tier/quota order stands in for its power-of-two-choices draw, and
 * every lock is capped at 300 s by the recorder (§4.3).
 */
class ReferencePolicy extends BaselinePolicy {
  private readonly order: AccountOrder;

  constructor(context: PolicyContext) {
    super(context, { maxLockSeconds: REFERENCE_MAX_LOCK_SECONDS, graceRetries: true });
    this.order = new AccountOrder(context.pool);
  }

  /** Its handler waits out any 429 stating ≤ 2 s on the same account, whatever the session (§4.6). */
  override recordFailure(report: FailureReport): Promise<FailureOutcome> {
    return super.recordFailure({ ...report, via: 'sticky' });
  }

  /** It reads no rate-limit headers into locks. */
  override async recordPredictedLimit(): Promise<unknown> {
    return null;
  }

  async select(request: PickRequest): Promise<PickDecision> {
    const { store, clock } = this.context;
    const { sessionId, model, forceRotate } = request;
    const locks = await this.locks();
    const now = clock.now();
    if (sessionId !== null && !forceRotate) {
      const bound = await store.getBinding(sessionId);
      if (bound !== null) {
        // Only the account-level lock counts here: the reference ignores the model's quota lock.
        if ((await store.getLocks(bound, model)).account === null) return chosen(bound, 'sticky');
        await store.deleteBinding(sessionId);
      }
      const lastUsed = await store.getLastUsed();
      if (lastUsed !== null && now - lastUsed.at < DEFAULT_WINDOW_MS) {
        if (locks.blocking(lastUsed.accountId, model, now) === null)
          return chosen(lastUsed.accountId, 'window');
      }
    }
    const accounts = this.order.eligibleFor(model);
    const counter = await store.incrementRoundRobin();
    for (let offset = 0; offset < accounts.length; offset++) {
      const account = accounts[(counter + offset) % accounts.length]!;
      if (locks.blocking(account.id, model, now) !== null) continue;
      if (!forceRotate) {
        await store.setLastUsed({ accountId: account.id, at: now });
        if (sessionId !== null) await store.setBinding(sessionId, account.id);
      }
      return chosen(account.id, 'round-robin');
    }
    const emptyAttempted: PickRequest = { ...request, attempted: new Set() };
    return nothingUsable({ accounts, request: emptyAttempted, locks, now });
  }

  override async close(): Promise<void> {
    this.order.close();
    await super.close();
  }
}

function chosen(accountId: string, via: AccountDecision['via']): AccountDecision {
  return { kind: 'account', accountId, via, bind: false, unbind: false, setLastUsed: false };
}

/** Nothing usable: wait up to the 2 s grace for the earliest lock, else report all limited. */
function nothingUsable(state: {
  accounts: readonly Account[];
  request: PickRequest;
  locks: LockTable;
  now: number;
}): PickDecision {
  const { accounts, request, locks, now } = state;
  let earliest: { accountId: string; until: number } | null = null;
  for (const account of accounts) {
    if (request.attempted.has(account.id)) continue;
    const lock = locks.blocking(account.id, request.model, now);
    if (lock !== null && (earliest === null || lock.until < earliest.until)) {
      earliest = { accountId: account.id, until: lock.until };
    }
  }
  if (earliest === null) return { kind: 'none-eligible', reason: 'all-attempted', message: 'all tried' };
  const waitMs = earliest.until - now;
  if (waitMs <= GRACE_WAIT_MS) return { kind: 'wait', accountId: earliest.accountId, waitMs };
  return { kind: 'all-limited', retryAfterMs: waitMs, message: 'all limited' };
}

const SWITCHYARD_RULES = { maxLockSeconds: SWITCHYARD_BREAKER.maxLockSeconds };

/** The baselines, in table order. */
export const BASELINE_POLICIES: readonly PolicyDescriptor[] = [
  {
    name: 'naive-rotation',
    description:
      'a client rotating keys by itself: the next key for every call, no memory of 429s, no headers read, no stickiness',
    create: (context) => new NaiveRotationPolicy(context),
  },
  {
    name: 'round-robin',
    description:
      "plain round robin over all accounts, skipping locked and already-tried ones (Switchyard's lock and predicted-limit rules, without counting its calls in flight); no stickiness",
    create: (context) => new RoundRobinPolicy(context, SWITCHYARD_RULES),
  },
  {
    name: 'random',
    description:
      "a uniformly random unlocked, untried account (Switchyard's lock and predicted-limit rules, without counting its calls in flight); no stickiness",
    create: (context) => new RandomPolicy(context, SWITCHYARD_RULES),
  },
  {
    name: 'reference',
    description:
      'Antigravity Manager: sticky ignores model-level locks, tried set reset per attempt, locks capped at 300 s, every 429 stating ≤ 2 s waited out on the same account, no predicted limits',
    create: (context) => new ReferencePolicy(context),
  },
];

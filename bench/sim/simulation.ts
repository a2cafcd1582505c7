import { MemoryAccountPool } from '../../src/core/account-pool.js';
import { FakeClock } from '../../src/core/clock.js';
import { parseRateLimitHeaders } from '../../src/ratelimit/index.js';
import { LockTable } from '../../src/scheduler/index.js';
import type { AccountDecision, PickDecision } from '../../src/scheduler/pick.js';
import { MemoryStateStore } from '../../src/state/memory-state-store.js';
import { EventQueue } from './event-queue.js';
import { MetricsRecorder, type PolicyMetrics, type SendPath } from './metrics-recorder.js';
import { Prng } from './prng.js';
import type { PolicyDescriptor, SchedulingPolicy } from './scheduling-policy.js';
import type { SimulationParameters } from './sim-parameters.js';
import { simulatedAccounts } from './sim-parameters.js';
import { SimulatedUpstream, type UpstreamAnswer } from './simulated-upstream.js';
import type { Conversation, Workload } from './workload.js';
import { RANDOM_STREAMS } from './workload.js';

/** The gateway's default `proxy.max_attempts`. */
export const MAX_ATTEMPTS = 3;
/** Waits the gateway honours in a row for one attempt (src/gateway/gateway.ts `MAX_WAITS`). */
export const MAX_WAITS = 3;

/**
 * How the simulated gateway resends without a fresh pick. `recheck` mirrors src/gateway/gateway.ts:
 * before a grace retry goes back to the same account the account's locks are read again (a locked
 * account counts as a failed attempt and the request rotates), and after a `wait` the account is
 * always picked again. `previous` is how the gateway behaved before: it re-sent at once, locked or
 * not, and sent to the account of a second `wait` without sleeping.
 */
export type GatewayResend = 'previous' | 'recheck';

export interface SimulationOptions {
  parameters: SimulationParameters;
  /** The conversations; the same object for every policy of a load point. */
  workload: Workload;
  policy: PolicyDescriptor;
  /** Default `recheck` (the gateway as built). */
  gatewayResend?: GatewayResend;
}

/** One client request (conversation turn) on its way through the simulated attempt loop. */
interface TurnRequest {
  conversation: Conversation;
  turn: number;
  /** Accounts tried by this request, over all its attempts (the gateway's `attempted`). */
  attempted: Set<string>;
  attempt: number;
  /** Whether the current attempt already used its grace retry on the same account. */
  graceUsed: boolean;
  /** How the current attempt's account was chosen (the gateway reports it with a failure). */
  via: AccountDecision['via'] | undefined;
}

/**
 * Runs one policy over one workload on virtual time and returns its metrics. Deterministic: the
 * same parameters, workload and policy give the same numbers.
 */
export async function runSimulation(options: SimulationOptions): Promise<PolicyMetrics> {
  const simulation = await Simulation.create(options);
  return simulation.run();
}

/**
 * A discrete-event simulation of the gateway's attempt loop (src/gateway/gateway.ts) in front of
 * the simulated upstream: attempt 0 may stick, later attempts force rotation, `attempted` spans the
 * request, a short stated delay is waited out once on the same account, a `wait` decision is
 * honoured by picking again after the wait, and successes feed the remaining quota from the
 * response headers into the account pool.
 */
class Simulation {
  private readonly queue = new EventQueue();
  private readonly previousAccount: (string | null)[];
  private readonly maxAttempts: number;

  private constructor(
    private readonly options: SimulationOptions,
    private readonly parts: {
      clock: FakeClock;
      pool: MemoryAccountPool;
      store: MemoryStateStore;
      policy: SchedulingPolicy;
      upstream: SimulatedUpstream;
      metrics: MetricsRecorder;
    },
  ) {
    this.previousAccount = options.workload.conversations.map(() => null);
    this.maxAttempts = Math.max(1, Math.min(MAX_ATTEMPTS, parts.pool.list().length + 1));
  }

  static async create(options: SimulationOptions): Promise<Simulation> {
    const { parameters } = options;
    const accounts = simulatedAccounts(parameters);
    const clock = new FakeClock(parameters.startAt);
    const pool = new MemoryAccountPool(accounts.map((entry) => entry.account));
    const store = await MemoryStateStore.create({ clock });
    const random = Prng.derive(parameters.seed, RANDOM_STREAMS.policy);
    const policy = options.policy.create({ pool, store, clock, random });
    const upstream = new SimulatedUpstream({
      accounts,
      parameters,
      random: Prng.derive(parameters.seed, RANDOM_STREAMS.upstream),
    });
    const metrics = new MetricsRecorder(accounts.map((entry) => entry.account.id));
    return new Simulation(options, { clock, pool, store, policy, upstream, metrics });
  }

  async run(): Promise<PolicyMetrics> {
    const { clock, policy, store, metrics } = this.parts;
    for (const conversation of this.options.workload.conversations) {
      this.queue.push({ at: conversation.arrivalAt, run: () => this.startTurn(conversation, 0) });
    }
    for (let event = this.queue.pop(); event !== undefined; event = this.queue.pop()) {
      clock.set(event.at);
      await event.run();
    }
    await policy.close();
    await store.close();
    return metrics.result(this.options.policy.name);
  }

  private later(delayMs: number, run: () => Promise<void> | void): void {
    this.queue.push({ at: this.parts.clock.now() + delayMs, run });
  }

  private startTurn(conversation: Conversation, turn: number): Promise<void> {
    return this.attempt({
      conversation,
      turn,
      attempted: new Set(),
      attempt: 0,
      graceUsed: false,
      via: undefined,
    });
  }

  private async attempt(request: TurnRequest): Promise<void> {
    if (request.attempt >= this.maxAttempts) return this.finish(request, null);
    return this.pick(request, 0);
  }

  /**
   * Like the gateway: a `wait` is slept, then the account is picked again (so the usual effects
   * apply), at most `MAX_WAITS` times in a row, then once more with a forced rotation; only an
   * account decision is sent to. The previous gateway sent to the account of a second `wait` at once.
   */
  private async pick(request: TurnRequest, waits: number): Promise<void> {
    // The locks as the pick saw them: a call's own in-flight reservation is not a lock it was sent into.
    // The in-process store reads when called, before the select below runs.
    const locksRead = this.parts.store.listLocks();
    let decision = await this.select(request);
    const locksBefore = LockTable.from(await locksRead);
    // After MAX_WAITS waits the gateway picks once more with a forced rotation.
    if (decision.kind === 'wait' && waits >= MAX_WAITS && this.options.gatewayResend !== 'previous')
      decision = await this.select(request, true);
    if (decision.kind === 'account') {
      request.via = decision.via;
      const locked = locksBefore.blocking(
        decision.accountId,
        request.conversation.model,
        this.parts.clock.now(),
      );
      return this.send(request, {
        accountId: decision.accountId,
        path: 'picked',
        call: decision.call,
        locked: locked !== null,
      });
    }
    if (decision.kind !== 'wait') return this.finish(request, null);
    if (waits > 0 && this.options.gatewayResend === 'previous')
      return this.send(request, { accountId: decision.accountId, path: 'second-wait' });
    if (waits >= MAX_WAITS) return this.finish(request, null);
    this.parts.metrics.waited(await this.lockReason(decision.accountId, request.conversation.model));
    this.later(decision.waitMs, () => this.pick(request, waits + 1));
  }

  /** The reason of the lock that keeps the account from the model now (the later-ending one). */
  private async lockReason(accountId: string, model: string): Promise<string> {
    const { account, model: modelLock } = await this.parts.store.getLocks(accountId, model);
    const lock =
      account !== null && (modelLock === null || account.until >= modelLock.until) ? account : modelLock;
    return lock?.reason ?? 'none';
  }

  private select(request: TurnRequest, rotate = false): Promise<PickDecision> {
    return this.parts.policy.select({
      sessionId: request.conversation.sessionId,
      model: request.conversation.model,
      attempted: request.attempted,
      forceRotate: rotate || request.attempt > 0,
    });
  }

  private async send(
    request: TurnRequest,
    target: { accountId: string; path: SendPath; call?: number | undefined; locked?: boolean },
  ): Promise<void> {
    const { store, upstream, metrics, clock, policy } = this.parts;
    const { accountId, path } = target;
    const model = request.conversation.model;
    const locks = await store.getLocks(accountId, model);
    const locked = target.locked ?? (locks.account !== null || locks.model !== null);
    let call = target.call;
    if (path !== 'picked' && (this.options.gatewayResend ?? 'recheck') === 'recheck') {
      // As the gateway: a resend claims the account (rotating when it is locked) and is counted.
      const claimed = await policy.claimResend(accountId, model);
      if (claimed === null) return this.nextAttempt(request);
      call = claimed;
    }
    request.attempted.add(accountId);
    const now = clock.now();
    const answer = upstream.respond({ accountId, model, now });
    metrics.sent({ accountId, model, now, path, locked, answer });
    this.later(answer.latencyMs, () => this.answered(request, { accountId, call }, answer));
  }

  private async answered(
    request: TurnRequest,
    target: { accountId: string; call: number | undefined },
    answer: UpstreamAnswer,
  ): Promise<void> {
    const { policy, metrics } = this.parts;
    const { accountId } = target;
    const model = request.conversation.model;
    metrics.announced({ accountId, model, announces: answer.announces });
    await this.observeHeaders({ ...target, model, status: answer.status, headers: answer.headers });
    if (answer.status < 400) {
      await policy.recordSuccess({ accountId, model });
      return this.finish(request, accountId);
    }
    const outcome = await policy.recordFailure({
      accountId,
      model,
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
      ...(request.via ? { via: request.via } : {}),
    });
    if (!outcome.classification.retryable) return this.finish(request, null);
    const graceMs = outcome.decision.graceRetryMs;
    if (graceMs !== null && !request.graceUsed) {
      request.graceUsed = true;
      this.later(graceMs, () => this.send(request, { accountId, path: 'grace-retry' }));
      return;
    }
    return this.nextAttempt(request);
  }

  private nextAttempt(request: TurnRequest): Promise<void> {
    request.attempt++;
    request.graceUsed = false;
    request.via = undefined;
    return this.attempt(request);
  }

  /**
   * What the gateway does with an answer's rate-limit headers (src/gateway/observe-rate-limit-headers.ts):
   * a success's remaining quota into the pool (`accounts.recordQuota`), and every answer's counts to
   * the predicted limits, with the number of the answered call.
   */
  private async observeHeaders(answer: {
    accountId: string;
    model: string;
    call: number | undefined;
    status: number;
    headers: Record<string, string>;
  }): Promise<void> {
    const { pool, clock, policy } = this.parts;
    const account = pool.get(answer.accountId);
    if (account === undefined) return;
    const now = clock.now();
    // The simulated upstream answers with OpenAI's `x-ratelimit-*` headers.
    const reading = parseRateLimitHeaders({ family: 'openai', headers: answer.headers, now });
    if (reading === null) return;
    const { quota, requests } = reading;
    if (quota !== null && answer.status < 400) {
      pool.upsert({
        ...account,
        quota: { ...account.quota, [answer.model]: { ...quota, observedAt: now, source: 'headers' } },
      });
    }
    const { accountId, model, call } = answer;
    const observation = { accountId, model, quota, requests, source: 'rate-limit-headers' as const };
    await policy.recordPredictedLimit(call === undefined ? observation : { ...observation, call });
  }

  private finish(request: TurnRequest, accountId: string | null): void {
    const { conversation, turn } = request;
    const previousAccountId = this.previousAccount[conversation.index] ?? null;
    this.parts.metrics.finished({ accountId, previousAccountId });
    if (accountId !== null) this.previousAccount[conversation.index] = accountId;
    const next = turn + 1;
    const thinkMs = conversation.thinkMs[next - 1];
    if (thinkMs !== undefined) this.later(thinkMs, () => this.startTurn(conversation, next));
  }
}

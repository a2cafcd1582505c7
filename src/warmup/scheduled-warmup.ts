import type { Account } from '../core/account.js';
import type { ClientProtocol } from '../core/client-protocol.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { RateLimitLock } from '../core/limits.js';
import type { ProxyRequest, ProxyResponse } from '../gateway/proxy-request.js';
import type { Logger } from '../observability/logger.js';
import { runLimited } from '../quota/run-limited.js';
import type { QuotaProtectionConfig } from '../scheduler/quota-protection.js';
import type { StateHealth } from '../state/state-store.js';
import {
  planWarmups,
  type WarmupRecord,
  type WarmupSchedule,
  type WarmupTarget,
  warmupKey,
} from './plan-warmups.js';
import { warmupRequest } from './warmup-request.js';

/** How often the runner looks for due warmups (windows are at least a minute long). */
export const WARMUP_TICK_MS = 30_000;

/** The longest error reason kept for the Monitor. */
const MAX_REASON = 300;

export interface ScheduledWarmupOptions {
  accounts: { list(): readonly Account[] };
  /** The gateway's request path (a warmup is a request pinned to its account). */
  gateway: {
    handle(request: ProxyRequest): Promise<ProxyResponse>;
    mappedModel(clientModel: string): string;
    nativeProtocol(kind: Account['provider']): ClientProtocol | undefined;
  };
  /**
   * The scheduling state: its locks, and in cluster mode (`backend: redis`) the claim of each
   * account's window, so that one instance only warms it (`StateStore.claim`).
   */
  state: {
    listLocks(): Promise<readonly RateLimitLock[]>;
    claim(name: string, holder: string, ttlMs: number): Promise<boolean>;
    health(): StateHealth;
  };
  /** Read on every tick. */
  settings: () => { schedule: WarmupSchedule; protection: QuotaProtectionConfig };
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  /** Warmups sent at the same time, over all accounts. Default 2. */
  concurrency?: number;
  /**
   * The scheduled warmups already in the request log, newest first (read once, when the schedule
   * is first found on): an account warmed in its current window before a restart is not warmed
   * again. Absent: none.
   */
  history?: () => Promise<readonly LoggedWarmup[]>;
}

/** A scheduled warmup as the request log holds it. */
export interface LoggedWarmup {
  accountId: string;
  model: string;
  at: number;
  /** Why it failed; null when it worked. */
  error: string | null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The opt-in scheduled warmup (`proxy.warmup.schedule`): every `WARMUP_TICK_MS` it plans which
 * accounts and models are due (`planWarmups`) and sends each a tiny request through the gateway,
 * pinned to that account, at most `concurrency` at a time. The last outcome per account and model
 * is kept in memory for the Monitor (`status`), read back from the request log first.
 */
export class ScheduledWarmup {
  private readonly last = new Map<string, WarmupRecord>();
  private readonly inFlight = new Set<string>();
  /** This instance's name in the cluster claims of windows. */
  private readonly holder: string;
  private readonly abort = new AbortController();
  private cancelTimer: () => void = () => undefined;
  private running: Promise<WarmupTarget[]> | null = null;
  private history: Promise<void> | null = null;

  constructor(private readonly options: ScheduledWarmupOptions) {
    this.holder = `warmup:${options.ids.uuid()}`;
  }

  /** Arms the timer; each tick does nothing while the schedule is off. */
  start(): void {
    this.cancelTimer();
    this.cancelTimer = this.options.clock.every(WARMUP_TICK_MS, () => {
      this.tick().catch((error: unknown) =>
        this.options.logger.error({ err: describe(error) }, 'scheduled warmup failed'),
      );
    });
  }

  /** Stops the timer, cancels warmups in flight and waits for them. */
  async stop(): Promise<void> {
    this.cancelTimer();
    this.abort.abort(new Error('the gateway is stopping'));
    await this.running?.catch(() => undefined);
  }

  /** The plan at this moment (nothing is sent): each account and model, its last warmup and the next. */
  async status(): Promise<WarmupTarget[]> {
    await this.readHistoryOnce();
    return planWarmups(await this.planInput());
  }

  /**
   * Sends the warmups due now and resolves with the plan they came from, once they are done. A
   * tick while another runs joins it.
   */
  tick(): Promise<WarmupTarget[]> {
    if (this.running) return this.running;
    const run = this.runTick().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  /** The logged warmups are read once, when the schedule is first found on (a search of the log). */
  private async readHistoryOnce(): Promise<void> {
    if (!this.options.settings().schedule.enabled) return;
    this.history ??= this.readHistory();
    await this.history;
  }

  private async readHistory(): Promise<void> {
    try {
      const logged = (await this.options.history?.()) ?? [];
      for (const warmup of logged) {
        const key = warmupKey(warmup.accountId, warmup.model);
        if (this.last.has(key)) continue;
        const result = warmup.error === null ? 'ok' : 'error';
        this.last.set(key, { at: warmup.at, result, error: warmup.error });
      }
    } catch (error) {
      this.options.logger.warn(
        { err: describe(error) },
        'could not read the last scheduled warmups from the request log: each account is warmed anew',
      );
    }
  }

  private async runTick(): Promise<WarmupTarget[]> {
    await this.readHistoryOnce();
    const plan = planWarmups(await this.planInput());
    const due = plan.filter((target) => target.state === 'due');
    await runLimited({
      items: due,
      limit: this.options.concurrency ?? 2,
      work: (target) => this.warm(target),
    });
    return plan;
  }

  private async planInput() {
    const { schedule, protection } = this.options.settings();
    return {
      now: this.options.clock.now(),
      schedule,
      protection,
      accounts: this.options.accounts.list(),
      last: this.last,
      inFlight: this.inFlight,
      locks: schedule.enabled ? await this.options.state.listLocks() : [],
      upstreamModel: (model: string) => this.options.gateway.mappedModel(model),
    };
  }

  private async warm(target: WarmupTarget): Promise<void> {
    if (this.abort.signal.aborted || this.inFlight.has(target.accountId)) return;
    this.inFlight.add(target.accountId);
    const key = warmupKey(target.accountId, target.model);
    const record = (result: WarmupRecord['result'], error: string | null) =>
      this.last.set(key, { at: this.options.clock.now(), result, error });
    try {
      if (!(await this.claim(target))) {
        record('elsewhere', null);
        return;
      }
      const error = await this.send(target);
      record(error === null ? 'ok' : 'error', error);
      const fields = { account: target.email, model: target.model };
      if (error === null) this.options.logger.info(fields, 'scheduled warmup sent');
      else this.options.logger.warn({ ...fields, err: error }, 'scheduled warmup failed');
    } finally {
      this.inFlight.delete(target.accountId);
    }
  }

  /**
   * Whether this instance warms the target's window. With shared state, the first instance to claim
   * the window does (the claim outlives the window); the others leave it to that one. Alone, always.
   */
  private async claim(target: WarmupTarget): Promise<boolean> {
    const { state, settings } = this.options;
    if (state.health().backend !== 'redis') return true;
    const name = `scheduled-warmup:${target.accountId}:${target.model}:${target.window}`;
    return state.claim(name, this.holder, settings().schedule.intervalMs);
  }

  /** Sends one warmup; resolves with why it failed, or null when it worked. */
  private async send(target: WarmupTarget): Promise<string | null> {
    const { gateway, clock, ids, accounts } = this.options;
    const account = accounts.list().find((candidate) => candidate.id === target.accountId);
    const protocol = account ? gateway.nativeProtocol(account.provider) : undefined;
    if (!protocol) return 'the account is gone or its provider is unknown';
    const request = warmupRequest({
      id: ids.requestId(),
      accountId: target.accountId,
      model: target.model,
      protocol,
      now: clock.now(),
      signal: this.abort.signal,
    });
    try {
      const response = await gateway.handle(request);
      const body = await readAll(response.body);
      if (response.status < 400) return null;
      return `HTTP ${response.status}: ${body.toString('utf8').slice(0, MAX_REASON)}`;
    } catch (error) {
      return describe(error).slice(0, MAX_REASON);
    }
  }
}

async function readAll(body: ProxyResponse['body']): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

import type { UpstreamAnswer } from './simulated-upstream.js';

/**
 * How the gateway came to send a call: the account a pick chose; the account of a second `wait`
 * decision (after the first wait), sent to without sleeping again; or the same account again after
 * a short stated delay (grace retry).
 */
export type SendPath = 'picked' | 'second-wait' | 'grace-retry';

/** The numbers one policy produced in one run. */
export interface PolicyMetrics {
  policy: string;
  /** Client requests (conversation turns) that finished. */
  requests: number;
  /** Share of requests answered successfully, 0..1. */
  successRate: number;
  /**
   * Share of successful turns after a conversation's first success that were served by the account
   * that served its previous successful turn, 0..1.
   */
  stickiness: number;
  /** Upstream 429 answers (minute limit and quota) per 1 000 client requests. */
  upstream429PerThousand: number;
  /** The 429s split by cause, per 1 000 client requests. */
  minuteLimit429PerThousand: number;
  quota429PerThousand: number;
  /**
   * Upstream 429s to an account inside a window it had already announced (by a 429's
   * `Retry-After`, or by a success's `remaining: 0` until its reset) when the call was sent, per
   * 1 000 client requests.
   */
  repeat429PerThousand: number;
  /** Upstream calls sent inside a window the account had announced, whatever the answer. */
  sendsInsideAnnouncedWindows: number;
  /** Upstream 5xx answers per 1 000 client requests. */
  serverErrorsPerThousand: number;
  /** Upstream calls sent to an account that the state store held locked for the model at send time. */
  sendsToLockedAccounts: number;
  /** The same, by how the gateway came to send the call. */
  lockedSendsByPath: Record<SendPath, number>;
  /** Coefficient of variation (stdev / mean) of upstream calls per account. */
  loadCv: number;
  /** Upstream calls of the busiest account over the mean per account. */
  loadMaxOverMean: number;
  /** Upstream calls per client request (grace retries and rotations included). */
  attemptsPerRequest: number;
  /** Requests that waited for a locked account (CacheFirst wait or the 2 s grace), per 1 000. */
  waitsPerThousand: number;
  /** `wait` decisions by the reason of the lock waited for (`none` when no lock was found). */
  waitsByLockReason: Record<string, number>;
  /** Upstream calls per account id. */
  callsPerAccount: Record<string, number>;
}

/** Collects what happens during one run and turns it into `PolicyMetrics`. */
export class MetricsRecorder {
  private requests = 0;
  private succeeded = 0;
  private stickyEligible = 0;
  private sticky = 0;
  private minuteLimit429 = 0;
  private quota429 = 0;
  private serverErrors = 0;
  private repeat429 = 0;
  private insideAnnounced = 0;
  /** Until when each account (key `id`) or model on it (key `id::model`) announced it refuses calls. */
  private readonly announcedUntil = new Map<string, number>();
  private readonly lockedSends: Record<SendPath, number> = { picked: 0, 'second-wait': 0, 'grace-retry': 0 };
  private calls = 0;
  private waits = 0;
  private readonly waitReasons = new Map<string, number>();
  private readonly callsPerAccount = new Map<string, number>();

  constructor(accountIds: readonly string[]) {
    for (const id of accountIds) this.callsPerAccount.set(id, 0);
  }

  /** An answer arrived: from now on, the window it announces (if any) is known to the gateway. */
  announced(answer: { accountId: string; model: string; announces: UpstreamAnswer['announces'] }): void {
    const { announces } = answer;
    if (announces === null) return;
    const key = announces.scope === 'account' ? answer.accountId : `${answer.accountId}::${answer.model}`;
    this.announcedUntil.set(key, Math.max(this.announcedUntil.get(key) ?? 0, announces.until));
  }

  /**
   * One upstream call sent at `now`; `locked` says whether the store held the account locked for
   * the model then. A call inside an announced window that is answered 429 is a repeat 429.
   */
  sent(call: {
    accountId: string;
    model: string;
    now: number;
    path: SendPath;
    locked: boolean;
    answer: UpstreamAnswer;
  }): void {
    this.calls++;
    const until = Math.max(
      this.announcedUntil.get(call.accountId) ?? 0,
      this.announcedUntil.get(`${call.accountId}::${call.model}`) ?? 0,
    );
    if (call.now < until) {
      this.insideAnnounced++;
      if (call.answer.status === 429) this.repeat429++;
    }
    this.callsPerAccount.set(call.accountId, (this.callsPerAccount.get(call.accountId) ?? 0) + 1);
    if (call.locked) this.lockedSends[call.path]++;
    if (call.answer.refusal === 'minute-limit') this.minuteLimit429++;
    else if (call.answer.refusal === 'quota') this.quota429++;
    else if (call.answer.refusal === 'server-error') this.serverErrors++;
  }

  /** A `wait` decision; `lockReason` is the reason of the lock it waits for. */
  waited(lockReason: string): void {
    this.waits++;
    this.waitReasons.set(lockReason, (this.waitReasons.get(lockReason) ?? 0) + 1);
  }

  /**
   * A client request finished. `previousAccountId` is the account of the conversation's previous
   * successful turn (null for none); `accountId` the account that served this one (null: failed).
   */
  finished(request: { accountId: string | null; previousAccountId: string | null }): void {
    this.requests++;
    if (request.accountId === null) return;
    this.succeeded++;
    if (request.previousAccountId === null) return;
    this.stickyEligible++;
    if (request.previousAccountId === request.accountId) this.sticky++;
  }

  result(policy: string): PolicyMetrics {
    const perThousand = (count: number) => (this.requests === 0 ? 0 : (count * 1000) / this.requests);
    const counts = [...this.callsPerAccount.values()];
    const mean = counts.reduce((sum, count) => sum + count, 0) / Math.max(1, counts.length);
    const variance = counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / Math.max(1, counts.length);
    return {
      policy,
      requests: this.requests,
      successRate: this.requests === 0 ? 0 : this.succeeded / this.requests,
      stickiness: this.stickyEligible === 0 ? 0 : this.sticky / this.stickyEligible,
      upstream429PerThousand: perThousand(this.minuteLimit429 + this.quota429),
      minuteLimit429PerThousand: perThousand(this.minuteLimit429),
      quota429PerThousand: perThousand(this.quota429),
      repeat429PerThousand: perThousand(this.repeat429),
      sendsInsideAnnouncedWindows: this.insideAnnounced,
      serverErrorsPerThousand: perThousand(this.serverErrors),
      sendsToLockedAccounts: Object.values(this.lockedSends).reduce((sum, count) => sum + count, 0),
      lockedSendsByPath: { ...this.lockedSends },
      loadCv: mean === 0 ? 0 : Math.sqrt(variance) / mean,
      loadMaxOverMean: mean === 0 ? 0 : Math.max(...counts) / mean,
      attemptsPerRequest: this.requests === 0 ? 0 : this.calls / this.requests,
      waitsPerThousand: perThousand(this.waits),
      waitsByLockReason: Object.fromEntries([...this.waitReasons].sort(([a], [b]) => (a < b ? -1 : 1))),
      callsPerAccount: Object.fromEntries(this.callsPerAccount),
    };
  }
}

import type { Prng } from './prng.js';
import type { SimulatedAccount, SimulationParameters } from './sim-parameters.js';

/** One answer of the simulated provider, shaped like OpenAI's. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Virtual time until the answer (or its first byte) arrives, ms. */
  latencyMs: number;
  /** Which limit refused the request, for the metrics. */
  refusal: 'minute-limit' | 'quota' | 'server-error' | null;
  /**
   * The window this answer announces, if any: until when the account (or the model on it) refuses
   * requests, as a 429's `Retry-After` says (or, without one, its reset headers), or as a
   * success's headers say with `remaining: 0`. Sending inside it once the answer arrived is what
   * the repeat-429 metric counts.
   */
  announces: { scope: 'account' | 'model'; until: number } | null;
}

/** Per-account bookkeeping of the limits. */
interface AccountLimits {
  requestsPerWindow: number;
  quotaPerModel: number;
  /** Accepted send times inside the current limit window, oldest first (`head` is the oldest). */
  accepted: number[];
  head: number;
  /** Fixed window: the window the `accepted` entries belong to. */
  fixedWindow: number;
  /** Successful requests per model in the current quota period. */
  used: Map<string, number>;
  period: number;
}

export interface SimulatedUpstreamOptions {
  accounts: readonly SimulatedAccount[];
  parameters: Pick<
    SimulationParameters,
    | 'quotaPeriodMs'
    | 'limitWindowMs'
    | 'windowKind'
    | 'rateLimitHeaders'
    | 'latency'
    | 'rejectLatencyMs'
    | 'serverErrorRate'
    | 'startAt'
  >;
  /** Draws latencies and background server errors. */
  random: Prng;
}

const RATE_LIMIT_MESSAGE = 'Rate limit reached for requests per minute (RPM). Please try again later.';
const QUOTA_MESSAGE = 'You exceeded your current quota, please check your plan and billing details.';
const SERVER_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

type Announcement = UpstreamAnswer['announces'];

/**
 * A provider with a request limit per account and window and a per-model quota per period, which
 * answers like OpenAI: the window limit answers 429 `rate_limit_exceeded` with `Retry-After` (whole
 * seconds until a slot frees); an exhausted quota answers 429 `insufficient_quota` (no Retry-After:
 * OpenAI states none); a small share of accepted requests fails with 500. Refused requests do not
 * count against either limit. `x-ratelimit-{limit,remaining,reset}-requests` describe the model's
 * quota (`rateLimitHeaders: 'quota'`, on every answer but 5xx), or the request window (`'window'`:
 * remaining slots, and the time until the window is fully replenished).
 */
export class SimulatedUpstream {
  private readonly limits = new Map<string, AccountLimits>();
  private readonly parameters: SimulatedUpstreamOptions['parameters'];
  private readonly random: Prng;

  constructor(options: SimulatedUpstreamOptions) {
    this.parameters = options.parameters;
    this.random = options.random;
    for (const entry of options.accounts) {
      this.limits.set(entry.account.id, {
        requestsPerWindow: entry.requestsPerWindow,
        quotaPerModel: entry.quotaPerModel,
        accepted: [],
        head: 0,
        fixedWindow: -1,
        used: new Map(),
        period: 0,
      });
    }
  }

  /**
   * Answers one request arriving at `now` for `accountId` and `model`. The limits are decided at
   * arrival; durations in the answer's headers (`Retry-After`, resets) count from when the answer
   * arrives, `latencyMs` later, as a real upstream's do.
   */
  respond(request: { accountId: string; model: string; now: number }): UpstreamAnswer {
    const limits = this.limits.get(request.accountId);
    if (limits === undefined) throw new Error(`unknown simulated account ${request.accountId}`);
    const { now, model } = request;
    const windowWait = this.windowWait(limits, now);
    const used = this.usedInPeriod(limits, { model, now });
    const rejectedAt = now + this.parameters.rejectLatencyMs;
    if (windowWait > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil((now + windowWait - rejectedAt) / 1000));
      const headers = {
        ...this.limitHeaders(limits, { used, now, answeredAt: rejectedAt }),
        'retry-after': String(retryAfterSeconds),
      };
      const announces = { scope: 'account', until: rejectedAt + retryAfterSeconds * 1000 } as const;
      return this.refusal({ kind: 'minute-limit', headers, code: 'rate_limit_exceeded', announces });
    }
    if (used >= limits.quotaPerModel) {
      const announces = { scope: 'model', until: this.quotaResetAt(limits) } as const;
      const headers = this.limitHeaders(limits, { used, now, answeredAt: rejectedAt });
      return this.refusal({ kind: 'quota', headers, code: 'insufficient_quota', announces });
    }
    limits.accepted.push(now);
    if (this.random.chance(this.parameters.serverErrorRate)) {
      return this.refusal({ kind: 'server-error', headers: {}, code: null, announces: null });
    }
    limits.used.set(model, used + 1);
    const { minimumMs, meanExtraMs } = this.parameters.latency;
    const latencyMs = minimumMs + this.random.exponential(meanExtraMs);
    const quota = { used: used + 1, now, answeredAt: now + latencyMs };
    return {
      status: 200,
      headers: this.limitHeaders(limits, quota),
      body: { object: 'chat.completion' },
      latencyMs,
      refusal: null,
      announces: this.exhaustion(limits, quota),
    };
  }

  /** How long until the account accepts another request (0: now), updating the window. */
  private windowWait(limits: AccountLimits, now: number): number {
    const { limitWindowMs, startAt } = this.parameters;
    if (this.parameters.windowKind === 'fixed') {
      const window = Math.floor((now - startAt) / limitWindowMs);
      if (window !== limits.fixedWindow) {
        limits.fixedWindow = window;
        limits.accepted.length = 0;
        limits.head = 0;
      }
      const count = limits.accepted.length;
      return count < limits.requestsPerWindow ? 0 : startAt + (window + 1) * limitWindowMs - now;
    }
    while (limits.head < limits.accepted.length && limits.accepted[limits.head]! <= now - limitWindowMs) {
      limits.head++;
    }
    if (limits.head > 1024) {
      limits.accepted.splice(0, limits.head);
      limits.head = 0;
    }
    if (limits.accepted.length - limits.head < limits.requestsPerWindow) return 0;
    return limits.accepted[limits.head]! + limitWindowMs - now;
  }

  private usedInPeriod(limits: AccountLimits, request: { model: string; now: number }): number {
    const period = Math.floor((request.now - this.parameters.startAt) / this.parameters.quotaPeriodMs);
    if (period !== limits.period) {
      limits.period = period;
      limits.used.clear();
    }
    return limits.used.get(request.model) ?? 0;
  }

  private quotaResetAt(limits: AccountLimits): number {
    return this.parameters.startAt + (limits.period + 1) * this.parameters.quotaPeriodMs;
  }

  /** Requests still allowed in the window, and when it is fully replenished (epoch ms). */
  private windowState(limits: AccountLimits, now: number): { remaining: number; resetAt: number } {
    const { limitWindowMs, startAt, windowKind } = this.parameters;
    const count = limits.accepted.length - limits.head;
    const newest = limits.accepted[limits.accepted.length - 1];
    const resetAt =
      windowKind === 'fixed'
        ? startAt + (limits.fixedWindow + 1) * limitWindowMs
        : newest === undefined || count === 0
          ? now
          : newest + limitWindowMs;
    return { remaining: Math.max(0, limits.requestsPerWindow - count), resetAt };
  }

  /** What a success's headers say is used up until a reset, in the mode's dimension. */
  private exhaustion(
    limits: AccountLimits,
    quota: { used: number; now: number; answeredAt: number },
  ): Announcement {
    if (this.parameters.rateLimitHeaders === 'window') {
      const window = this.windowState(limits, quota.now);
      return window.remaining === 0 ? { scope: 'account', until: window.resetAt } : null;
    }
    return quota.used >= limits.quotaPerModel ? { scope: 'model', until: this.quotaResetAt(limits) } : null;
  }

  private limitHeaders(
    limits: AccountLimits,
    quota: { used: number; now: number; answeredAt: number },
  ): Record<string, string> {
    const window = this.parameters.rateLimitHeaders === 'window';
    const state = window
      ? this.windowState(limits, quota.now)
      : { remaining: Math.max(0, limits.quotaPerModel - quota.used), resetAt: this.quotaResetAt(limits) };
    return {
      'x-ratelimit-limit-requests': String(window ? limits.requestsPerWindow : limits.quotaPerModel),
      'x-ratelimit-remaining-requests': String(state.remaining),
      'x-ratelimit-reset-requests': goDuration(state.resetAt - quota.answeredAt),
    };
  }

  private refusal(refusal: {
    kind: 'minute-limit' | 'quota' | 'server-error';
    headers: Record<string, string>;
    code: string | null;
    announces: Announcement;
  }): UpstreamAnswer {
    const serverError = refusal.kind === 'server-error';
    const message =
      refusal.kind === 'minute-limit'
        ? RATE_LIMIT_MESSAGE
        : serverError
          ? SERVER_ERROR_MESSAGE
          : QUOTA_MESSAGE;
    const type =
      refusal.kind === 'minute-limit' ? 'requests' : serverError ? 'server_error' : 'insufficient_quota';
    return {
      status: serverError ? 500 : 429,
      headers: { 'content-type': 'application/json', ...refusal.headers },
      body: { error: { message, type, param: null, code: refusal.code } },
      latencyMs: this.parameters.rejectLatencyMs,
      refusal: refusal.kind,
      announces: refusal.announces,
    };
  }
}

/** A duration the way OpenAI writes `x-ratelimit-reset-*`: `1h2m3s`, `6m0s`, `12.5s`. */
export function goDuration(milliseconds: number): string {
  const totalSeconds = Math.max(0, Math.ceil(milliseconds / 100) / 10);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Number((totalSeconds % 60).toFixed(1));
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

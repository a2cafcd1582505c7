import type { Prng } from './prng.js';
import type { SimulatedAccount, SimulationParameters } from './sim-parameters.js';
import { MINUTE_MS } from './sim-parameters.js';

/** One answer of the simulated provider, shaped like OpenAI's. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Virtual time until the answer (or its first byte) arrives, ms. */
  latencyMs: number;
  /** Which limit refused the request, for the metrics. */
  refusal: 'minute-limit' | 'quota' | 'server-error' | null;
}

/** Per-account bookkeeping of the limits. */
interface AccountLimits {
  requestsPerMinute: number;
  quotaPerModel: number;
  /** Accepted send times inside the current minute window, oldest first (`head` is the oldest). */
  accepted: number[];
  head: number;
  /** Fixed window: the minute the `accepted` entries belong to. */
  fixedMinute: number;
  /** Successful requests per model in the current quota period. */
  used: Map<string, number>;
  period: number;
}

export interface SimulatedUpstreamOptions {
  accounts: readonly SimulatedAccount[];
  parameters: Pick<
    SimulationParameters,
    'quotaPeriodMs' | 'minuteWindow' | 'latency' | 'rejectLatencyMs' | 'serverErrorRate' | 'startAt'
  >;
  /** Draws latencies and background server errors. */
  random: Prng;
}

const RATE_LIMIT_MESSAGE = 'Rate limit reached for requests per minute (RPM). Please try again later.';
const QUOTA_MESSAGE = 'You exceeded your current quota, please check your plan and billing details.';
const SERVER_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

/**
 * A provider with a per-minute request limit per account and a per-model quota per period, which
 * answers like OpenAI: successes carry `x-ratelimit-{limit,remaining,reset}-requests` for the
 * model's quota; the minute limit answers 429 `rate_limit_exceeded` with `Retry-After`; an
 * exhausted quota answers 429 `insufficient_quota` (no Retry-After: OpenAI states none); a small
 * share of accepted requests fails with 500. Refused requests do not count against either limit.
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
        requestsPerMinute: entry.requestsPerMinute,
        quotaPerModel: entry.quotaPerModel,
        accepted: [],
        head: 0,
        fixedMinute: -1,
        used: new Map(),
        period: 0,
      });
    }
  }

  /** Answers one request sent at `now` to `accountId` for `model`. */
  respond(request: { accountId: string; model: string; now: number }): UpstreamAnswer {
    const limits = this.limits.get(request.accountId);
    if (limits === undefined) throw new Error(`unknown simulated account ${request.accountId}`);
    const { now, model } = request;
    const minuteWait = this.minuteWait(limits, now);
    const used = this.usedInPeriod(limits, { model, now });
    const quotaHeaders = this.quotaHeaders(limits, { used, now });
    if (minuteWait > 0) {
      const headers = { ...quotaHeaders, 'retry-after': String(Math.ceil(minuteWait / 1000)) };
      return this.refusal({ kind: 'minute-limit', headers, code: 'rate_limit_exceeded' });
    }
    if (used >= limits.quotaPerModel) {
      return this.refusal({ kind: 'quota', headers: quotaHeaders, code: 'insufficient_quota' });
    }
    limits.accepted.push(now);
    if (this.random.chance(this.parameters.serverErrorRate)) {
      return this.refusal({ kind: 'server-error', headers: {}, code: null });
    }
    limits.used.set(model, used + 1);
    const { minimumMs, meanExtraMs } = this.parameters.latency;
    return {
      status: 200,
      headers: this.quotaHeaders(limits, { used: used + 1, now }),
      body: { object: 'chat.completion' },
      latencyMs: minimumMs + this.random.exponential(meanExtraMs),
      refusal: null,
    };
  }

  /** How long until the account accepts another request (0: now), updating the window. */
  private minuteWait(limits: AccountLimits, now: number): number {
    if (this.parameters.minuteWindow === 'fixed') {
      const minute = Math.floor((now - this.parameters.startAt) / MINUTE_MS);
      if (minute !== limits.fixedMinute) {
        limits.fixedMinute = minute;
        limits.accepted.length = 0;
        limits.head = 0;
      }
      const count = limits.accepted.length;
      return count < limits.requestsPerMinute ? 0 : this.parameters.startAt + (minute + 1) * MINUTE_MS - now;
    }
    while (limits.head < limits.accepted.length && limits.accepted[limits.head]! <= now - MINUTE_MS) {
      limits.head++;
    }
    if (limits.head > 1024) {
      limits.accepted.splice(0, limits.head);
      limits.head = 0;
    }
    if (limits.accepted.length - limits.head < limits.requestsPerMinute) return 0;
    return limits.accepted[limits.head]! + MINUTE_MS - now;
  }

  private usedInPeriod(limits: AccountLimits, request: { model: string; now: number }): number {
    const period = Math.floor((request.now - this.parameters.startAt) / this.parameters.quotaPeriodMs);
    if (period !== limits.period) {
      limits.period = period;
      limits.used.clear();
    }
    return limits.used.get(request.model) ?? 0;
  }

  private quotaHeaders(limits: AccountLimits, quota: { used: number; now: number }): Record<string, string> {
    const { quotaPeriodMs, startAt } = this.parameters;
    const resetAt = startAt + (limits.period + 1) * quotaPeriodMs;
    return {
      'x-ratelimit-limit-requests': String(limits.quotaPerModel),
      'x-ratelimit-remaining-requests': String(Math.max(0, limits.quotaPerModel - quota.used)),
      'x-ratelimit-reset-requests': goDuration(resetAt - quota.now),
    };
  }

  private refusal(refusal: {
    kind: 'minute-limit' | 'quota' | 'server-error';
    headers: Record<string, string>;
    code: string | null;
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

import type { KeyLimits } from '../core/client-key.js';
import { dayStart, monthStart, nextDayStart, nextMonthStart } from '../usage/usage-windows.js';
import type { KeyCharge, KeyLimiter, KeyUsageSeed, KeyWindowUsage, LimitRefusal } from './key-limiter.js';
import { SlidingMinute } from './sliding-minute.js';

/** Tokens and cost in one calendar window (a UTC day or month). */
interface CalendarTotal {
  start: number;
  tokens: number;
  cost: number;
}

interface KeyCounters {
  requests: SlidingMinute;
  tokens: SlidingMinute;
  day: CalendarTotal;
  month: CalendarTotal;
}

/**
 * `KeyLimiter` in process memory: per key, the requests and tokens of the last minute (60 one-second
 * slots each) and the tokens and cost of the current UTC day and month. Counters of one instance
 * only; instances sharing a store each enforce the limits on their own traffic.
 */
export class MemoryKeyLimiter implements KeyLimiter {
  private readonly keys = new Map<string, KeyCounters>();

  async admit(key: { id: string; limits: KeyLimits }, now: number): Promise<LimitRefusal | null> {
    return this.admitNow(key, now);
  }

  /** `admit` without a promise. */
  admitNow(key: { id: string; limits: KeyLimits }, now: number): LimitRefusal | null {
    const counters = this.countersOf(key.id, now);
    const refusal = firstRefusal(counters, key.limits, now);
    if (refusal === null) counters.requests.add(1, now);
    return refusal;
  }

  async charge(keyId: string, charge: KeyCharge, now: number): Promise<void> {
    const counters = this.countersOf(keyId, now);
    counters.tokens.add(charge.tokens, now);
    counters.day.tokens += charge.tokens;
    counters.day.cost += charge.cost;
    counters.month.tokens += charge.tokens;
    counters.month.cost += charge.cost;
  }

  async seed(keyId: string, seed: KeyUsageSeed): Promise<void> {
    const counters = this.countersOf(keyId, seed.dayStart);
    counters.day = { start: seed.dayStart, tokens: seed.tokensToday, cost: seed.costToday };
    counters.month = { start: seed.monthStart, tokens: seed.tokensThisMonth, cost: seed.costThisMonth };
  }

  async usage(keyId: string, now: number): Promise<KeyWindowUsage> {
    const counters = this.countersOf(keyId, now);
    return {
      requestsLastMinute: counters.requests.total(now),
      tokensLastMinute: counters.tokens.total(now),
      tokensToday: counters.day.tokens,
      costToday: counters.day.cost,
      tokensThisMonth: counters.month.tokens,
      costThisMonth: counters.month.cost,
    };
  }

  /** The key's counters with the day and month rolled over to those of `now`. */
  private countersOf(keyId: string, now: number): KeyCounters {
    let counters = this.keys.get(keyId);
    if (!counters) {
      counters = {
        requests: new SlidingMinute(),
        tokens: new SlidingMinute(),
        day: { start: dayStart(now), tokens: 0, cost: 0 },
        month: { start: monthStart(now), tokens: 0, cost: 0 },
      };
      this.keys.set(keyId, counters);
    }
    if (counters.day.start !== dayStart(now)) counters.day = { start: dayStart(now), tokens: 0, cost: 0 };
    if (counters.month.start !== monthStart(now))
      counters.month = { start: monthStart(now), tokens: 0, cost: 0 };
    return counters;
  }
}

/** The first limit without room, in the order rpm, tpm, day tokens, day cost, month tokens, month cost. */
function firstRefusal(counters: KeyCounters, limits: KeyLimits, now: number): LimitRefusal | null {
  const { requestsPerMinute: rpm, tokensPerMinute: tpm } = limits;
  if (rpm !== undefined) {
    const used = counters.requests.total(now);
    if (used >= rpm)
      return {
        limit: 'requestsPerMinute',
        allowed: rpm,
        used,
        retryAfterMs: counters.requests.freesInMs(rpm, now),
      };
  }
  if (tpm !== undefined) {
    const used = counters.tokens.total(now);
    if (used >= tpm)
      return {
        limit: 'tokensPerMinute',
        allowed: tpm,
        used,
        retryAfterMs: counters.tokens.freesInMs(tpm, now),
      };
  }
  const untilDayEnds = nextDayStart(now) - now;
  const untilMonthEnds = nextMonthStart(now) - now;
  const budgets = [
    {
      limit: 'tokensPerDay',
      allowed: limits.tokensPerDay,
      used: counters.day.tokens,
      retryAfterMs: untilDayEnds,
    },
    { limit: 'costPerDay', allowed: limits.costPerDay, used: counters.day.cost, retryAfterMs: untilDayEnds },
    {
      limit: 'tokensPerMonth',
      allowed: limits.tokensPerMonth,
      used: counters.month.tokens,
      retryAfterMs: untilMonthEnds,
    },
    {
      limit: 'costPerMonth',
      allowed: limits.costPerMonth,
      used: counters.month.cost,
      retryAfterMs: untilMonthEnds,
    },
  ] as const;
  for (const budget of budgets) {
    if (budget.allowed !== undefined && budget.used >= budget.allowed)
      return { ...budget, allowed: budget.allowed };
  }
  return null;
}

import type { Account, Tier } from '../../src/core/account.js';
import { testAccount } from '../../src/scheduler/test-account.js';

/** What the simulated upstream allows one account of a tier. */
export interface TierLimits {
  /** How many accounts of this tier the pool has. */
  count: number;
  /** Requests accepted per limit window (`limitWindowMs`), over all models (429 with Retry-After beyond). */
  requestsPerWindow: number;
  /** Successful requests per model per quota period (429 `insufficient_quota` beyond). */
  quotaPerModel: number;
}

/** One model of the workload. */
export interface SimulatedModel {
  id: string;
  /** Share of the conversations that use this model, 0..1; the shares add up to 1. */
  share: number;
}

/** Everything that shapes one simulation run except the scheduling policy. */
export interface SimulationParameters {
  seed: number;
  tiers: Record<Tier, TierLimits>;
  models: readonly SimulatedModel[];
  /** Length of the quota "day": every model's quota resets at each multiple of it from the start, ms. */
  quotaPeriodMs: number;
  /** Length of the per-account request-limit window, ms (a minute in the default scenario). */
  limitWindowMs: number;
  /** The request limit as a sliding window, or a fixed window reset at each whole window from the start. */
  windowKind: 'sliding' | 'fixed';
  /**
   * What successes' `x-ratelimit-*-requests` headers describe: the model's quota for the period
   * (the default scenario), or the request-limit window (the per-window scenario; 429s then carry
   * them too, with `remaining: 0`).
   */
  rateLimitHeaders: 'quota' | 'window';
  /** Conversations arrive during this long; the ones still running then are played to the end, ms. */
  durationMs: number;
  turnsPerConversation: number;
  /** Mean think time between a turn's answer and the next turn (exponential), ms. */
  meanThinkMs: number;
  /** A successful answer takes `minimum` plus an exponential part with mean `meanExtra`, ms. */
  latency: { minimumMs: number; meanExtraMs: number };
  /** How long a 429 or a 5xx takes to arrive, ms. */
  rejectLatencyMs: number;
  /** Share of accepted requests that fail with a 500 anyway. */
  serverErrorRate: number;
  /** Capacity divided by offered load: 1.25 means the workload uses 80 % of the capacity. */
  capacityOverLoad: number;
  /** Virtual epoch ms at which the run starts (a quota period boundary). */
  startAt: number;
}

/** The accounts of the pool with the limits the simulated upstream enforces for each. */
export interface SimulatedAccount {
  account: Account;
  requestsPerWindow: number;
  quotaPerModel: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/**
 * The default scenario: 20 OpenAI-compatible accounts (4 ULTRA, 8 PRO, 8 FREE), two models used
 * half and half, a per-model quota that resets every 6 virtual hours (a "day" compressed so that a
 * run covers two resets at an affordable CPU cost; the per-minute dynamics are not compressed), and
 * agent-like conversations of 20 turns with 30 s of think time between turns.
 */
export function defaultParameters(overrides: Partial<SimulationParameters> = {}): SimulationParameters {
  return {
    seed: 20_260_101,
    tiers: {
      ULTRA: { count: 4, requestsPerWindow: 60, quotaPerModel: 1_000 },
      PRO: { count: 8, requestsPerWindow: 30, quotaPerModel: 500 },
      FREE: { count: 8, requestsPerWindow: 12, quotaPerModel: 250 },
    },
    models: [
      { id: 'sim-large', share: 0.5 },
      { id: 'sim-small', share: 0.5 },
    ],
    quotaPeriodMs: 6 * HOUR_MS,
    limitWindowMs: MINUTE_MS,
    windowKind: 'sliding',
    rateLimitHeaders: 'quota',
    durationMs: 12 * HOUR_MS,
    turnsPerConversation: 20,
    meanThinkMs: 30_000,
    latency: { minimumMs: 1_500, meanExtraMs: 4_500 },
    rejectLatencyMs: 200,
    serverErrorRate: 0.005,
    capacityOverLoad: 1.25,
    startAt: Date.UTC(2026, 0, 1),
    ...overrides,
  };
}

const TIER_ORDER: readonly Tier[] = ['ULTRA', 'PRO', 'FREE'];

/** The pool: `ultra-01`…, `pro-01`…, `free-01`…, created in that order, serving every model. */
export function simulatedAccounts(parameters: SimulationParameters): SimulatedAccount[] {
  const accounts: SimulatedAccount[] = [];
  for (const tier of TIER_ORDER) {
    const limits = parameters.tiers[tier];
    for (let index = 1; index <= limits.count; index++) {
      const id = `${tier.toLowerCase()}-${String(index).padStart(2, '0')}`;
      const account = testAccount(id, { tier, createdAt: parameters.startAt + accounts.length });
      accounts.push({
        account,
        requestsPerWindow: limits.requestsPerWindow,
        quotaPerModel: limits.quotaPerModel,
      });
    }
  }
  return accounts;
}

/**
 * The per-window scenario of issue 10: 8 equal accounts that each accept 10 requests per sliding
 * 5 s window and say so in their headers (`x-ratelimit-*-requests` with `remaining` and the time to
 * full replenishment on every answer, `Retry-After` on a 429), no quota limit, one model, and many
 * concurrent agent-like conversations (20 turns, 5 s of think time) at 0.7 × the pool's capacity.
 */
export function perWindowParameters(overrides: Partial<SimulationParameters> = {}): SimulationParameters {
  const none = { count: 0, requestsPerWindow: 1, quotaPerModel: 1 };
  return defaultParameters({
    tiers: {
      ULTRA: none,
      PRO: { count: 8, requestsPerWindow: 10, quotaPerModel: 1_000_000_000 },
      FREE: none,
    },
    models: [{ id: 'sim-model', share: 1 }],
    limitWindowMs: 5_000,
    rateLimitHeaders: 'window',
    durationMs: 15 * MINUTE_MS,
    meanThinkMs: 5_000,
    latency: { minimumMs: 1_500, meanExtraMs: 3_000 },
    capacityOverLoad: 1 / 0.7,
    ...overrides,
  });
}

/** One variant of the per-window scenario: its name in the report and its parameters. */
export interface PerWindowVariant {
  name: string;
  parameters: SimulationParameters;
}

/**
 * The per-window scenario in three shapes: the sliding 5 s window of `perWindowParameters` (a
 * sliding window reports its full replenishment as the reset, so an account that says
 * `remaining: 0` is out for a whole window); the same with a fixed window (the reset is exactly
 * when requests are accepted again); and a sliding 2 s window with fast answers (4 requests per
 * window, answers in 0.1–0.3 s, 2 s of think time: the shape of the HTTP rig test).
 */
export function perWindowVariants(overrides: Partial<SimulationParameters> = {}): PerWindowVariant[] {
  const none = { count: 0, requestsPerWindow: 1, quotaPerModel: 1 };
  return [
    { name: 'sliding 5 s window', parameters: perWindowParameters(overrides) },
    { name: 'fixed 5 s window', parameters: perWindowParameters({ windowKind: 'fixed', ...overrides }) },
    {
      name: 'sliding 2 s window, fast answers',
      parameters: perWindowParameters({
        tiers: {
          ULTRA: none,
          PRO: { count: 8, requestsPerWindow: 4, quotaPerModel: 1_000_000_000 },
          FREE: none,
        },
        limitWindowMs: 2_000,
        latency: { minimumMs: 100, meanExtraMs: 200 },
        meanThinkMs: 2_000,
        ...overrides,
      }),
    },
  ];
}

/** How many requests per minute the pool can serve, and which limit binds. */
export interface Capacity {
  /** The sustainable rate: the lower of the two below. */
  requestsPerMinute: number;
  /** What the per-model quotas allow over a period, at the workload's model mix, per minute. */
  quotaRequestsPerMinute: number;
  /** The sum of the per-account request limits, per minute. */
  windowLimitRequestsPerMinute: number;
}

/**
 * The pool's capacity for the workload's model mix: each model's summed quota divided by its share
 * gives the requests a period can hold; the scarcest model decides.
 */
export function capacityOf(parameters: SimulationParameters): Capacity {
  const accounts = simulatedAccounts(parameters);
  const perModelQuota = accounts.reduce((sum, entry) => sum + entry.quotaPerModel, 0);
  const requestsPerPeriod = Math.min(...parameters.models.map((model) => perModelQuota / model.share));
  const quotaRequestsPerMinute = (requestsPerPeriod * MINUTE_MS) / parameters.quotaPeriodMs;
  const perWindow = accounts.reduce((sum, entry) => sum + entry.requestsPerWindow, 0);
  const windowLimitRequestsPerMinute = (perWindow * MINUTE_MS) / parameters.limitWindowMs;
  return {
    requestsPerMinute: Math.min(quotaRequestsPerMinute, windowLimitRequestsPerMinute),
    quotaRequestsPerMinute,
    windowLimitRequestsPerMinute,
  };
}

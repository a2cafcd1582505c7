import type { Account, Tier } from '../../src/core/account.js';
import { testAccount } from '../../src/scheduler/test-account.js';

/** What the simulated upstream allows one account of a tier. */
export interface TierLimits {
  /** How many accounts of this tier the pool has. */
  count: number;
  /** Requests accepted per minute, over all models (429 with Retry-After beyond). */
  requestsPerMinute: number;
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
  /** Per-minute limit as a sliding 60 s window, or a fixed window reset at each whole minute. */
  minuteWindow: 'sliding' | 'fixed';
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
  requestsPerMinute: number;
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
      ULTRA: { count: 4, requestsPerMinute: 60, quotaPerModel: 1_000 },
      PRO: { count: 8, requestsPerMinute: 30, quotaPerModel: 500 },
      FREE: { count: 8, requestsPerMinute: 12, quotaPerModel: 250 },
    },
    models: [
      { id: 'sim-large', share: 0.5 },
      { id: 'sim-small', share: 0.5 },
    ],
    quotaPeriodMs: 6 * HOUR_MS,
    minuteWindow: 'sliding',
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
        requestsPerMinute: limits.requestsPerMinute,
        quotaPerModel: limits.quotaPerModel,
      });
    }
  }
  return accounts;
}

/** How many requests per minute the pool can serve, and which limit binds. */
export interface Capacity {
  /** The sustainable rate: the lower of the two below. */
  requestsPerMinute: number;
  /** What the per-model quotas allow over a period, at the workload's model mix, per minute. */
  quotaRequestsPerMinute: number;
  /** The sum of the per-minute limits. */
  minuteLimitRequestsPerMinute: number;
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
  const minuteLimitRequestsPerMinute = accounts.reduce((sum, entry) => sum + entry.requestsPerMinute, 0);
  return {
    requestsPerMinute: Math.min(quotaRequestsPerMinute, minuteLimitRequestsPerMinute),
    quotaRequestsPerMinute,
    minuteLimitRequestsPerMinute,
  };
}

/**
 * How one simulated upstream account treats requests: a per-minute request limit over a sliding
 * window, and a failure rate drawn from a seeded generator so a run can be replayed. Pure: the
 * caller passes the time of each request.
 *
 * ```ts
 * const policy = new SimulatedAccountPolicy({ tier: 'FREE', requestsPerMinute: 5, failureRate: 0.1, seed: 7 });
 * policy.decide(clock.now()); // { kind: 'answer', limit: 5, remaining: 4, resetSeconds: 60 }
 * ```
 */
import type { Tier } from '../core/account.js';
import { type RandomSource, seededRandom } from './seeded-random.js';

export interface SimulatedAccountPolicyOptions {
  /** The tier the account is sold as; the simulator reports it, the gateway schedules by it. */
  tier: Tier;
  /** Requests answered per window (at least 1). Refused and failed requests do not count. */
  requestsPerMinute: number;
  /** Share of requests, 0..1, that fail with a 500 or 503 (half each). Default 0. */
  failureRate?: number;
  /** Seed of the failure draws; the same seed and request times give the same decisions. Default 1. */
  seed?: number;
  /** Length of the sliding window, ms. Default 60 000 (one minute). */
  windowMs?: number;
}

/** What the upstream does with one request. */
export type PolicyDecision =
  /** A normal answer; `remaining` and `resetSeconds` are what its rate-limit headers advertise. */
  | { kind: 'answer'; limit: number; remaining: number; resetSeconds: number }
  /** 429: the window is full until `retryAfterSeconds` from now (whole seconds, at least 1). */
  | { kind: 'rate-limited'; limit: number; retryAfterSeconds: number }
  /** A failure of the upstream itself. */
  | { kind: 'server-error'; status: 500 | 503 };

const MINUTE_MS = 60_000;

/** The limits and failures of one simulated account. Each `decide` call is one request. */
export class SimulatedAccountPolicy {
  readonly tier: Tier;
  readonly requestsPerMinute: number;
  readonly failureRate: number;
  private readonly windowMs: number;
  private readonly random: RandomSource;
  /** Times of the answered requests still inside the window, oldest first. */
  private answered: number[] = [];

  constructor(options: SimulatedAccountPolicyOptions) {
    if (!Number.isInteger(options.requestsPerMinute) || options.requestsPerMinute < 1) {
      throw new RangeError('requestsPerMinute must be a whole number of at least 1');
    }
    const failureRate = options.failureRate ?? 0;
    if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError('failureRate must be within 0..1');
    this.tier = options.tier;
    this.requestsPerMinute = options.requestsPerMinute;
    this.failureRate = failureRate;
    this.windowMs = options.windowMs ?? MINUTE_MS;
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Decides one request arriving at `now` (epoch ms) and counts it when it is answered. */
  decide(now: number): PolicyDecision {
    // One draw per request, whatever the outcome, so the failure pattern depends only on the seed
    // and the number of requests.
    const draw = this.random();
    this.answered = this.answered.filter((time) => time > now - this.windowMs);
    const limit = this.requestsPerMinute;
    const oldest = this.answered[0];
    if (oldest !== undefined && this.answered.length >= limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
      return { kind: 'rate-limited', limit, retryAfterSeconds };
    }
    if (draw < this.failureRate) {
      return { kind: 'server-error', status: draw < this.failureRate / 2 ? 500 : 503 };
    }
    this.answered.push(now);
    return {
      kind: 'answer',
      limit,
      remaining: limit - this.answered.length,
      resetSeconds: Math.ceil(this.windowMs / 1000),
    };
  }

  /** Answered requests inside the window ending at `now`. */
  used(now: number): number {
    return this.answered.filter((time) => time > now - this.windowMs).length;
  }

  /** Forgets the answered requests (the window starts empty). */
  reset(): void {
    this.answered = [];
  }
}

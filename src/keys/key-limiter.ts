import type { KeyLimitName, KeyLimits } from '../core/client-key.js';

/** Why a key may not send a request now, and when it may again. */
export interface LimitRefusal {
  limit: KeyLimitName;
  /** The configured limit that was reached. */
  allowed: number;
  /** What the key has used in that window. */
  used: number;
  /** Milliseconds until the window has room again (the answer's `Retry-After`). */
  retryAfterMs: number;
}

/** What a key has used in each of its windows at one instant. Costs are estimated US dollars. */
export interface KeyWindowUsage {
  requestsLastMinute: number;
  tokensLastMinute: number;
  tokensToday: number;
  costToday: number;
  tokensThisMonth: number;
  costThisMonth: number;
}

/** Tokens and estimated cost of one finished request. */
export interface KeyCharge {
  tokens: number;
  cost: number;
}

/** Day and month totals a key had already used before this process started. */
export interface KeyUsageSeed {
  /** Start of the UTC day and month these totals belong to (epoch ms). */
  dayStart: number;
  monthStart: number;
  tokensToday: number;
  costToday: number;
  tokensThisMonth: number;
  costThisMonth: number;
}

/**
 * The counters behind client-key limits. Requests are counted when admitted; tokens and costs are
 * charged once the answer is known (a stream at its end), so requests in flight when a budget is
 * reached may take it past the budget by their own usage, never further.
 *
 * Promise-based so an implementation may keep its counters elsewhere (Redis, shared by several
 * instances); the in-memory one (`MemoryKeyLimiter`) counts per process.
 */
export interface KeyLimiter {
  /**
   * Checks every limit of the key at `now`. When all have room, counts the request (requests per
   * minute) and resolves null; otherwise counts nothing and resolves the first limit reached.
   */
  admit(key: { id: string; limits: KeyLimits }, now: number): Promise<LimitRefusal | null>;
  /** Adds a finished request's tokens and cost to the key's windows. */
  charge(keyId: string, charge: KeyCharge, now: number): Promise<void>;
  /** Starts a key's day and month totals from stored usage (at start-up). */
  seed(keyId: string, seed: KeyUsageSeed): Promise<void>;
  /** The key's usage in each window at `now`. */
  usage(keyId: string, now: number): Promise<KeyWindowUsage>;
}

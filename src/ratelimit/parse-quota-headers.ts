import type { HeaderBag } from '../core/headers.js';
import { type HeaderFamily, readRateLimitDimensions } from './rate-limit-headers.js';
import type { RequestsReading } from './request-budget.js';

/** Remaining quota as read from one response's rate-limit headers. */
export interface HeaderQuota {
  /** Remaining share of the most depleted dimension, 0..1. */
  remainingFraction: number;
  /** When that dimension resets (epoch ms), when stated. */
  resetAt: number | null;
}

/** Every rate-limit header of a family starts with this (lower case). */
const PREFIXES: Record<HeaderFamily, string> = {
  openai: 'x-ratelimit-',
  anthropic: 'anthropic-ratelimit-',
};

/**
 * Whether any header name starts with `prefix`, in any case. One pass over the names, so answers
 * without rate-limit headers skip the per-dimension lookups (each a scan when the header is absent).
 */
function hasHeaderStartingWith(headers: HeaderBag, prefix: string): boolean {
  for (const name in headers) {
    if (name.length > prefix.length && name.toLowerCase().startsWith(prefix)) return true;
  }
  return false;
}

/** What one answer's rate-limit headers said (see `parseRateLimitHeaders`). */
export interface RateLimitHeaderReading {
  /** The most depleted dimension, as a remaining share; null without limit and remaining counts. */
  quota: HeaderQuota | null;
  /** The requests dimension (OpenAI or Anthropic `requests`), for the request budget; null when absent. */
  requests: RequestsReading | null;
}

/**
 * Everything an answer's rate-limit headers say, in one pass over them: the remaining quota (for
 * every dimension with both a limit and a remaining count — OpenAI requests and tokens; Anthropic
 * requests, tokens, input and output tokens — remaining / limit; the lowest fraction wins, with its
 * reset time, the later one when several are equally low) and the requests dimension's counts.
 * Null when the provider sends no such headers (`family` null: its adapter's `rateLimitHeaders`)
 * or they are absent.
 */
export function parseRateLimitHeaders(options: {
  family: HeaderFamily | null;
  headers: HeaderBag;
  now: number;
}): RateLimitHeaderReading | null {
  const { family } = options;
  if (family === null || !hasHeaderStartingWith(options.headers, PREFIXES[family])) return null;
  let lowest: HeaderQuota | null = null;
  let requests: RequestsReading | null = null;
  for (const dimension of readRateLimitDimensions({ family, headers: options.headers, now: options.now })) {
    if (dimension.name === `${family}:requests` && dimension.remaining !== null) {
      requests = { remaining: dimension.remaining, limit: dimension.limit, resetAt: dimension.resetAt };
    }
    if (dimension.limit === null || dimension.remaining === null || dimension.limit <= 0) continue;
    const remainingFraction = Math.min(1, Math.max(0, dimension.remaining / dimension.limit));
    if (lowest === null || remainingFraction < lowest.remainingFraction) {
      lowest = { remainingFraction, resetAt: dimension.resetAt };
    } else if (
      remainingFraction === lowest.remainingFraction &&
      laterReset(dimension.resetAt, lowest.resetAt)
    ) {
      // Two dimensions equally low (typically both at 0): the account is out until the later reset.
      lowest = { remainingFraction, resetAt: dimension.resetAt };
    }
  }
  return lowest === null && requests === null ? null : { quota: lowest, requests };
}

/**
 * The remaining quota an upstream reported in its response headers (the `quota` part of
 * `parseRateLimitHeaders`). Null when the provider sends no such headers or they are absent.
 */
export function parseQuotaHeaders(options: {
  family: HeaderFamily | null;
  headers: HeaderBag;
  now: number;
}): HeaderQuota | null {
  return parseRateLimitHeaders(options)?.quota ?? null;
}

function laterReset(candidate: number | null, current: number | null): boolean {
  return candidate !== null && (current === null || candidate > current);
}

import { type HeaderBag, headerValue } from '../core/headers.js';
import { parseDuration } from './parse-duration.js';

/** One rate-limit dimension an upstream reports on every response (requests, tokens…). */
export interface RateLimitDimension {
  /** e.g. `openai:requests`, `anthropic:input-tokens`. */
  name: string;
  limit: number | null;
  remaining: number | null;
  /** When the dimension is fully replenished (epoch ms), when stated. */
  resetAt: number | null;
}

export type HeaderFamily = 'openai' | 'anthropic';

const OPENAI_DIMENSIONS = ['requests', 'tokens'];
const ANTHROPIC_DIMENSIONS = ['requests', 'tokens', 'input-tokens', 'output-tokens'];

/**
 * The dimensions present in the headers of one family:
 * - OpenAI: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, reset as a duration (`"6m0s"`);
 * - Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
 *   reset as an RFC 3339 timestamp.
 * A dimension with none of its headers is left out.
 */
export function readRateLimitDimensions(options: {
  family: HeaderFamily;
  headers: HeaderBag;
  now: number;
}): RateLimitDimension[] {
  const { family, headers, now } = options;
  const dimensions: RateLimitDimension[] = [];
  for (const dimension of family === 'openai' ? OPENAI_DIMENSIONS : ANTHROPIC_DIMENSIONS) {
    const read = (field: 'limit' | 'remaining' | 'reset') =>
      headerValue(
        headers,
        family === 'openai'
          ? `x-ratelimit-${field}-${dimension}`
          : `anthropic-ratelimit-${dimension}-${field}`,
      );
    const limit = read('limit');
    const remaining = read('remaining');
    const reset = read('reset');
    if (limit === undefined && remaining === undefined && reset === undefined) continue;
    dimensions.push({
      name: `${family}:${dimension}`,
      limit: count(limit),
      remaining: count(remaining),
      resetAt: family === 'openai' ? durationFrom(reset, now) : timestamp(reset),
    });
  }
  return dimensions;
}

function count(value: string | undefined): number | null {
  if (value === undefined || !/^\d+(?:\.\d+)?$/.test(value)) return null;
  return Number(value);
}

function durationFrom(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const milliseconds = parseDuration(value);
  if (milliseconds !== null) return now + milliseconds;
  // parseDuration reads zero as "no delay stated"; here "0s" says the window is replenished now.
  return /^0+(?:\.0+)?(?:ms|s|m|h)?$/.test(value.trim()) ? now : null;
}

function timestamp(value: string | undefined): number | null {
  // RFC 3339 only: Date.parse alone would also take bare numbers as years.
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at;
}

/**
 * How long until the rate limit that refused a request lifts, from the dimension headers of both
 * families: the latest reset among the dimensions with nothing remaining. When no dimension states
 * what remains, the latest stated reset (the upstream gave no better hint). When some do but none is
 * at zero, null: the refusal was not about these dimensions.
 */
export function rateLimitResetDelay(headers: HeaderBag, now: number): number | null {
  const dimensions = [
    ...readRateLimitDimensions({ family: 'openai', headers, now }),
    ...readRateLimitDimensions({ family: 'anthropic', headers, now }),
  ];
  const anyRemainingKnown = dimensions.some((dimension) => dimension.remaining !== null);
  const relevant = anyRemainingKnown
    ? dimensions.filter((dimension) => dimension.remaining === 0)
    : dimensions;
  let latest: number | null = null;
  for (const dimension of relevant) {
    if (dimension.resetAt !== null && (latest === null || dimension.resetAt > latest))
      latest = dimension.resetAt;
  }
  return latest !== null && latest > now ? Math.ceil(latest - now) : null;
}

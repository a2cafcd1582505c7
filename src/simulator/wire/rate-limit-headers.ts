/** Rate-limit response headers as OpenAI and Anthropic send them. Google sends none. */

/** One rate-limit window to advertise on a response. */
export interface RateLimitHeaders {
  remaining: number;
  limit: number;
  /**
   * Seconds until the window resets, rendered per provider (OpenAI `"6m0s"`, Anthropic RFC 3339
   * at now + reset), or a string sent verbatim.
   */
  reset: number | string;
  /** Which window; default `requests`. OpenAI has only `requests` and `tokens`. */
  resource?: 'requests' | 'tokens' | 'input-tokens' | 'output-tokens';
}

function asList(spec: RateLimitHeaders | RateLimitHeaders[] | undefined): RateLimitHeaders[] {
  if (spec === undefined) return [];
  return Array.isArray(spec) ? spec : [spec];
}

/** Seconds as a Go duration string, the format of OpenAI's reset headers: `1.5s`, `6m0s`, `1h2m3s`, `20ms`. */
export function formatGoDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Number((seconds % 60).toFixed(3));
  if (hours > 0) return `${hours}h${minutes}m${rest}s`;
  if (minutes > 0) return `${minutes}m${rest}s`;
  return `${rest}s`;
}

/** Epoch ms as RFC 3339 without fractional seconds, the format of Anthropic's reset headers. */
export function formatRfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `x-ratelimit-{limit,remaining,reset}-{requests|tokens}`. */
export function openaiRateLimitHeaders(
  spec: RateLimitHeaders | RateLimitHeaders[] | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const window of asList(spec)) {
    const resource = window.resource === undefined || window.resource === 'requests' ? 'requests' : 'tokens';
    headers[`x-ratelimit-limit-${resource}`] = String(window.limit);
    headers[`x-ratelimit-remaining-${resource}`] = String(window.remaining);
    headers[`x-ratelimit-reset-${resource}`] =
      typeof window.reset === 'string' ? window.reset : formatGoDuration(window.reset);
  }
  return headers;
}

/** `anthropic-ratelimit-{requests|tokens|input-tokens|output-tokens}-{limit,remaining,reset}`. */
export function anthropicRateLimitHeaders(
  spec: RateLimitHeaders | RateLimitHeaders[] | undefined,
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const window of asList(spec)) {
    const prefix = `anthropic-ratelimit-${window.resource ?? 'requests'}`;
    headers[`${prefix}-limit`] = String(window.limit);
    headers[`${prefix}-remaining`] = String(window.remaining);
    // RFC 3339 here has whole seconds: round the reset up, so it never promises requests too early.
    headers[`${prefix}-reset`] =
      typeof window.reset === 'string'
        ? window.reset
        : formatRfc3339(Math.ceil((now + window.reset * 1000) / 1000) * 1000);
  }
  return headers;
}

/** What a 429 carries besides its body: `Retry-After`, `retry-after-ms`, Anthropic's headers on request. */
export function retryHeaders(
  options: { retryAfter?: string; retryAfterMs?: number; anthropic?: true },
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.retryAfter !== undefined) headers['retry-after'] = options.retryAfter;
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
  if (options.anthropic) {
    const seconds = Number(options.retryAfter);
    const reset = options.retryAfter !== undefined && Number.isFinite(seconds) ? seconds : 60;
    Object.assign(headers, anthropicRateLimitHeaders({ remaining: 0, limit: 50, reset }, now));
  }
  return headers;
}

import { type HeaderBag, headerValue } from '../core/headers.js';
import { ceilMilliseconds } from './parse-duration.js';

/**
 * The delay in ms a `Retry-After` header asks for: delta-seconds (`"30"`, `"1.5"`) or an HTTP-date
 * measured from `now`. Returns null for a missing, unparsable, zero or past value (no usable hint).
 */
export function parseRetryAfterHeader(value: string | string[] | undefined, now: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return positiveCeil(Number(trimmed) * 1000);
  // Date.parse also accepts bare numbers as years; only try it on text that looks like a date.
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : positiveCeil(at - now);
}

/**
 * The delay in ms from the response's retry headers: `retry-after-ms` (milliseconds, sent by OpenAI
 * and honoured by its SDKs) first, then `Retry-After`. Null when neither gives a usable value.
 */
export function retryDelayFromHeaders(headers: HeaderBag, now: number): number | null {
  const milliseconds = headerValue(headers, 'retry-after-ms');
  if (milliseconds !== undefined && /^\d+(?:\.\d+)?$/.test(milliseconds)) {
    const delay = positiveCeil(Number(milliseconds));
    if (delay !== null) return delay;
  }
  return parseRetryAfterHeader(headerValue(headers, 'retry-after'), now);
}

function positiveCeil(milliseconds: number): number | null {
  return Number.isFinite(milliseconds) && milliseconds > 0 ? ceilMilliseconds(milliseconds) : null;
}

import { isJsonObject } from '../core/json.js';
import { ceilMilliseconds, type DurationObject, parseDuration } from './parse-duration.js';
import type { ErrorBody } from './read-error-body.js';

const DURATION = String.raw`((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)`;

// Delays written into error messages, as upstreams phrase them:
// OpenAI "Please try again in 1.2s" / "in 6m0s"; Gemini API "Please retry in 43.07s";
// Code Assist "Your quota will reset after 2h36m5s" / "Resets in 9h22m20s"; text bodies quoting
// the metadata, `quotaResetDelay: "3600s"`.
const MESSAGE_DURATIONS = [
  new RegExp(`quotaResetDelay["':= ]+${DURATION}`, 'i'),
  new RegExp(`try again in ${DURATION}`, 'i'),
  new RegExp(`retry in ${DURATION}`, 'i'),
  new RegExp(`resets? (?:after|in) ${DURATION}`, 'i'),
];

// The same in words: "retry after 30 seconds", "try again in 20 seconds", "wait 5 seconds".
const MESSAGE_SECONDS =
  /(?:retry after|try again in|wait|reset in|reset after) (\d+(?:\.\d+)?) ?sec(?:ond)?s?\b/i;

/**
 * The delay an error body states, in ms: Google `RetryInfo.retryDelay`, then
 * `ErrorInfo.metadata.quotaResetDelay` (strings like `"1.5s"` or `{seconds, nanos}`), then a numeric
 * `error.retry_after` (seconds), then a delay written in the message. Null when none is found.
 */
export function bodyRetryDelay(body: ErrorBody): number | null {
  for (const detail of body.details) {
    const delay = durationValue(detail['retryDelay']);
    if (delay !== null) return delay;
  }
  for (const detail of body.details) {
    const metadata = detail['metadata'];
    if (!isJsonObject(metadata)) continue;
    const delay = durationValue(metadata['quotaResetDelay']);
    if (delay !== null) return delay;
  }
  const retryAfter = body.error?.['retry_after'];
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0) {
    return ceilMilliseconds(retryAfter * 1000);
  }
  return body.message === null ? null : messageDelay(body.message);
}

function durationValue(value: unknown): number | null {
  if (typeof value === 'string') return parseDuration(value);
  if (isJsonObject(value)) return parseDuration(value as DurationObject);
  return null;
}

function messageDelay(message: string): number | null {
  for (const pattern of MESSAGE_DURATIONS) {
    const match = pattern.exec(message);
    const delay = match?.[1] === undefined ? null : parseDuration(match[1]);
    if (delay !== null) return delay;
  }
  const seconds = MESSAGE_SECONDS.exec(message)?.[1];
  if (seconds === undefined) return null;
  const delay = Number(seconds) * 1000;
  return delay > 0 ? ceilMilliseconds(delay) : null;
}

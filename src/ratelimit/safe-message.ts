import { scrubSecrets } from '../core/scrub-secrets.js';

const MAX_LENGTH = 200;

/**
 * A short, single-line description of an upstream failure that is safe to log and show: the HTTP
 * status and the upstream's message with anything that looks like a key or token replaced by
 * `[redacted]` (`scrubSecrets`), cut to 200 characters.
 */
export function safeMessage(status: number, upstreamMessage: string | null): string {
  const prefix = status > 0 ? `upstream ${status}` : 'no upstream response';
  if (upstreamMessage === null) return prefix;
  const message = scrubSecrets(upstreamMessage.replace(/\s+/g, ' ').trim());
  if (message === '') return prefix;
  const full = `${prefix}: ${message}`;
  return full.length <= MAX_LENGTH ? full : `${full.slice(0, MAX_LENGTH - 1)}…`;
}

const MAX_LENGTH = 200;

// Upstreams echo credentials back in some errors (OpenAI: "Incorrect API key provided: sk-…").
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_*-]{6,}/g,
  /\bAIza[0-9A-Za-z_-]{10,}/g,
  /\bya29\.[0-9A-Za-z_.-]+/g,
  /\b1\/\/[0-9A-Za-z_-]{10,}/g,
  /\bBearer\s+[^\s"']+/gi,
];

/**
 * A short, single-line description of an upstream failure that is safe to log and show: the HTTP
 * status and the upstream's message with anything that looks like a key or token replaced by
 * `[redacted]`, cut to 200 characters.
 */
export function safeMessage(status: number, upstreamMessage: string | null): string {
  const prefix = status > 0 ? `upstream ${status}` : 'no upstream response';
  if (upstreamMessage === null) return prefix;
  let message = upstreamMessage.replace(/\s+/g, ' ').trim();
  for (const pattern of SECRET_PATTERNS) message = message.replace(pattern, '[redacted]');
  if (message === '') return prefix;
  const full = `${prefix}: ${message}`;
  return full.length <= MAX_LENGTH ? full : `${full.slice(0, MAX_LENGTH - 1)}…`;
}

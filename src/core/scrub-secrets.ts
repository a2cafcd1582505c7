/** What a secret is replaced with wherever text could carry one to a client, a log or the request log. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for verbatim: they would match ordinary words. */
const MIN_KNOWN_SECRET_LENGTH = 8;

/**
 * Shapes of credentials that upstreams echo back in errors (OpenAI: "Incorrect API key provided:
 * sk-…") or that users paste into prompts. No pattern can match `"` or `\`, so scrubbing the text
 * of a JSON document keeps it valid JSON.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  // OpenAI `sk-…`, `sk-proj-…`, Anthropic `sk-ant-…`, and Switchyard's own proxy keys.
  /\bsk-[A-Za-z0-9_*-]{6,}/g,
  // Google API keys.
  /\bAIza[0-9A-Za-z_-]{10,}/g,
  // Google OAuth access tokens, refresh tokens and client secrets.
  /\bya29\.[0-9A-Za-z_.-]+/g,
  /\b1\/\/[0-9A-Za-z_-]{10,}/g,
  /\bGOCSPX-[0-9A-Za-z_-]{6,}/g,
  // Groq and xAI keys.
  /\bgsk_[0-9A-Za-z]{10,}/g,
  /\bxai-[0-9A-Za-z]{10,}/g,
  // Any bearer token, and a Gemini `?key=` in an echoed URL.
  /\bBearer\s+[^\s"'\\]+/gi,
  /([?&]key=)[^&\s"'\\]+/g,
];

/**
 * `text` with every credential replaced by `[redacted]`: each of `known` (the account's own key or
 * tokens) verbatim, also in its JSON-escaped form, and anything shaped like a common API key or
 * bearer token.
 */
export function scrubSecrets(text: string, known: readonly string[] = []): string {
  let result = text;
  for (const secret of known) {
    if (secret.length < MIN_KNOWN_SECRET_LENGTH) continue;
    result = result.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) result = result.split(escaped).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, (match, prefix: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return result;
}

type Container = Record<string, unknown> | unknown[];

/**
 * A parsed JSON value (or raw text) with `scrubSecrets` applied to every string in it; the input
 * is not changed. Walks with an explicit stack, so no nesting depth can overflow it.
 */
export function scrubJsonValue(value: unknown, known: readonly string[] = []): unknown {
  if (typeof value === 'string') return scrubSecrets(value, known);
  if (typeof value !== 'object' || value === null) return value;
  const root = copyOf(value as Container);
  const pending: Container[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'string') define(node, key, scrubSecrets(child, known));
      else if (typeof child === 'object' && child !== null) {
        const copy = copyOf(child as Container);
        define(node, key, copy);
        pending.push(copy);
      }
    }
  }
  return root;
}

function copyOf(container: Container): Container {
  return Array.isArray(container) ? [...container] : { ...container };
}

// Plain assignment of a `__proto__` key would change the prototype instead of the value.
function define(container: Container, key: string, value: unknown): void {
  Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

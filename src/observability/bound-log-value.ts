/** Longest string kept in a log line's fields; longer ones are cut, saying how much was cut. */
export const MAX_LOG_STRING = 2000;
/** Most items of an array kept in a log line's fields. */
export const MAX_LOG_ITEMS = 20;
/** Nesting below this depth is summarized instead of logged. */
const MAX_LOG_DEPTH = 6;

/** `text` cut to `max` characters, ending with how many were left out. */
export function truncateForLog(text: string, max = MAX_LOG_STRING): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A log line's fields with every large value bounded: strings cut to `MAX_LOG_STRING`, arrays to
 * `MAX_LOG_ITEMS` (plus a count of the rest), nesting to a few levels. Values that are already
 * small come back as the same objects; other objects (errors, buffers) are left to the logger's
 * serializers. Keeps one request's client text from filling the log.
 */
export function boundLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return truncateForLog(value);
  if (Array.isArray(value)) {
    if (depth >= MAX_LOG_DEPTH) return `[array of ${value.length}]`;
    const kept = value.slice(0, MAX_LOG_ITEMS).map((item) => boundLogValue(item, depth + 1));
    if (value.length > MAX_LOG_ITEMS) kept.push(`… ${value.length - MAX_LOG_ITEMS} more items`);
    const changed = kept.length !== value.length || kept.some((item, index) => item !== value[index]);
    return changed ? kept : value;
  }
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_LOG_DEPTH) return '[object]';
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const bounded = boundLogValue(item, depth + 1);
    if (bounded === item) continue;
    copy ??= { ...value };
    copy[key] = bounded;
  }
  return copy ?? value;
}

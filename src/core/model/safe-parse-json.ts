import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';

/** Parses JSON text; `undefined` when it is not valid JSON (never throws). */
export function safeParseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * Parses text that may hold a JSON object; `undefined` for anything else. Text that does not start
 * with `{` is not tried at all: a failed parse throws, and throwing costs far more than the parse —
 * a request with many plain-text tool results would pay it for each one.
 */
export function safeParseJsonObject(text: string): JsonObject | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  const parsed = safeParseJson(text);
  return isJsonObject(parsed) ? parsed : undefined;
}

import type { JsonValue } from '../json.js';

/** Parses JSON text; `undefined` when it is not valid JSON (never throws). */
export function safeParseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

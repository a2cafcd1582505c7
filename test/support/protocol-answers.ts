/**
 * What a well-formed answer of each client protocol looks like, for tests that throw many odd
 * requests (fuzz, faults under load) at the gateway and must judge every answer without knowing
 * in advance whether it should succeed.
 *
 * Each check returns null when the answer is well-formed, or a sentence naming what is wrong, so a
 * caller can collect problems or assert `toBeNull()` with the reason in the failure message.
 */
import { isJsonObject } from '../../src/core/json.js';
import { parseSse } from './parse-sse.js';

/** The error shape a route speaks (`src/server/error-response.ts`). */
export type ErrorDialect = 'openai' | 'anthropic' | 'gemini' | 'admin';

/** The stream format of a route. */
export type StreamFormat = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini';

const nonEmpty = (value: unknown) => typeof value === 'string' && value.trim().length > 0;

/**
 * Null when `body` is an error object of `dialect`: OpenAI `{error: {message, type}}`, Anthropic
 * `{type: 'error', error: {type, message}}`, Gemini `{error: {code, message, status}}`, admin
 * `{error: {code, message}}`.
 */
export function errorShapeProblem(dialect: ErrorDialect, body: unknown): string | null {
  const error = isJsonObject(body) ? body['error'] : undefined;
  if (!isJsonObject(error)) return `not a ${dialect} error: no "error" object`;
  if (!nonEmpty(error['message'])) return `${dialect} error without a message`;
  switch (dialect) {
    case 'openai':
      return nonEmpty(error['type']) ? null : 'OpenAI error without a type';
    case 'anthropic':
      return isJsonObject(body) && body['type'] === 'error' && nonEmpty(error['type'])
        ? null
        : 'Anthropic error without type "error" and an error type';
    case 'gemini':
      return typeof error['code'] === 'number' && nonEmpty(error['status'])
        ? null
        : 'Gemini error without a numeric code and a status';
    case 'admin':
      return nonEmpty(error['code']) ? null : 'admin error without a code';
  }
}

/** The error shape of the stream's own error event, if `data` is one. */
function isErrorEvent(format: StreamFormat, data: unknown): boolean {
  if (!isJsonObject(data)) return false;
  if (format === 'anthropic') return errorShapeProblem('anthropic', data) === null;
  if (format === 'gemini') return errorShapeProblem('gemini', data) === null;
  if (format === 'openai-responses' && (data['type'] === 'error' || data['type'] === 'response.failed'))
    return true;
  return errorShapeProblem('openai', data) === null;
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

const RESPONSES_TERMINALS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Whether the last event is the protocol's normal end. */
function isTerminalEvent(format: StreamFormat, event: { event?: string | undefined; data: string }) {
  const data = parseData(event.data);
  switch (format) {
    case 'openai-chat':
      return event.data === '[DONE]';
    case 'openai-responses':
      return isJsonObject(data) && RESPONSES_TERMINALS.has(String(data['type']));
    case 'anthropic':
      return event.event === 'message_stop' || (isJsonObject(data) && data['type'] === 'message_stop');
    case 'gemini': {
      const candidates = isJsonObject(data) ? data['candidates'] : undefined;
      return (
        Array.isArray(candidates) &&
        candidates.some((candidate) => isJsonObject(candidate) && nonEmpty(candidate['finishReason']))
      );
    }
  }
}

/**
 * Null when an SSE body ends the way its protocol ends a stream: OpenAI Chat `[DONE]`, Responses a
 * terminal `response.*` event, Anthropic `message_stop`, Gemini a chunk with `finishReason` — or
 * with a protocol-shaped error event.
 */
export function streamEndProblem(format: StreamFormat, text: string): string | null {
  const events = parseSse(text);
  const last = events.at(-1);
  if (!last) return `${format} stream without any event`;
  if (isTerminalEvent(format, last)) return null;
  if (isErrorEvent(format, parseData(last.data))) return null;
  return `${format} stream ends without its terminal event or an error event (last: ${last.data.slice(0, 200)})`;
}

/**
 * A line of a JavaScript stack trace (`    at fn (file:line:col)`), also inside a JSON string where
 * the line break is the two characters `\n`, or an internal module path.
 */
const STACK_TRACE = /(?:^|\n|\\n)\s*at \S[^\n]*?:\d+:\d+|node:internal\//m;

/** Null when `text` shows no stack trace. */
export function stackTraceProblem(text: string): string | null {
  const found = STACK_TRACE.exec(text);
  return found ? `a stack trace in the answer: ${found[0].trim().slice(0, 200)}` : null;
}

/** Null when none of `secrets` appears in `text`; else names which one (by its label, not its value). */
export function secretProblem(text: string, secrets: Readonly<Record<string, string>>): string | null {
  for (const [label, secret] of Object.entries(secrets)) {
    if (secret.length > 0 && text.includes(secret)) return `the ${label} appears in the answer`;
  }
  return null;
}

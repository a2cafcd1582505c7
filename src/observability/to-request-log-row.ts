import { scrubSecrets } from '../core/scrub-secrets.js';
import type { PostedRequestLogValues } from '../store/request-log-columns.js';
import type { RequestLogRow } from '../store/request-log-store.js';
import type { RequestLogEntry } from './request-log-entry.js';

/** What happens to request and response bodies when an entry becomes a stored row. */
export interface BodyPolicy {
  /** Keep bodies at all (`proxy.logging.debug_bodies`). */
  keepBodies: boolean;
  /** Kept bodies are cut to this many characters (`proxy.logging.max_body_chars`). */
  maxBodyChars: number;
}

/** The stored form of an entry: usage split into token columns, bodies kept or dropped per `bodies`. */
export function toRequestLogRow(entry: RequestLogEntry, bodies: BodyPolicy): RequestLogRow {
  return {
    id: entry.id,
    time: entry.time,
    protocol: entry.protocol,
    method: entry.method,
    path: entry.path,
    clientModel: entry.clientModel,
    mappedModel: entry.mappedModel,
    modelsTried: [...entry.modelsTried],
    localReply: entry.localReply,
    accountId: entry.accountId,
    accountEmail: entry.accountEmail,
    sessionId: entry.sessionId,
    status: entry.status,
    attempts: entry.attempts,
    accountsTried: [...entry.accountsTried],
    latencyMs: entry.latencyMs,
    ttfbMs: entry.ttfbMs,
    inputTokens: entry.usage?.inputTokens ?? null,
    outputTokens: entry.usage?.outputTokens ?? null,
    cacheReadTokens: entry.usage?.cacheReadTokens ?? null,
    cacheWriteTokens: entry.usage?.cacheWriteTokens ?? null,
    reasoningTokens: entry.usage?.reasoningTokens ?? null,
    clientKeyId: entry.clientKeyId,
    error: entry.error,
    requestBody: bodies.keepBodies ? keptBody(entry.requestBody, bodies.maxBodyChars) : null,
    responseBody: bodies.keepBodies ? keptBody(entry.responseBody, bodies.maxBodyChars) : null,
  };
}

/**
 * `toRequestLogRow` as column values (`REQUEST_LOG_COLUMNS` order), built straight from the entry,
 * the two lists as the entry's own arrays (a finished entry is not changed any more): what the
 * request log writer queues and posts to its worker.
 */
export function toRequestLogValues(entry: RequestLogEntry, bodies: BodyPolicy): PostedRequestLogValues {
  const { usage } = entry;
  return [
    entry.id,
    entry.time,
    entry.protocol,
    entry.method,
    entry.path,
    entry.clientModel,
    entry.mappedModel,
    entry.accountId,
    entry.accountEmail,
    entry.sessionId,
    entry.status,
    entry.attempts,
    entry.accountsTried,
    entry.modelsTried,
    entry.localReply,
    entry.latencyMs,
    entry.ttfbMs,
    usage?.inputTokens ?? null,
    usage?.outputTokens ?? null,
    usage?.cacheReadTokens ?? null,
    usage?.cacheWriteTokens ?? null,
    usage?.reasoningTokens ?? null,
    entry.clientKeyId,
    entry.error,
    bodies.keepBodies ? keptBody(entry.requestBody, bodies.maxBodyChars) : null,
    bodies.keepBodies ? keptBody(entry.responseBody, bodies.maxBodyChars) : null,
  ];
}

/** Room past the cut in which a key is still recognised whole, so no half of one is kept. */
const SCRUB_MARGIN = 512;

/** A body as stored: anything shaped like a key or token redacted (`scrubSecrets`), then cut. */
function keptBody(text: string | undefined, maxChars: number): string | null {
  const cut = truncate(text, maxChars + SCRUB_MARGIN);
  return cut === null ? null : truncate(scrubSecrets(cut), maxChars);
}

/** `text` cut to `maxChars` UTF-16 units, never splitting a surrogate pair; null when absent. */
export function truncate(text: string | undefined, maxChars: number): string | null {
  if (text === undefined) return null;
  if (text.length <= maxChars) return text;
  const limit = Math.max(0, maxChars);
  const lastCode = text.charCodeAt(limit - 1);
  // A high surrogate at the cut would leave half a character behind.
  const end = lastCode >= 0xd800 && lastCode <= 0xdbff ? limit - 1 : limit;
  return text.slice(0, end);
}

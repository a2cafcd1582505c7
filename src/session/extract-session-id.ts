import { hash } from 'node:crypto';
import { type HeaderBag, headerValue } from '../core/headers.js';
import { isJsonObject } from '../core/json.js';

/**
 * How one client protocol's bodies identify a conversation (rules 4 and 5 of `extractSessionId`);
 * each protocol's descriptor carries its rule.
 */
export interface SessionRule {
  /** The user messages' texts, in order; never throws, whatever the body holds. */
  userTexts(body: Record<string, unknown>): Iterable<string>;
  /** Whether a trimmed user text identifies the conversation. */
  qualifies(trimmedText: string): boolean;
  /** An id the body names itself, consulted after `prompt_cache_key` (Anthropic `metadata.user_id`). */
  bodySessionId?(body: Record<string, unknown>): string | null;
}

export interface SessionInput {
  /** The rule of the protocol the request arrived in. */
  rule: SessionRule;
  /** Request headers; names in any case. */
  headers: HeaderBag;
  /** The decoded JSON body, of any shape (malformed bodies are tolerated). */
  body: unknown;
}

/**
 * The session id that keeps one conversation on one account (DESIGN §2). First hit wins:
 * 1. header `x-claude-code-session-id` (Claude Code);
 * 2. header `session-id` (Codex CLI);
 * 3. body `prompt_cache_key` (non-empty string; Codex and other OpenAI clients);
 * 4. the id the body names itself, when the protocol's rule reads one (`SessionRule.bodySessionId`;
 *    Anthropic: `metadata.user_id`, see `anthropicSessionRule`);
 * 5. `sid-` + the first 16 hex chars of the SHA-256 of the trimmed text of the first qualifying
 *    user message (the protocol's `SessionRule.userTexts` and `qualifies`).
 * Ids from 1–4 are returned raw, without a prefix marking their source. A client-chosen id could in
 * theory equal another client's id or a `sid-…` hash; that only shares an account binding, which is
 * harmless, and keeping them raw makes them recognisable in logs.
 * Returns null when nothing qualifies (never a hash of the whole body: that would create one
 * binding per request). Never throws, whatever the body holds.
 */
export function extractSessionId(input: SessionInput): string | null {
  const fromHeader = sessionHeader(input.headers);
  if (fromHeader !== undefined) return fromHeader;
  const body = input.body;
  if (!isJsonObject(body)) return null;
  const promptCacheKey = nonEmptyString(body['prompt_cache_key']);
  if (promptCacheKey !== null) return promptCacheKey;
  const bodyId = input.rule.bodySessionId?.(body) ?? null;
  if (bodyId !== null) return bodyId;
  for (const text of input.rule.userTexts(body)) {
    const trimmed = text.trim();
    if (input.rule.qualifies(trimmed)) return `sid-${hash('sha256', trimmed, 'hex').slice(0, 16)}`;
  }
  return null;
}

const CLAUDE_CODE_SESSION_HEADER = 'x-claude-code-session-id';
const CODEX_SESSION_HEADER = 'session-id';

/**
 * Rules 1 and 2. Most requests carry neither header, and a case-insensitive lookup of an absent
 * header scans every name: one pass over the names first decides whether to look at all.
 */
function sessionHeader(headers: HeaderBag): string | undefined {
  let present = false;
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (lower === CLAUDE_CODE_SESSION_HEADER || lower === CODEX_SESSION_HEADER) {
      present = true;
      break;
    }
  }
  if (!present) return undefined;
  return headerValue(headers, CLAUDE_CODE_SESSION_HEADER) ?? headerValue(headers, CODEX_SESSION_HEADER);
}

/** `value` when it is a string with more than white space, else null. */
export function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

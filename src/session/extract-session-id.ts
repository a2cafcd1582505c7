import { hash } from 'node:crypto';
import { type HeaderBag, headerValue } from '../core/headers.js';
import { isJsonObject } from '../core/json.js';
import {
  anthropicUserTexts,
  geminiUserTexts,
  openaiChatUserTexts,
  openaiResponsesUserTexts,
} from './user-message-texts.js';

/** The client-facing wire protocol a request arrived in. */
export type SessionProtocol = 'anthropic' | 'openai-chat' | 'openai-responses' | 'gemini';

export interface SessionInput {
  protocol: SessionProtocol;
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
 * 4. Anthropic only: body `metadata.user_id` when non-empty and not containing `session-`
 *    (Claude Code sends a JSON string holding device_id and session_id; it is used raw);
 * 5. `sid-` + the first 16 hex chars of the SHA-256 of the trimmed text of the first qualifying
 *    user message (rules per protocol in {@link FINGERPRINTS}).
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
  if (input.protocol === 'anthropic') {
    const userId = anthropicUserId(body);
    if (userId !== null) return userId;
  }
  const fingerprint = FINGERPRINTS[input.protocol];
  for (const text of fingerprint.userTexts(body)) {
    const trimmed = text.trim();
    if (fingerprint.qualifies(trimmed)) return `sid-${hash('sha256', trimmed, 'hex').slice(0, 16)}`;
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

interface Fingerprint {
  /** The user messages' texts, in order. */
  userTexts(body: Record<string, unknown>): Iterable<string>;
  /** Whether a trimmed user text identifies the conversation. */
  qualifies(trimmedText: string): boolean;
}

const SYSTEM_REMINDER = '<system-reminder>';

// Claude Code injects `<system-reminder>` blocks and `[System …]` notes into user turns; they repeat
// across conversations, so hashing them would put unrelated conversations on one account.
const FINGERPRINTS: Record<SessionProtocol, Fingerprint> = {
  anthropic: {
    userTexts: anthropicUserTexts,
    qualifies: (text) =>
      characterCount(text, 3) >= 3 && !text.includes(SYSTEM_REMINDER) && !text.includes('[System'),
  },
  'openai-chat': { userTexts: openaiChatUserTexts, qualifies: longerThanTenWithoutReminder },
  'openai-responses': { userTexts: openaiResponsesUserTexts, qualifies: longerThanTenWithoutReminder },
  gemini: { userTexts: geminiUserTexts, qualifies: longerThanTenWithoutReminder },
};

function longerThanTenWithoutReminder(text: string): boolean {
  return characterCount(text, 11) > 10 && !text.includes(SYSTEM_REMINDER);
}

/** Length in Unicode code points, so an emoji or a CJK character counts as one character. */
/** The number of characters (code points) of `text`, counted no further than `limit`. */
function characterCount(text: string, limit: number): number {
  let count = 0;
  for (const _ of text) if (++count >= limit) break;
  return count;
}

function anthropicUserId(body: Record<string, unknown>): string | null {
  const metadata = body['metadata'];
  if (!isJsonObject(metadata)) return null;
  const userId = nonEmptyString(metadata['user_id']);
  return userId !== null && !userId.includes('session-') ? userId : null;
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

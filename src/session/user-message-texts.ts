import { isJsonObject } from '../core/json.js';

/**
 * The text of each user message of a request body, in order, per client protocol. Only text counts
 * (images, tool results and other blocks are ignored); a message's text parts are joined by one
 * space. Anything of the wrong type is skipped, never thrown on.
 */

/** Anthropic Messages: `messages[]` with `role: "user"`, string content or `text` blocks. */
export function* anthropicUserTexts(body: Record<string, unknown>): Generator<string> {
  for (const message of arrayField(body, 'messages')) {
    if (!isJsonObject(message) || message['role'] !== 'user') continue;
    const text = contentText(message['content'], TEXT_BLOCK);
    if (text !== null) yield text;
  }
}

/** OpenAI Chat Completions: `messages[]` with `role: "user"`, string content or text parts. */
export function* openaiChatUserTexts(body: Record<string, unknown>): Generator<string> {
  for (const message of arrayField(body, 'messages')) {
    if (!isJsonObject(message) || message['role'] !== 'user') continue;
    const text = contentText(message['content'], CHAT_TEXT_PARTS);
    if (text !== null) yield text;
  }
}

/**
 * OpenAI Responses: `input` as a plain string (one user message), or input items with
 * `role: "user"` whose content is a string or `input_text` parts.
 */
export function* openaiResponsesUserTexts(body: Record<string, unknown>): Generator<string> {
  const input = body['input'];
  if (typeof input === 'string') {
    yield input;
    return;
  }
  if (!Array.isArray(input)) return;
  for (const item of input) {
    if (!isJsonObject(item) || item['role'] !== 'user') continue;
    const text = contentText(item['content'], RESPONSES_TEXT_PARTS);
    if (text !== null) yield text;
  }
}

/**
 * Gemini: `contents[]` with `role: "user"`, the `text` of its parts joined by one space. A content
 * without a role counts as the user's: the Gemini API itself treats a missing role that way, and
 * single-turn requests usually leave it out.
 */
export function* geminiUserTexts(body: Record<string, unknown>): Generator<string> {
  for (const content of arrayField(body, 'contents')) {
    if (!isJsonObject(content)) continue;
    const role = content['role'];
    if (role !== 'user' && role !== undefined) continue;
    const texts: string[] = [];
    for (const part of arrayField(content, 'parts')) {
      if (isJsonObject(part) && typeof part['text'] === 'string') texts.push(part['text']);
    }
    if (texts.length > 0) yield texts.join(' ');
  }
}

const TEXT_BLOCK = new Set(['text']);
const CHAT_TEXT_PARTS = new Set(['text', 'input_text']);
const RESPONSES_TEXT_PARTS = new Set(['input_text']);

/** String content as is, or the `text` of the parts whose `type` is accepted, joined by one space. */
function contentText(content: unknown, acceptedTypes: ReadonlySet<string>): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const part of content) {
    if (!isJsonObject(part) || typeof part['type'] !== 'string' || !acceptedTypes.has(part['type'])) continue;
    if (typeof part['text'] === 'string') texts.push(part['text']);
  }
  return texts.length > 0 ? texts.join(' ') : null;
}

function arrayField(object: Record<string, unknown>, key: string): readonly unknown[] {
  const value = object[key];
  return Array.isArray(value) ? value : [];
}

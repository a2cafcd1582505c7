import { isJsonObject } from '../core/json.js';
import { nonEmptyString, type SessionRule } from './extract-session-id.js';
import {
  anthropicUserTexts,
  geminiUserTexts,
  openaiChatUserTexts,
  openaiResponsesUserTexts,
} from './user-message-texts.js';

const SYSTEM_REMINDER = '<system-reminder>';

/** The number of characters (code points: an emoji or a CJK character is one) of `text`, counted no further than `limit`. */
function characterCount(text: string, limit: number): number {
  let count = 0;
  for (const _ of text) if (++count >= limit) break;
  return count;
}

/** The usual test of a first user message: more than ten characters and no `<system-reminder>`. */
export function longerThanTenWithoutReminder(text: string): boolean {
  return characterCount(text, 11) > 10 && !text.includes(SYSTEM_REMINDER);
}

/**
 * Anthropic Messages. Claude Code sends `metadata.user_id` as a JSON string holding device_id and
 * session_id: used raw when non-empty and not containing `session-`. It injects `<system-reminder>`
 * blocks and `[System …]` notes into user turns; they repeat across conversations, so hashing them
 * would put unrelated conversations on one account.
 */
export const anthropicSessionRule: SessionRule = {
  userTexts: anthropicUserTexts,
  qualifies: (text) =>
    characterCount(text, 3) >= 3 && !text.includes(SYSTEM_REMINDER) && !text.includes('[System'),
  bodySessionId(body) {
    const metadata = body['metadata'];
    if (!isJsonObject(metadata)) return null;
    const userId = nonEmptyString(metadata['user_id']);
    return userId !== null && !userId.includes('session-') ? userId : null;
  },
};

export const openAIChatSessionRule: SessionRule = {
  userTexts: openaiChatUserTexts,
  qualifies: longerThanTenWithoutReminder,
};

export const openAIResponsesSessionRule: SessionRule = {
  userTexts: openaiResponsesUserTexts,
  qualifies: longerThanTenWithoutReminder,
};

export const geminiSessionRule: SessionRule = {
  userTexts: geminiUserTexts,
  qualifies: longerThanTenWithoutReminder,
};

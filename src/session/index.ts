export { type HeaderBag, headerValue } from '../core/headers.js';
export { extractSessionId, type SessionInput, type SessionRule } from './extract-session-id.js';
export {
  anthropicSessionRule,
  geminiSessionRule,
  longerThanTenWithoutReminder,
  openAIChatSessionRule,
  openAIResponsesSessionRule,
} from './session-rules.js';

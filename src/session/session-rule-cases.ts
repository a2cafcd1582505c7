/** For the session tests: the protocols' rules by short names, and `extractSessionId` by name. */
import { extractSessionId, type SessionInput } from './extract-session-id.js';
import {
  anthropicSessionRule,
  geminiSessionRule,
  openAIChatSessionRule,
  openAIResponsesSessionRule,
} from './session-rules.js';

const RULES = {
  anthropic: anthropicSessionRule,
  'openai-chat': openAIChatSessionRule,
  'openai-responses': openAIResponsesSessionRule,
  gemini: geminiSessionRule,
} as const;

export type SessionProtocol = keyof typeof RULES;

export const SESSION_PROTOCOLS = Object.keys(RULES) as SessionProtocol[];

/** `extractSessionId` with the rule of the named protocol. */
export function extract(input: { protocol: SessionProtocol } & Omit<SessionInput, 'rule'>): string | null {
  return extractSessionId({ ...input, rule: RULES[input.protocol] });
}

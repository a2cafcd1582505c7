import { isJsonObject } from '../core/json.js';

/** The client protocols whose bodies can be outlined. */
export type OutlineProtocol = 'anthropic-messages' | 'openai-chat' | 'openai-responses' | 'gemini';

/** The last message of a request, reduced to what the detectors read. */
export interface LastMessage {
  /** `user` for the user's turn (Anthropic tool results included), `other` for anything else. */
  role: 'user' | 'other';
  /** The message's text: its string content, or the text of each text part, in order. */
  texts: string[];
  /** The text of each tool result the message marks as an error (Anthropic `is_error: true`). */
  toolErrors: string[];
}

/**
 * What the routing detectors (warmup probes, background tasks) need to know about a request,
 * read straight from the client's JSON without decoding it: cheap enough for every request.
 */
export interface RequestOutline {
  /** The system prompt's text (Anthropic `system`, OpenAI system/developer messages and `instructions`, Gemini `systemInstruction`), parts joined by a newline. */
  system: string;
  /** Messages (turns) in the request, of any role. */
  messageCount: number;
  /** User messages in the request. */
  userMessages: number;
  /** Whether the request offers the model any tool. */
  hasTools: boolean;
  last: LastMessage | null;
}

type Body = Record<string, unknown>;

/** The outline of a client body in `protocol`. Anything of an unexpected shape is skipped, never thrown on. */
export function outlineRequest(protocol: OutlineProtocol, body: Body): RequestOutline {
  switch (protocol) {
    case 'anthropic-messages':
      return outlineMessages(body, { system: textOf(body['system']), systemRoles: ANTHROPIC_SYSTEM_ROLES });
    case 'openai-chat':
      return outlineMessages(body, { system: '', systemRoles: OPENAI_SYSTEM_ROLES });
    case 'openai-responses':
      return outlineResponses(body);
    case 'gemini':
      return outlineGemini(body);
  }
}

// Claude Code sends mid-conversation `role: "system"` messages (its `mid-conversation-system` beta).
const ANTHROPIC_SYSTEM_ROLES: ReadonlySet<string> = new Set(['system']);
const OPENAI_SYSTEM_ROLES: ReadonlySet<string> = new Set(['system', 'developer']);

/** Anthropic Messages and OpenAI Chat: `messages[]` with `role` and string or part-list `content`. */
function outlineMessages(
  body: Body,
  options: { system: string; systemRoles: ReadonlySet<string> },
): RequestOutline {
  const system = [options.system];
  let messageCount = 0;
  let userMessages = 0;
  let last: LastMessage | null = null;
  for (const message of arrayField(body, 'messages')) {
    if (!isJsonObject(message)) continue;
    const role = message['role'];
    if (typeof role === 'string' && options.systemRoles.has(role)) {
      system.push(textOf(message['content']));
      continue;
    }
    messageCount++;
    if (role === 'user') userMessages++;
    last = {
      role: role === 'user' ? 'user' : 'other',
      texts: textsOf(message['content']),
      toolErrors: toolErrorsOf(message['content']),
    };
  }
  return { system: joined(system), messageCount, userMessages, hasTools: nonEmpty(body['tools']), last };
}

/** OpenAI Responses: `instructions`, and `input` as a string or a list of items. */
function outlineResponses(body: Body): RequestOutline {
  const system = [typeof body['instructions'] === 'string' ? body['instructions'] : ''];
  const input = body['input'];
  const hasTools = nonEmpty(body['tools']);
  if (typeof input === 'string') {
    const last: LastMessage = { role: 'user', texts: [input], toolErrors: [] };
    return { system: joined(system), messageCount: 1, userMessages: 1, hasTools, last };
  }
  let messageCount = 0;
  let userMessages = 0;
  let last: LastMessage | null = null;
  for (const item of Array.isArray(input) ? input : []) {
    if (!isJsonObject(item)) continue;
    const role = item['role'];
    if (role === 'system' || role === 'developer') {
      system.push(textOf(item['content']));
      continue;
    }
    messageCount++;
    if (role === 'user') userMessages++;
    last = { role: role === 'user' ? 'user' : 'other', texts: textsOf(item['content']), toolErrors: [] };
  }
  return { system: joined(system), messageCount, userMessages, hasTools, last };
}

/** Gemini: `systemInstruction`, `contents[]` (a missing role is the user's), `tools`. */
function outlineGemini(body: Body): RequestOutline {
  const instruction = body['systemInstruction'] ?? body['system_instruction'];
  const system = isJsonObject(instruction) ? textOf(instruction['parts']) : '';
  let messageCount = 0;
  let userMessages = 0;
  let last: LastMessage | null = null;
  for (const content of arrayField(body, 'contents')) {
    if (!isJsonObject(content)) continue;
    const user = content['role'] === 'user' || content['role'] === undefined;
    messageCount++;
    if (user) userMessages++;
    last = { role: user ? 'user' : 'other', texts: textsOf(content['parts']), toolErrors: [] };
  }
  return { system, messageCount, userMessages, hasTools: nonEmpty(body['tools']), last };
}

/** String content as one text; a part list as the `text` of each part that has one. */
function textsOf(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  const texts: string[] = [];
  for (const part of content) {
    if (!isJsonObject(part) || typeof part['text'] !== 'string') continue;
    // Anthropic and OpenAI parts name their type; Gemini parts do not.
    const type = part['type'];
    if (type === undefined || type === 'text' || type === 'input_text') texts.push(part['text']);
  }
  return texts;
}

function textOf(content: unknown): string {
  return textsOf(content).join('\n');
}

/** Anthropic `tool_result` blocks with `is_error: true`: their text. */
function toolErrorsOf(content: unknown): string[] {
  if (!Array.isArray(content)) return [];
  const errors: string[] = [];
  for (const block of content) {
    if (!isJsonObject(block) || block['type'] !== 'tool_result' || block['is_error'] !== true) continue;
    errors.push(typeof block['content'] === 'string' ? block['content'] : textOf(block['content']));
  }
  return errors;
}

function joined(parts: readonly string[]): string {
  return parts.filter((part) => part !== '').join('\n');
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function arrayField(object: Body, key: string): readonly unknown[] {
  const value = object[key];
  return Array.isArray(value) ? value : [];
}

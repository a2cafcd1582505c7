import { appendAll } from '../../core/append-all.js';
import type { JsonValue } from '../../core/json.js';
import type { CanonicalMessage } from '../../core/model/canonical-request.js';
import type { AssistantContentPart, TextPart, ToolResultPart } from '../../core/model/content-part.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';
import { invalidRequest } from '../../core/model/validate-request.js';
import type { Warning } from '../../core/model/warning.js';
import { decodeTextContent, decodeUserContent, type PartContext } from './decode-openai-chat-content.js';
import type { OpenAIMessage } from './openai-chat-request-schema.js';

export interface DecodedMessages {
  /** System and developer messages that come before any other message. */
  leadingSystem: TextPart[];
  messages: CanonicalMessage[];
}

/**
 * OpenAI chat `messages` → canonical messages. Leading system/developer messages become the
 * system prompt; later ones stay in place as `system` messages. Consecutive `tool` messages join
 * one canonical tool message. Legacy `function` messages are dropped with a warning.
 */
export function decodeOpenAIChatMessages(messages: OpenAIMessage[], warnings: Warning[]): DecodedMessages {
  const toolNames = new Map<string, string>();
  const leadingSystem: TextPart[] = [];
  const result: CanonicalMessage[] = [];
  messages.forEach((message, index) => {
    const context = { path: `messages[${index}]`, warnings };
    switch (message.role) {
      case 'system':
      case 'developer': {
        const content = decodeTextContent(message.content, context);
        if (result.length === 0) appendAll(leadingSystem, content);
        else result.push({ role: 'system', content });
        break;
      }
      case 'user':
        result.push({ role: 'user', content: decodeUserContent(message.content, context) });
        break;
      case 'assistant':
        result.push({
          role: 'assistant',
          content: decodeAssistant(message, { path: context.path, warnings, toolNames }),
        });
        break;
      case 'tool':
        addToolResult(result, decodeToolResult(message, { path: context.path, warnings, toolNames }));
        break;
      case 'function':
        warnings.push({
          type: 'unsupported',
          field: context.path,
          message: 'legacy function messages are dropped',
        });
        break;
    }
  });
  return { leadingSystem, messages: result };
}

function addToolResult(messages: CanonicalMessage[], part: ToolResultPart): void {
  const last = messages[messages.length - 1];
  if (last?.role === 'tool') last.content.push(part);
  else messages.push({ role: 'tool', content: [part] });
}

type MessageContext = PartContext & { toolNames: Map<string, string> };

function decodeAssistant(message: OpenAIMessage, context: MessageContext): AssistantContentPart[] {
  const parts: AssistantContentPart[] = [];
  if (message.reasoning_content) parts.push({ type: 'reasoning', text: message.reasoning_content });
  appendAll(parts, decodeTextContent(message.content, context));
  if (message.refusal) {
    context.warnings.push({
      type: 'lossy',
      field: `${context.path}.refusal`,
      message: 'refusal kept as plain text',
    });
    parts.push({ type: 'text', text: message.refusal });
  }
  (message.tool_calls ?? []).forEach((call, index) => {
    context.toolNames.set(call.id, call.function.name);
    parts.push({
      type: 'tool-call',
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments, {
        ...context,
        path: `${context.path}.tool_calls[${index}]`,
      }),
    });
  });
  return parts;
}

/** Tool-call arguments are JSON text; empty means no arguments, invalid JSON is reported. */
function parseArguments(text: string | null | undefined, context: PartContext): JsonValue {
  if (text === null || text === undefined || text.trim() === '') return {};
  const parsed = safeParseJson(text);
  if (parsed !== undefined) return parsed;
  context.warnings.push({
    type: 'lossy',
    field: `${context.path}.function.arguments`,
    message: 'arguments are not valid JSON; sent as {}',
  });
  return {};
}

function decodeToolResult(message: OpenAIMessage, context: MessageContext): ToolResultPart {
  if (!message.tool_call_id)
    throw invalidRequest(`${context.path}.tool_call_id`, 'required for tool messages');
  const texts = decodeTextContent(message.content, context);
  const part: ToolResultPart = {
    type: 'tool-result',
    toolCallId: message.tool_call_id,
    content: texts.map((text) => text.text).join(''),
  };
  // The text parts become one result: a breakpoint on any of them marks the whole result.
  const cacheControl = texts.findLast((text) => text.cacheControl)?.cacheControl;
  if (cacheControl) part.cacheControl = cacheControl;
  const toolName = context.toolNames.get(message.tool_call_id);
  if (toolName !== undefined) part.toolName = toolName;
  return part;
}

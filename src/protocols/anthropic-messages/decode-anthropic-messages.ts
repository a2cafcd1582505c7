import { appendAll } from '../../core/append-all.js';
import type { JsonValue } from '../../core/json.js';
import type { CanonicalMessage } from '../../core/model/canonical-request.js';
import type {
  AssistantContentPart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/content-part.js';
import { validateRequest } from '../../core/model/validate-request.js';
import type { Warning } from '../../core/model/warning.js';
import {
  type AnthropicAnyBlock,
  type AnthropicMessage,
  anthropicRedactedThinkingBlockSchema,
  anthropicThinkingBlockSchema,
  anthropicToolUseBlockSchema,
} from './anthropic-request-schema.js';
import {
  type BlockContext,
  decodeCacheControl,
  decodeDocumentBlock,
  decodeImageBlock,
  decodeTextBlock,
  decodeToolResultBlock,
  withCacheControl,
} from './decode-anthropic-content.js';

export interface DecodedMessages {
  /** `role: "system"` messages that come before any user or assistant message. */
  leadingSystem: TextPart[];
  messages: CanonicalMessage[];
}

/**
 * Anthropic `messages` → canonical messages. A user message's `tool_result` blocks become a `tool`
 * message, the rest a `user` message, in their original order. `role: "system"` messages (Claude
 * Code sends them between turns) stay where they are, except leading ones, which join the system.
 */
export function decodeAnthropicMessages(messages: AnthropicMessage[], warnings: Warning[]): DecodedMessages {
  const toolNames = new Map<string, string>();
  const leadingSystem: TextPart[] = [];
  const result: CanonicalMessage[] = [];
  messages.forEach((message, index) => {
    const path = `messages[${index}]`;
    if (message.role === 'system') {
      const content = decodeSystemBlocks(message.content, { path, warnings });
      if (result.length === 0) appendAll(leadingSystem, content);
      else result.push({ role: 'system', content });
    } else if (message.role === 'assistant') {
      result.push({
        role: 'assistant',
        content: decodeAssistantBlocks(message.content, { path, warnings, toolNames }),
      });
    } else {
      appendAll(result, decodeUserBlocks(message.content, { path, warnings, toolNames }));
    }
  });
  return { leadingSystem, messages: result };
}

type MessageContext = BlockContext & { toolNames: Map<string, string> };

/**
 * A message's content given as a string: one text part. The request schema already checked that it
 * is a string, so it does not go through the text block check again.
 */
function stringContent(text: string): TextPart[] {
  return [{ type: 'text', text }];
}

function blockPath(context: BlockContext, index: number): BlockContext {
  return { path: `${context.path}.content[${index}]`, warnings: context.warnings };
}

function unsupportedBlock(block: AnthropicAnyBlock, context: BlockContext, where: string): void {
  context.warnings.push({
    type: 'unsupported',
    field: context.path,
    message: `"${block.type}" blocks in ${where} messages cannot be translated; dropped`,
  });
}

function decodeSystemBlocks(content: AnthropicMessage['content'], context: BlockContext): TextPart[] {
  if (typeof content === 'string') return stringContent(content);
  const parts: TextPart[] = [];
  content.forEach((block, index) => {
    const at = blockPath(context, index);
    if (block.type === 'text') parts.push(decodeTextBlock(block, at));
    else unsupportedBlock(block, at, 'system');
  });
  return parts;
}

function decodeUserBlocks(content: AnthropicMessage['content'], context: MessageContext): CanonicalMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content: stringContent(content) }];
  const result: CanonicalMessage[] = [];
  let toolResults: ToolResultPart[] | null = null;
  let userParts: UserContentPart[] | null = null;
  content.forEach((block, index) => {
    const at = {
      path: `${context.path}.content[${index}]`,
      warnings: context.warnings,
      toolNames: context.toolNames,
    };
    if (block.type === 'tool_result') {
      if (toolResults === null) {
        toolResults = [];
        userParts = null;
        result.push({ role: 'tool', content: toolResults });
      }
      toolResults.push(decodeToolResultBlock(block, at));
      return;
    }
    const part = decodeUserBlock(block, at);
    if (!part) return;
    if (userParts === null) {
      userParts = [];
      toolResults = null;
      result.push({ role: 'user', content: userParts });
    }
    userParts.push(part);
  });
  // A user message with no content left (everything dropped) still marks a turn.
  if (result.length === 0) result.push({ role: 'user', content: [] });
  return result;
}

function decodeUserBlock(block: AnthropicAnyBlock, context: BlockContext): UserContentPart | undefined {
  switch (block.type) {
    case 'text':
      return decodeTextBlock(block, context);
    case 'image':
      return decodeImageBlock(block, context);
    case 'document':
      return decodeDocumentBlock(block, context);
    default:
      unsupportedBlock(block, context, 'user');
      return undefined;
  }
}

function decodeAssistantBlocks(
  content: AnthropicMessage['content'],
  context: MessageContext,
): AssistantContentPart[] {
  if (typeof content === 'string') return stringContent(content);
  const parts: AssistantContentPart[] = [];
  content.forEach((block, index) => {
    const at = blockPath(context, index);
    switch (block.type) {
      case 'text':
        parts.push(decodeTextBlock(block, at));
        break;
      case 'thinking': {
        const thinking = validateRequest(anthropicThinkingBlockSchema, block, [at.path]);
        const part: ReasoningPart = { type: 'reasoning', text: thinking.thinking };
        if (thinking.signature) part.signature = thinking.signature;
        parts.push(part);
        break;
      }
      case 'redacted_thinking': {
        const redacted = validateRequest(anthropicRedactedThinkingBlockSchema, block, [at.path]);
        parts.push({ type: 'reasoning', text: '', redactedData: redacted.data });
        break;
      }
      case 'tool_use': {
        const toolUse = validateRequest(anthropicToolUseBlockSchema, block, [at.path]);
        context.toolNames.set(toolUse.id, toolUse.name);
        const part: ToolCallPart = {
          type: 'tool-call',
          id: toolUse.id,
          name: toolUse.name,
          // The validated value as the client sent it: zod's JSON schema rebuilds objects and
          // loses a key named `__proto__`, which JSON.parse keeps as plain data.
          input: block['input'] as JsonValue,
        };
        parts.push(withCacheControl(part, decodeCacheControl(toolUse.cache_control, at)));
        break;
      }
      default:
        unsupportedBlock(block, at, 'assistant');
    }
  });
  return parts;
}

import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { CanonicalMessage } from '../../core/model/canonical-request.js';
import type {
  AssistantContentPart,
  CacheControl,
  FilePart,
  ImagePart,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/content-part.js';
import type { Warning } from '../../core/model/warning.js';

/** An Anthropic content block as this converter writes it. */
export type AnthropicBlock = JsonObject & { type: string };

export interface AnthropicWireMessage {
  role: 'user' | 'assistant' | 'system';
  content: AnthropicBlock[] | string;
}

/**
 * What to do with a system message in the middle of the conversation:
 * - `user-text` (default): send its text as user content at the same place, which every Anthropic
 *   model accepts (the Messages API only takes `role: "system"` mid-conversation behind a beta);
 * - `keep`: send it as a `role: "system"` message (needs the `mid-conversation-system` beta header).
 */
export type MidConversationSystem = 'user-text' | 'keep';

interface PromptContext {
  warnings: Warning[];
  midConversationSystem: MidConversationSystem;
}

export function convertCacheControl(cacheControl: CacheControl | undefined): JsonObject {
  if (!cacheControl) return {};
  return {
    cache_control: cacheControl.ttl ? { type: 'ephemeral', ttl: cacheControl.ttl } : { type: 'ephemeral' },
  };
}

export function convertTextPart(part: TextPart): AnthropicBlock {
  return { type: 'text', text: part.text, ...convertCacheControl(part.cacheControl) };
}

/**
 * Canonical messages → Anthropic `messages`. Consecutive messages that end up with the same role
 * are merged (tool results and user content share the user role), with `tool_result` blocks first
 * as the API requires. Empty text blocks are left out (the API rejects them), and so are messages
 * left without content. Linear in the number of blocks: a run of same-role messages is collected
 * once and ordered once, however long it is.
 */
export function convertToAnthropicPrompt(
  messages: CanonicalMessage[],
  context: PromptContext,
): AnthropicWireMessage[] {
  const result: AnthropicWireMessage[] = [];
  let run: SameRoleRun | null = null;
  for (const [index, message] of messages.entries()) {
    const path = `messages[${index}]`;
    const at = { warnings: context.warnings, midConversationSystem: context.midConversationSystem, path };
    const converted = convertMessage(message, at);
    if (converted.content.length === 0) {
      context.warnings.push({
        type: 'other',
        field: path,
        message: 'message has no content Anthropic accepts; left out',
      });
    } else if (run?.message.role === converted.role && Array.isArray(converted.content)) {
      run.add(converted.content, at);
    } else {
      run?.finish();
      result.push(converted);
      run = SameRoleRun.startingWith(converted);
    }
  }
  run?.finish();
  return result;
}

/**
 * Consecutive messages of one role, merged into the first: blocks are collected as they come, and
 * `tool_result` blocks moved first once, when the run ends.
 */
class SameRoleRun {
  private readonly toolResults: AnthropicBlock[] = [];
  private readonly others: AnthropicBlock[] = [];
  private merged = false;

  private constructor(
    readonly message: AnthropicWireMessage,
    content: AnthropicBlock[],
  ) {
    this.collect(content);
  }

  /** A run starting with `message`, or null for a message whose content is a string (never merged). */
  static startingWith(message: AnthropicWireMessage): SameRoleRun | null {
    return Array.isArray(message.content) ? new SameRoleRun(message, message.content) : null;
  }

  add(blocks: AnthropicBlock[], context: PromptContext & { path: string }): void {
    // A tool result that follows other content in the run moves before it: say so, once per message.
    const lastToolResult = blocks.findLastIndex((block) => block.type === 'tool_result');
    const firstOther = blocks.findIndex((block) => block.type !== 'tool_result');
    const precededByOther = this.others.length > 0 || (firstOther >= 0 && firstOther < lastToolResult);
    if (lastToolResult >= 0 && precededByOther) {
      context.warnings.push({
        type: 'lossy',
        field: context.path,
        message: 'tool results moved before the user content they followed (Anthropic requires them first)',
      });
    }
    this.collect(blocks);
    this.merged = true;
  }

  finish(): void {
    if (!this.merged) return;
    const content = this.toolResults;
    for (const block of this.others) content.push(block);
    this.message.content = content;
  }

  private collect(blocks: AnthropicBlock[]): void {
    for (const block of blocks) (block.type === 'tool_result' ? this.toolResults : this.others).push(block);
  }
}

function convertMessage(
  message: CanonicalMessage,
  context: PromptContext & { path: string },
): AnthropicWireMessage {
  switch (message.role) {
    case 'system':
      if (context.midConversationSystem === 'keep') {
        return { role: 'system', content: message.content.map((part) => part.text).join('\n\n') };
      }
      context.warnings.push({
        type: 'lossy',
        field: context.path,
        message: 'system message in the middle of the conversation sent as user text',
      });
      return { role: 'user', content: nonEmptyText(message.content).map(convertTextPart) };
    case 'user':
      return { role: 'user', content: convertUserParts(message.content, context) };
    case 'assistant':
      return { role: 'assistant', content: convertAssistantParts(message.content, context) };
    case 'tool':
      return { role: 'user', content: message.content.map(convertToolResult) };
  }
}

function nonEmptyText(parts: TextPart[]): TextPart[] {
  return parts.filter((part) => part.text !== '');
}

function convertUserParts(
  parts: UserContentPart[],
  context: PromptContext & { path: string },
): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = [];
  parts.forEach((part, index) => {
    const at = {
      warnings: context.warnings,
      midConversationSystem: context.midConversationSystem,
      path: `${context.path}.content[${index}]`,
    };
    if (part.type === 'text') {
      if (part.text !== '') blocks.push(convertTextPart(part));
    } else if (part.type === 'image') blocks.push(convertImagePart(part));
    else {
      const document = convertFilePart(part, at);
      if (document) blocks.push(document);
    }
  });
  return blocks;
}

function convertImagePart(part: ImagePart): AnthropicBlock {
  const source: JsonObject =
    part.source.type === 'base64'
      ? { type: 'base64', media_type: part.source.mediaType, data: part.source.data }
      : { type: 'url', url: part.source.url };
  return { type: 'image', source, ...convertCacheControl(part.cacheControl) };
}

/** Anthropic documents are PDFs (base64 or URL) or plain text; other files cannot be sent. */
function convertFilePart(
  part: FilePart,
  context: PromptContext & { path: string },
): AnthropicBlock | undefined {
  const extra = convertCacheControl(part.cacheControl);
  if (part.filename !== undefined) extra.title = part.filename;
  const { source } = part;
  if (source.type === 'url') return { type: 'document', source: { type: 'url', url: source.url }, ...extra };
  if (source.mediaType === 'application/pdf') {
    return {
      type: 'document',
      source: { type: 'base64', media_type: source.mediaType, data: source.data },
      ...extra,
    };
  }
  if (source.mediaType.startsWith('text/')) {
    const data = Buffer.from(source.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data }, ...extra };
  }
  context.warnings.push({
    type: 'unsupported',
    field: context.path,
    message: `files of type ${source.mediaType} cannot be sent to Anthropic (PDF and text only); dropped`,
  });
  return undefined;
}

function convertAssistantParts(
  parts: AssistantContentPart[],
  context: PromptContext & { path: string },
): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = [];
  parts.forEach((part, index) => {
    if (part.type === 'text') {
      if (part.text !== '') blocks.push(convertTextPart(part));
    } else if (part.type === 'tool-call') {
      const input = isJsonObject(part.input) ? part.input : {};
      if (input !== part.input) {
        context.warnings.push({
          type: 'lossy',
          field: `${context.path}.content[${index}].input`,
          message: 'Anthropic tool input must be an object; sent as {}',
        });
      }
      blocks.push({
        type: 'tool_use',
        id: part.id,
        name: part.name,
        input,
        ...convertCacheControl(part.cacheControl),
      });
    } else if (part.redactedData !== undefined && part.text === '') {
      blocks.push({ type: 'redacted_thinking', data: part.redactedData });
    } else if (part.signature) {
      blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
    } else {
      // Anthropic verifies thinking signatures; reasoning produced elsewhere cannot be replayed.
      context.warnings.push({
        type: 'unsupported',
        field: `${context.path}.content[${index}]`,
        message: 'reasoning without an Anthropic signature cannot be sent back; dropped',
      });
    }
  });
  return blocks;
}

function convertToolResult(part: ToolResultPart): AnthropicBlock {
  const content =
    typeof part.content === 'string'
      ? part.content
      : part.content.map((item) => (item.type === 'text' ? convertTextPart(item) : convertImagePart(item)));
  return {
    type: 'tool_result',
    tool_use_id: part.toolCallId,
    content,
    ...(part.isError ? { is_error: true } : {}),
    ...convertCacheControl(part.cacheControl),
  };
}

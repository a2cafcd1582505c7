import { appendAll } from '../../core/append-all.js';
import type { JsonObject } from '../../core/json.js';
import type { CanonicalMessage, CanonicalRequest } from '../../core/model/canonical-request.js';
import type {
  AssistantContentPart,
  FilePart,
  MediaSource,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/content-part.js';
import type { Warning } from '../../core/model/warning.js';

export interface ConvertMessagesOptions {
  warnings: Warning[];
  /** Send assistant reasoning back as `reasoning_content` (DeepSeek-style servers want it); dropped otherwise. */
  reasoningContent: boolean;
}

/**
 * Canonical system prompt and messages → Chat Completions `messages`. Rules:
 * - the system prompt becomes one leading `system` message (parts joined by a blank line), and
 *   mid-conversation system messages stay in place as `system` messages;
 * - each tool result becomes its own `tool` message with text content (images in tool results
 *   cannot be sent and are dropped; `isError` has no field and is dropped);
 * - cache breakpoints are ignored (OpenAI caches prompt prefixes on its own);
 * - reasoning is dropped unless `reasoningContent`, since OpenAI cannot verify foreign reasoning.
 */
export function convertToOpenAIChatMessages(
  request: CanonicalRequest,
  options: ConvertMessagesOptions,
): JsonObject[] {
  const result: JsonObject[] = [];
  const system = request.system.map((part) => part.text).join('\n\n');
  if (system !== '') result.push({ role: 'system', content: system });
  request.messages.forEach((message, index) => {
    const path = `messages[${index}]`;
    appendAll(
      result,
      convertMessage(message, {
        warnings: options.warnings,
        reasoningContent: options.reasoningContent,
        path,
      }),
    );
  });
  if (hasCacheControl(request)) {
    options.warnings.push({
      type: 'unsupported',
      field: 'cacheControl',
      message: 'cache breakpoints ignored; OpenAI caches prompt prefixes automatically',
    });
  }
  return result;
}

type MessageContext = ConvertMessagesOptions & { path: string };

function partContext(context: MessageContext, index: number): MessageContext {
  return {
    warnings: context.warnings,
    reasoningContent: context.reasoningContent,
    path: `${context.path}.content[${index}]`,
  };
}

function convertMessage(message: CanonicalMessage, context: MessageContext): JsonObject[] {
  switch (message.role) {
    case 'system':
      return [{ role: 'system', content: message.content.map((part) => part.text).join('\n\n') }];
    case 'user':
      return [{ role: 'user', content: convertUserContent(message.content, context) }];
    case 'assistant':
      return [convertAssistant(message.content, context)];
    case 'tool':
      return message.content.map((part, index) => convertToolResult(part, partContext(context, index)));
  }
}

function mediaUrl(source: MediaSource): string {
  return source.type === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

function convertUserContent(parts: UserContentPart[], context: MessageContext): string | JsonObject[] {
  const only = parts[0];
  if (parts.length === 1 && only?.type === 'text') return only.text;
  if (parts.length === 0) return '';
  const result: JsonObject[] = [];
  parts.forEach((part, index) => {
    if (part.type === 'text') result.push({ type: 'text', text: part.text });
    else if (part.type === 'image')
      result.push({ type: 'image_url', image_url: { url: mediaUrl(part.source) } });
    else {
      const file = convertFile(part, partContext(context, index));
      if (file) result.push(file);
    }
  });
  return result;
}

/** PDFs go as `file` parts with inline data; text files as text; anything else cannot be sent. */
function convertFile(part: FilePart, context: MessageContext): JsonObject | undefined {
  const { source } = part;
  if (source.type === 'base64' && source.mediaType.startsWith('text/')) {
    return { type: 'text', text: Buffer.from(source.data, 'base64').toString('utf8') };
  }
  if (source.type === 'base64' && source.mediaType === 'application/pdf') {
    const file: JsonObject = { file_data: mediaUrl(source) };
    file.filename = part.filename ?? 'document.pdf';
    return { type: 'file', file };
  }
  context.warnings.push({
    type: 'unsupported',
    field: context.path,
    message: 'only inline PDF and text files can be sent to Chat Completions; dropped',
  });
  return undefined;
}

function convertAssistant(parts: AssistantContentPart[], context: MessageContext): JsonObject {
  let text = '';
  let reasoning = '';
  const toolCalls: JsonObject[] = [];
  for (const part of parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
    else {
      toolCalls.push({
        id: part.id,
        type: 'function',
        function: { name: part.name, arguments: JSON.stringify(part.input) },
      });
    }
  }
  const message: JsonObject = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (context.reasoningContent && reasoning !== '') message.reasoning_content = reasoning;
  if (!context.reasoningContent && parts.some((part) => part.type === 'reasoning')) {
    context.warnings.push({
      type: 'unsupported',
      field: `${context.path}.content`,
      message: 'reasoning not sent to OpenAI',
    });
  }
  return message;
}

function convertToolResult(part: ToolResultPart, context: MessageContext): JsonObject {
  let content: string;
  if (typeof part.content === 'string') content = part.content;
  else {
    content = part.content.map((item) => (item.type === 'text' ? item.text : '')).join('');
    if (part.content.some((item) => item.type === 'image')) {
      context.warnings.push({
        type: 'unsupported',
        field: context.path,
        message: 'images in tool results dropped',
      });
    }
  }
  if (part.isError) {
    context.warnings.push({
      type: 'unsupported',
      field: `${context.path}.isError`,
      message: 'tool error flag dropped',
    });
  }
  return { role: 'tool', tool_call_id: part.toolCallId, content };
}

function hasCacheControl(request: CanonicalRequest): boolean {
  if (request.system.some((part) => part.cacheControl)) return true;
  if (request.tools.some((tool) => tool.cacheControl)) return true;
  return request.messages.some((message) =>
    message.content.some((part) => 'cacheControl' in part && part.cacheControl),
  );
}

import { appendAll } from '../../core/append-all.js';
import type { JsonValue } from '../../core/json.js';
import type { CanonicalMessage } from '../../core/model/canonical-request.js';
import type {
  AssistantContentPart,
  ImagePart,
  MediaSource,
  ReasoningPart,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/content-part.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';
import { validateRequest } from '../../core/model/validate-request.js';
import type { Warning } from '../../core/model/warning.js';
import { decodeReasoningEnvelope } from './reasoning-envelope.js';
import {
  type ResponsesAnyItem,
  type ResponsesRequest,
  responsesFilePartSchema,
  responsesFunctionCallOutputSchema,
  responsesFunctionCallSchema,
  responsesImagePartSchema,
  responsesMessageItemSchema,
  responsesReasoningItemSchema,
  responsesRefusalPartSchema,
  responsesTextPartSchema,
} from './responses-request-schema.js';
import { flattenToolName } from './responses-tool-names.js';

export interface DecodedInput {
  /** `system` / `developer` messages before any other item. */
  leadingSystem: TextPart[];
  messages: CanonicalMessage[];
}

interface ItemContext {
  path: string;
  warnings: Warning[];
}

/**
 * Responses `input` → canonical messages. A string is one user message. Items: messages by role
 * (`developer` is `system`); `function_call` and `reasoning` items join the assistant message they
 * follow (one assistant turn is several items in this API); consecutive `function_call_output` items
 * form one tool message. Other items (`item_reference`, hosted tool calls, custom tool calls) cannot
 * be translated and are dropped with a warning.
 */
export function decodeResponsesInput(input: ResponsesRequest['input'], warnings: Warning[]): DecodedInput {
  const result: DecodedInput = { leadingSystem: [], messages: [] };
  if (input === undefined) return result;
  if (typeof input === 'string') {
    result.messages.push({ role: 'user', content: [{ type: 'text', text: input }] });
    return result;
  }
  const toolNames = new Map<string, string>();
  input.forEach((item, index) => {
    const context = { path: `input[${index}]`, warnings };
    const type = item.type ?? 'message';
    if (type === 'message') decodeMessageItem(item, { path: context.path, warnings, result });
    else if (type === 'function_call') {
      const call = validateRequest(responsesFunctionCallSchema, item, [context.path]);
      const name = call.namespace
        ? flattenToolName({ namespace: call.namespace, name: call.name })
        : call.name;
      toolNames.set(call.call_id, name);
      assistantContent(result).push({
        type: 'tool-call',
        id: call.call_id,
        name,
        input: decodeArguments(call.arguments, context),
      });
    } else if (type === 'function_call_output') {
      const output = validateRequest(responsesFunctionCallOutputSchema, item, [context.path]);
      const part: ToolResultPart = {
        type: 'tool-result',
        toolCallId: output.call_id,
        content: decodeToolOutput(output.output, context),
      };
      const name = toolNames.get(output.call_id);
      if (name !== undefined) part.toolName = name;
      toolContent(result).push(part);
    } else if (type === 'reasoning') {
      assistantContent(result).push(decodeReasoningItem(item, context));
    } else {
      warnings.push({
        type: 'unsupported',
        field: context.path,
        message: `"${type}" items cannot be translated; dropped`,
      });
    }
  });
  return result;
}

/** The content of the assistant message at the end of the conversation, started when there is none. */
function assistantContent(result: DecodedInput): AssistantContentPart[] {
  const last = result.messages.at(-1);
  if (last?.role === 'assistant') return last.content;
  const content: AssistantContentPart[] = [];
  result.messages.push({ role: 'assistant', content });
  return content;
}

function toolContent(result: DecodedInput): ToolResultPart[] {
  const last = result.messages.at(-1);
  if (last?.role === 'tool') return last.content;
  const content: ToolResultPart[] = [];
  result.messages.push({ role: 'tool', content });
  return content;
}

function decodeMessageItem(item: ResponsesAnyItem, context: ItemContext & { result: DecodedInput }): void {
  const message = validateRequest(responsesMessageItemSchema, item, [context.path]);
  const parts: ResponsesAnyItem[] =
    typeof message.content === 'string' ? [{ type: 'input_text', text: message.content }] : message.content;
  const { result } = context;
  if (message.role === 'system' || message.role === 'developer') {
    const content = parts.flatMap((part, index) => decodeTextOnly(part, partContext(context, index)));
    if (result.messages.length === 0) appendAll(result.leadingSystem, content);
    else result.messages.push({ role: 'system', content });
  } else if (message.role === 'assistant') {
    const content = parts.flatMap((part, index) => decodeTextOnly(part, partContext(context, index)));
    appendAll(assistantContent(result), content);
  } else {
    const content = parts.flatMap((part, index) => decodeUserPart(part, partContext(context, index)));
    result.messages.push({ role: 'user', content });
  }
}

function partContext(context: ItemContext, index: number): ItemContext {
  return { path: `${context.path}.content[${index}]`, warnings: context.warnings };
}

function unsupportedPart(part: ResponsesAnyItem, context: ItemContext, where: string): [] {
  context.warnings.push({
    type: 'unsupported',
    field: context.path,
    message: `"${part.type}" content in ${where} cannot be translated; dropped`,
  });
  return [];
}

/** Text of system, developer and assistant messages; a refusal is kept as its text. */
function decodeTextOnly(part: ResponsesAnyItem, context: ItemContext): TextPart[] {
  if (part.type === 'input_text' || part.type === 'output_text') {
    return [{ type: 'text', text: validateRequest(responsesTextPartSchema, part, [context.path]).text }];
  }
  if (part.type === 'refusal') {
    return [
      { type: 'text', text: validateRequest(responsesRefusalPartSchema, part, [context.path]).refusal },
    ];
  }
  return unsupportedPart(part, context, 'this message');
}

function decodeUserPart(part: ResponsesAnyItem, context: ItemContext): UserContentPart[] {
  if (part.type === 'input_image') {
    const image = validateRequest(responsesImagePartSchema, part, [context.path]);
    const source = image.image_url ? decodeUrl(image.image_url) : undefined;
    return source ? [{ type: 'image', source }] : unsupportedPart(part, context, 'user messages (file ids)');
  }
  if (part.type === 'input_file') {
    const file = validateRequest(responsesFilePartSchema, part, [context.path]);
    const source = file.file_data
      ? decodeUrl(file.file_data, file.filename ?? '')
      : file.file_url
        ? decodeUrl(file.file_url)
        : undefined;
    if (!source) return unsupportedPart(part, context, 'user messages (file ids)');
    return [file.filename ? { type: 'file', source, filename: file.filename } : { type: 'file', source }];
  }
  return decodeTextOnly(part, context);
}

/**
 * A `data:` URL → base64 source; an `http(s):` URL → URL source. `file_data` (given with its file
 * name, possibly empty) may also be bare base64, whose type is guessed from the name: PDF unless it
 * ends in `.txt`.
 */
function decodeUrl(value: string, filename?: string): MediaSource | undefined {
  const data = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(value);
  if (data?.[1] && data[2] !== undefined) return { type: 'base64', mediaType: data[1], data: data[2] };
  if (/^https?:\/\//i.test(value)) return { type: 'url', url: value };
  if (filename !== undefined) {
    const mediaType = filename.toLowerCase().endsWith('.txt') ? 'text/plain' : 'application/pdf';
    return { type: 'base64', mediaType, data: value };
  }
  return undefined;
}

function decodeArguments(text: string, context: ItemContext): JsonValue {
  if (text.trim() === '') return {};
  const parsed = safeParseJson(text);
  if (parsed !== undefined) return parsed;
  context.warnings.push({
    type: 'lossy',
    field: `${context.path}.arguments`,
    message: 'function call arguments are not valid JSON; sent as {}',
  });
  return {};
}

function decodeToolOutput(
  output: string | ResponsesAnyItem[],
  context: ItemContext,
): ToolResultPart['content'] {
  if (typeof output === 'string') return output;
  const parts: Array<TextPart | ImagePart> = [];
  output.forEach((part, index) => {
    for (const decoded of decodeUserPart(part, partContext(context, index))) {
      if (decoded.type === 'file') unsupportedPart(part, partContext(context, index), 'tool outputs');
      else parts.push(decoded);
    }
  });
  return parts;
}

/**
 * A `reasoning` item → a reasoning part: its text is the raw reasoning when the client sent it, else
 * the summary (this gateway writes the whole reasoning text as one summary), and its
 * `encrypted_content` gives back the provider's signature or redacted data.
 */
function decodeReasoningItem(item: ResponsesAnyItem, context: ItemContext): ReasoningPart {
  const reasoning = validateRequest(responsesReasoningItemSchema, item, [context.path]);
  const texts = reasoning.content?.length ? reasoning.content : reasoning.summary;
  const part: ReasoningPart = { type: 'reasoning', text: texts.map((entry) => entry.text).join('\n\n') };
  if (reasoning.encrypted_content) Object.assign(part, decodeReasoningEnvelope(reasoning.encrypted_content));
  return part;
}

import { appendAll } from '../../core/append-all.js';
import type { JsonObject } from '../../core/json.js';
import type { CanonicalMessage } from '../../core/model/canonical-request.js';
import type {
  AssistantContentPart,
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/content-part.js';
import type { Warning } from '../../core/model/warning.js';
import type { GeminiContent, GeminiPart } from './gemini-request-schema.js';
import { decodeThoughtSignature } from './gemini-thought-signature.js';
import { GeminiToolCallIds, synthesizeToolCallId } from './gemini-tool-call-ids.js';

interface PartContext {
  path: string;
  warnings: Warning[];
}

/**
 * Gemini `contents` → canonical messages.
 * - `user` (and the legacy `function`) turns: `functionResponse` parts become a `tool` message, the
 *   other parts a `user` message, in their original order.
 * - `model` turns become assistant messages. Adjacent text parts are joined, and so are adjacent
 *   `thought` parts until one carries a `thoughtSignature` (clients replay streamed turns chunk by
 *   chunk). A signature on a non-thought part becomes an empty reasoning part with that signature
 *   just before the part, which the Gemini converter turns back into the same part. Signatures this
 *   gateway wrapped (`encodeThoughtSignature`) give back the reasoning they stand for.
 * - Function calls get ids from `GeminiToolCallIds`; responses are paired with them by name.
 */
export function decodeGeminiContents(contents: GeminiContent[], warnings: Warning[]): CanonicalMessage[] {
  const ids = new GeminiToolCallIds();
  const messages: CanonicalMessage[] = [];
  contents.forEach((content, index) => {
    const path = `contents[${index}]`;
    if (content.role === 'model') {
      messages.push({ role: 'assistant', content: decodeModelParts(content.parts, { path, warnings, ids }) });
    } else {
      appendAll(messages, decodeUserParts(content.parts, { path, warnings, ids }));
    }
  });
  return messages;
}

type ContentContext = PartContext & { ids: GeminiToolCallIds };

function partPath(context: PartContext, index: number): PartContext {
  return { path: `${context.path}.parts[${index}]`, warnings: context.warnings };
}

function unsupportedPart(part: GeminiPart, context: PartContext, where: string): void {
  const kind = Object.keys(part).find((key) => key !== 'thoughtSignature' && key !== 'thought') ?? 'empty';
  context.warnings.push({
    type: 'unsupported',
    field: context.path,
    message: `"${kind}" parts in ${where} turns cannot be translated; dropped`,
  });
}

function decodeUserParts(parts: GeminiPart[], context: ContentContext): CanonicalMessage[] {
  const result: CanonicalMessage[] = [];
  let toolResults: ToolResultPart[] | null = null;
  let userParts: UserContentPart[] | null = null;
  parts.forEach((part, index) => {
    const at = partPath(context, index);
    if (part.functionResponse) {
      if (toolResults === null) {
        toolResults = [];
        userParts = null;
        result.push({ role: 'tool', content: toolResults });
      }
      toolResults.push(decodeFunctionResponse(part.functionResponse, { ...at, ids: context.ids }));
      return;
    }
    const decoded = decodeUserPart(part, at);
    if (!decoded) return;
    if (userParts === null) {
      userParts = [];
      toolResults = null;
      result.push({ role: 'user', content: userParts });
    }
    userParts.push(decoded);
  });
  // A turn with nothing left (everything dropped) still marks a turn.
  if (result.length === 0) result.push({ role: 'user', content: [] });
  return result;
}

function decodeUserPart(part: GeminiPart, context: PartContext): UserContentPart | undefined {
  if (part.text !== undefined) return { type: 'text', text: part.text };
  if (part.inlineData) {
    const source = {
      type: 'base64' as const,
      mediaType: part.inlineData.mimeType,
      data: part.inlineData.data,
    };
    return part.inlineData.mimeType.startsWith('image/')
      ? { type: 'image', source }
      : { type: 'file', source };
  }
  if (part.fileData) {
    const source = { type: 'url' as const, url: part.fileData.fileUri };
    return part.fileData.mimeType?.startsWith('image/')
      ? { type: 'image', source }
      : { type: 'file', source };
  }
  unsupportedPart(part, context, 'user');
  return undefined;
}

function decodeFunctionResponse(
  response: NonNullable<GeminiPart['functionResponse']>,
  context: ContentContext,
): ToolResultPart {
  let toolCallId = context.ids.result(response.name, response.id);
  if (toolCallId === undefined) {
    toolCallId = response.id || synthesizeToolCallId(`${response.name}_unmatched`, 0);
    context.warnings.push({
      type: 'other',
      field: `${context.path}.functionResponse`,
      message: `no earlier function call named "${response.name}" to answer; sent with its own id`,
    });
  }
  const body = response.response ?? {};
  const part: ToolResultPart = {
    type: 'tool-result',
    toolCallId,
    toolName: response.name,
    content: decodeResponseBody(body as JsonObject),
  };
  const keys = Object.keys(body);
  if (keys.length === 1 && keys[0] === 'error') part.isError = true;
  const images = decodeResponseImages(response.parts ?? []);
  if (images.length > 0) part.content = [{ type: 'text', text: part.content as string }, ...images];
  return part;
}

/**
 * `{output: "…"}`, `{result: "…"}` or `{error: "…"}` (the conventions of the Gemini docs and CLI)
 * → that text; any other object → its JSON text.
 */
function decodeResponseBody(body: JsonObject): string {
  const entries = Object.entries(body);
  const [only] = entries;
  if (entries.length === 1 && only && ['output', 'result', 'error', 'content'].includes(only[0])) {
    if (typeof only[1] === 'string') return only[1];
  }
  return JSON.stringify(body);
}

/** Multimodal function responses (Gemini 3) carry images as `inlineData` parts. */
function decodeResponseImages(parts: Array<Record<string, unknown>>): ImagePart[] {
  const images: ImagePart[] = [];
  for (const part of parts) {
    const inline = part.inlineData as { mimeType?: unknown; data?: unknown } | undefined;
    if (typeof inline?.mimeType === 'string' && typeof inline.data === 'string') {
      images.push({
        type: 'image',
        source: { type: 'base64', mediaType: inline.mimeType, data: inline.data },
      });
    }
  }
  return images;
}

function decodeModelParts(parts: GeminiPart[], context: ContentContext): AssistantContentPart[] {
  const result: AssistantContentPart[] = [];
  // The reasoning or text part that the next part of the same kind continues, if any.
  let openReasoning: ReasoningPart | null = null;
  let openText: TextPart | null = null;
  parts.forEach((part, index) => {
    if (part.thought) {
      openText = null;
      if (!openReasoning) {
        openReasoning = { type: 'reasoning', text: '' };
        result.push(openReasoning);
      }
      openReasoning.text += part.text ?? '';
      if (part.thoughtSignature) {
        const { text, ...opaque } = decodeThoughtSignature(part.thoughtSignature);
        Object.assign(openReasoning, opaque);
        if (openReasoning.text === '') openReasoning.text = text;
        openReasoning = null;
      }
      return;
    }
    openReasoning = null;
    if (part.thoughtSignature) {
      result.push({ type: 'reasoning', ...decodeThoughtSignature(part.thoughtSignature) });
      openText = null;
    }
    if (part.functionCall) {
      openText = null;
      const { name, args, id } = part.functionCall;
      result.push({ type: 'tool-call', id: context.ids.call(name, id), name, input: args ?? {} });
    } else if (part.text !== undefined) {
      if (part.text === '') return;
      if (openText) openText.text += part.text;
      else {
        openText = { type: 'text', text: part.text };
        result.push(openText);
      }
    } else if (!part.thoughtSignature) {
      unsupportedPart(part, partPath(context, index), 'model');
    }
  });
  return result;
}

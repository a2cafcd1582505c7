import { appendAll } from '../../core/append-all.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { CanonicalMessage } from '../../core/model/canonical-request.js';
import type {
  AssistantContentPart,
  FilePart,
  ImagePart,
  MediaSource,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/content-part.js';
import { safeParseJsonObject } from '../../core/model/safe-parse-json.js';
import type { Warning } from '../../core/model/warning.js';

/** A Gemini request part as this converter writes it. */
export interface GeminiWirePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType: string; fileUri: string };
  functionCall?: { name: string; args: JsonObject; id?: string };
  functionResponse?: { name: string; response: JsonObject; id?: string };
}

export interface GeminiWireContent {
  role: 'user' | 'model';
  parts: GeminiWirePart[];
}

export interface ContentsContext {
  warnings: Warning[];
  /** Send tool-call ids in `functionCall.id` / `functionResponse.id` (Claude models on Code Assist need them). */
  includeCallIds: boolean;
  /**
   * Signature for a model turn's first function call when the conversation has none for it (it came
   * from another provider, or the client dropped it). Gemini 3 rejects function calls without one;
   * Google documents `skip_thought_signature_validator` for replaying foreign history.
   */
  fallbackSignature: string | undefined;
}

/**
 * Canonical messages → Gemini `contents`. Assistant messages become `model` turns; user, tool and
 * mid-conversation system messages `user` turns (system text as plain text, with a warning).
 * Consecutive turns of the same role are merged, as Gemini expects strict alternation, and turns
 * left without parts are left out. Tool results find their function name from the call they answer.
 */
export function convertToGeminiContents(
  messages: CanonicalMessage[],
  context: ContentsContext,
): GeminiWireContent[] {
  const toolNames = new Map<string, string>();
  const contents: GeminiWireContent[] = [];
  messages.forEach((message, index) => {
    const path = `messages[${index}]`;
    const converted = convertMessage(message, {
      warnings: context.warnings,
      includeCallIds: context.includeCallIds,
      fallbackSignature: context.fallbackSignature,
      path,
      toolNames,
    });
    if (converted.parts.length === 0) {
      context.warnings.push({
        type: 'other',
        field: path,
        message: 'message has no content Gemini accepts; left out',
      });
      return;
    }
    const previous = contents.at(-1);
    if (previous?.role === converted.role) appendAll(previous.parts, converted.parts);
    else contents.push(converted);
  });
  return contents;
}

type MessageContext = ContentsContext & { path: string; toolNames: Map<string, string> };

function convertMessage(message: CanonicalMessage, context: MessageContext): GeminiWireContent {
  switch (message.role) {
    case 'system':
      context.warnings.push({
        type: 'lossy',
        field: context.path,
        message: 'Gemini has no system turns mid-conversation; sent as user text',
      });
      return { role: 'user', parts: message.content.map((part) => ({ text: part.text })) };
    case 'user':
      return {
        role: 'user',
        parts: message.content.flatMap((part, index) => convertUserPart(part, index, context)),
      };
    case 'assistant':
      return { role: 'model', parts: convertAssistantParts(message.content, context) };
    case 'tool':
      return {
        role: 'user',
        parts: message.content.flatMap((part, index) => convertToolResult(part, index, context)),
      };
  }
}

function convertUserPart(part: UserContentPart, index: number, context: MessageContext): GeminiWirePart[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ text: part.text }];
  if (part.type === 'file' && part.filename !== undefined) {
    context.warnings.push({
      type: 'lossy',
      field: `${context.path}.content[${index}]`,
      message: 'Gemini has no file names; the file is sent without it',
    });
  }
  return [convertMedia(part)];
}

/** Inline data as `inlineData`; URLs as `fileData` with a media type guessed from the extension. */
export function convertMedia(part: ImagePart | FilePart): GeminiWirePart {
  const source: MediaSource = part.source;
  if (source.type === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  return { fileData: { mimeType: guessMediaType(source.url, part.type), fileUri: source.url } };
}

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
};

function guessMediaType(url: string, kind: 'image' | 'file'): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return (extension && EXTENSION_TYPES[extension]) ?? (kind === 'image' ? 'image/jpeg' : 'application/pdf');
}

/**
 * Assistant content → model parts. Reasoning is replayed only with its signature (Gemini verifies
 * what it produced; reasoning from elsewhere is dropped with a warning). A signature without text
 * goes on the next part, where Gemini put it; see the protocol encoder for the same rule.
 */
function convertAssistantParts(content: AssistantContentPart[], context: MessageContext): GeminiWirePart[] {
  const parts: GeminiWirePart[] = [];
  let pendingSignature: string | undefined;
  let firstCall = true;
  const push = (part: GeminiWirePart) => {
    if (pendingSignature !== undefined) part.thoughtSignature = pendingSignature;
    pendingSignature = undefined;
    parts.push(part);
  };
  content.forEach((part, index) => {
    if (part.type === 'reasoning') {
      const signature = part.signature ?? part.redactedData;
      if (signature === undefined) {
        context.warnings.push({
          type: 'unsupported',
          field: `${context.path}.content[${index}]`,
          message: 'reasoning without a signature cannot be replayed to Gemini; dropped',
        });
        return;
      }
      if (pendingSignature !== undefined) push({ text: '' });
      if (part.text === '') pendingSignature = signature;
      else parts.push({ text: part.text, thought: true, thoughtSignature: signature });
    } else if (part.type === 'text') {
      if (part.text !== '' || pendingSignature !== undefined) push({ text: part.text });
    } else {
      const call: GeminiWirePart['functionCall'] = {
        name: part.name,
        args: isJsonObject(part.input) ? part.input : {},
      };
      if (context.includeCallIds) call.id = part.id;
      context.toolNames.set(part.id, part.name);
      if (firstCall && pendingSignature === undefined && context.fallbackSignature !== undefined) {
        pendingSignature = context.fallbackSignature;
      }
      firstCall = false;
      push({ functionCall: call });
    }
  });
  if (pendingSignature !== undefined) parts.push({ text: '', thoughtSignature: pendingSignature });
  return parts;
}

/**
 * A tool result → `functionResponse`. Gemini wants an object: text that is a JSON object is sent as
 * that object, other text as `{output}` (or `{error}` for a failed tool), the conventions of the
 * Gemini docs. Images follow as `inlineData` parts of the same turn.
 */
function convertToolResult(part: ToolResultPart, index: number, context: MessageContext): GeminiWirePart[] {
  const field = `${context.path}.content[${index}]`;
  const name = part.toolName ?? context.toolNames.get(part.toolCallId);
  if (name === undefined) {
    context.warnings.push({
      type: 'other',
      field,
      message: 'tool result answers no tool call of the conversation; sent with an empty function name',
    });
  }
  const texts = typeof part.content === 'string' ? [part.content] : textsOf(part.content);
  const media = typeof part.content === 'string' ? [] : part.content.filter((item) => item.type === 'image');
  const text = texts.join('\n');
  const parsed = part.isError ? undefined : safeParseJsonObject(text);
  const response: JsonObject = parsed ?? { [part.isError ? 'error' : 'output']: text };
  const functionResponse: GeminiWirePart['functionResponse'] = { name: name ?? '', response };
  if (context.includeCallIds) functionResponse.id = part.toolCallId;
  if (media.length > 0) {
    context.warnings.push({
      type: 'lossy',
      field,
      message: 'images in tool results are sent as parts after the function response',
    });
  }
  return [{ functionResponse }, ...media.map((image) => convertMedia(image as ImagePart))];
}

function textsOf(content: Array<TextPart | ImagePart>): string[] {
  return content.flatMap((item) => (item.type === 'text' ? [item.text] : []));
}

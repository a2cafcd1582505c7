import type { FilePart, ImagePart, MediaSource, UserContentPart } from '../../core/model/content-part.js';
import { validateRequest } from '../../core/model/validate-request.js';
import type { Warning } from '../../core/model/warning.js';
import {
  type OpenAIContentPart,
  openAIFilePartSchema,
  openAIImagePartSchema,
  openAITextPartSchema,
} from './openai-chat-request-schema.js';

/** Where a part is (`messages[1].content[0]`) and where its warnings go. */
export interface PartContext {
  path: string;
  warnings: Warning[];
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/** A `data:<type>;base64,<data>` URL → a base64 source; any other URL stays a URL. */
export function decodeMediaUrl(url: string): MediaSource {
  const match = DATA_URL.exec(url);
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return { type: 'base64', mediaType: match[1], data: match[2] };
  }
  return { type: 'url', url };
}

/** Content that must be text only (system, developer, assistant, tool): text parts joined. */
export function decodeTextContent(
  content: string | OpenAIContentPart[] | null | undefined,
  context: PartContext,
): string[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [content];
  const texts: string[] = [];
  content.forEach((part, index) => {
    const path = `${context.path}.content[${index}]`;
    if (part.type === 'text') texts.push(validateRequest(openAITextPartSchema, part, [path]).text);
    else if (part.type === 'refusal' && typeof part.refusal === 'string') texts.push(part.refusal);
    else unsupportedPart(part, { ...context, path });
  });
  return texts;
}

export function decodeUserContent(
  content: string | OpenAIContentPart[] | null | undefined,
  context: PartContext,
): UserContentPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: UserContentPart[] = [];
  content.forEach((part, index) => {
    const at = { ...context, path: `${context.path}.content[${index}]` };
    const decoded = decodeUserPart(part, at);
    if (decoded) parts.push(decoded);
  });
  return parts;
}

function decodeUserPart(part: OpenAIContentPart, context: PartContext): UserContentPart | undefined {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: validateRequest(openAITextPartSchema, part, [context.path]).text };
    case 'image_url':
      return decodeImagePart(part, context);
    case 'file':
      return decodeFilePart(part, context);
    default:
      unsupportedPart(part, context);
      return undefined;
  }
}

function decodeImagePart(part: OpenAIContentPart, context: PartContext): ImagePart {
  const image = validateRequest(openAIImagePartSchema, part, [context.path]).image_url;
  if (typeof image === 'string') return { type: 'image', source: decodeMediaUrl(image) };
  if (image.detail && image.detail !== 'auto') {
    context.warnings.push({
      type: 'unsupported',
      field: `${context.path}.image_url.detail`,
      message: `image detail "${image.detail}" is not carried over`,
    });
  }
  return { type: 'image', source: decodeMediaUrl(image.url) };
}

function decodeFilePart(part: OpenAIContentPart, context: PartContext): FilePart | undefined {
  const { file } = validateRequest(openAIFilePartSchema, part, [context.path]);
  if (!file.file_data) {
    context.warnings.push({
      type: 'unsupported',
      field: `${context.path}.file`,
      message: 'files referenced by file_id cannot be translated; dropped',
    });
    return undefined;
  }
  const source = decodeMediaUrl(file.file_data);
  const result: FilePart = {
    type: 'file',
    // OpenAI also accepts bare base64 file data; it is a PDF in practice.
    source:
      source.type === 'url' ? { type: 'base64', mediaType: 'application/pdf', data: file.file_data } : source,
  };
  if (file.filename) result.filename = file.filename;
  return result;
}

function unsupportedPart(part: OpenAIContentPart, context: PartContext): void {
  context.warnings.push({
    type: 'unsupported',
    field: context.path,
    message: `"${part.type}" content parts cannot be translated; dropped`,
  });
}

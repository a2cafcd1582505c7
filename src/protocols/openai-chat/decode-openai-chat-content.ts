import { isJsonObject } from '../../core/json.js';
import type {
  CacheControl,
  FilePart,
  ImagePart,
  MediaSource,
  TextPart,
  UserContentPart,
} from '../../core/model/content-part.js';
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

/**
 * `cache_control` on a content part or a tool. Not OpenAI's own field, but how OpenAI-compatible
 * gateways (LiteLLM, OpenRouter) let clients mark Anthropic prompt-cache breakpoints: kept, so an
 * Anthropic upstream gets it; other upstreams ignore it with a warning.
 */
export function decodeCacheControl(value: unknown, context: PartContext): CacheControl | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value) || value.type !== 'ephemeral') {
    context.warnings.push({
      type: 'unsupported',
      field: `${context.path}.cache_control`,
      message: 'only {"type": "ephemeral"} cache breakpoints are understood; dropped',
    });
    return undefined;
  }
  return value.ttl === '5m' || value.ttl === '1h'
    ? { type: 'ephemeral', ttl: value.ttl }
    : { type: 'ephemeral' };
}

/** Adds the part's `cache_control`, when it has one. */
function withCacheControl<T extends object>(
  decoded: T,
  part: OpenAIContentPart,
  context: PartContext,
): T & { cacheControl?: CacheControl } {
  const cacheControl = decodeCacheControl(part.cache_control, context);
  return cacheControl ? { ...decoded, cacheControl } : decoded;
}

/** Content that must be text only (system, developer, assistant, tool): its text parts. */
export function decodeTextContent(
  content: string | OpenAIContentPart[] | null | undefined,
  context: PartContext,
): TextPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const texts: TextPart[] = [];
  content.forEach((part, index) => {
    const at: PartContext = { path: `${context.path}.content[${index}]`, warnings: context.warnings };
    if (part.type === 'text') {
      const { text } = validateRequest(openAITextPartSchema, part, [at.path]);
      texts.push(withCacheControl<TextPart>({ type: 'text', text }, part, at));
    } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
      texts.push({ type: 'text', text: part.refusal });
    } else unsupportedPart(part, at);
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
    const at: PartContext = { path: `${context.path}.content[${index}]`, warnings: context.warnings };
    const decoded = decodeUserPart(part, at);
    if (decoded) parts.push(decoded);
  });
  return parts;
}

function decodeUserPart(part: OpenAIContentPart, context: PartContext): UserContentPart | undefined {
  switch (part.type) {
    case 'text': {
      const { text } = validateRequest(openAITextPartSchema, part, [context.path]);
      return withCacheControl<TextPart>({ type: 'text', text }, part, context);
    }
    case 'image_url':
      return withCacheControl(decodeImagePart(part, context), part, context);
    case 'file': {
      const file = decodeFilePart(part, context);
      return file && withCacheControl(file, part, context);
    }
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

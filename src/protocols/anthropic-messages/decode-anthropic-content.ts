import type { z } from 'zod';
import type {
  CacheControl,
  FilePart,
  ImagePart,
  MediaSource,
  TextPart,
  ToolResultPart,
} from '../../core/model/content-part.js';
import { validateRequest } from '../../core/model/validate-request.js';
import type { Warning } from '../../core/model/warning.js';
import {
  type AnthropicAnyBlock,
  type AnthropicTextBlock,
  type anthropicCacheControlSchema,
  anthropicDocumentBlockSchema,
  anthropicImageBlockSchema,
  anthropicTextBlockSchema,
  anthropicToolResultBlockSchema,
} from './anthropic-request-schema.js';

/** Where a block is (`messages[1].content[0]`) and where its warnings go. */
export interface BlockContext {
  path: string;
  warnings: Warning[];
}

type AnthropicCacheControl = z.infer<typeof anthropicCacheControlSchema>;

/** Anthropic `cache_control` → canonical; only `ephemeral` exists today, anything else is reported. */
export function decodeCacheControl(
  value: AnthropicCacheControl | null | undefined,
  context: BlockContext,
): CacheControl | undefined {
  if (!value) return undefined;
  if (value.type !== 'ephemeral') {
    context.warnings.push({
      type: 'unsupported',
      field: `${context.path}.cache_control`,
      message: `cache_control type "${value.type}" is not supported; dropped`,
    });
    return undefined;
  }
  return value.ttl === '5m' || value.ttl === '1h'
    ? { type: 'ephemeral', ttl: value.ttl }
    : { type: 'ephemeral' };
}

/** Adds `cacheControl` only when there is one, so parts stay free of `undefined` fields. */
export function withCacheControl<T extends object>(part: T, cacheControl: CacheControl | undefined): T {
  return cacheControl ? { ...part, cacheControl } : part;
}

/** A content block of type `text`, checked here (the request schema checks only its `type`). */
export function decodeTextBlock(block: AnthropicAnyBlock, context: BlockContext): TextPart {
  return decodeCheckedTextBlock(validateRequest(anthropicTextBlockSchema, block, [context.path]), context);
}

/**
 * A text block the request schema already checked whole (the `system` blocks), without checking it
 * a second time.
 */
export function decodeCheckedTextBlock(block: AnthropicTextBlock, context: BlockContext): TextPart {
  return withCacheControl<TextPart>(
    { type: 'text', text: block.text },
    decodeCacheControl(block.cache_control, context),
  );
}

export function decodeImageBlock(block: AnthropicAnyBlock, context: BlockContext): ImagePart | undefined {
  const image = validateRequest(anthropicImageBlockSchema, block, [context.path]);
  const source = decodeMediaSource(image.source, context);
  if (!source) return undefined;
  return withCacheControl<ImagePart>(
    { type: 'image', source },
    decodeCacheControl(image.cache_control, context),
  );
}

export function decodeDocumentBlock(block: AnthropicAnyBlock, context: BlockContext): FilePart | undefined {
  const document = validateRequest(anthropicDocumentBlockSchema, block, [context.path]);
  const source = decodeMediaSource(document.source, context);
  if (!source) return undefined;
  const part: FilePart = { type: 'file', source };
  if (document.title) part.filename = document.title;
  return withCacheControl(part, decodeCacheControl(document.cache_control, context));
}

function decodeMediaSource(source: Record<string, unknown>, context: BlockContext): MediaSource | undefined {
  if (source.type === 'base64' && typeof source.media_type === 'string' && typeof source.data === 'string') {
    return { type: 'base64', mediaType: source.media_type, data: source.data };
  }
  if (source.type === 'url' && typeof source.url === 'string') return { type: 'url', url: source.url };
  // Plain-text documents become a base64 text/plain file, which every provider can take.
  if (source.type === 'text' && typeof source.data === 'string') {
    return {
      type: 'base64',
      mediaType: 'text/plain',
      data: Buffer.from(source.data, 'utf8').toString('base64'),
    };
  }
  context.warnings.push({
    type: 'unsupported',
    field: `${context.path}.source`,
    message: `source type "${String(source.type)}" cannot be translated (only base64, url and text); block dropped`,
  });
  return undefined;
}

/** A `tool_result` block; `toolNames` maps earlier tool_use ids to their tool names. */
export function decodeToolResultBlock(
  block: AnthropicAnyBlock,
  context: BlockContext & { toolNames: ReadonlyMap<string, string> },
): ToolResultPart {
  const result = validateRequest(anthropicToolResultBlockSchema, block, [context.path]);
  const part: ToolResultPart = {
    type: 'tool-result',
    toolCallId: result.tool_use_id,
    content: decodeToolResultContent(result.content, context),
  };
  const toolName = context.toolNames.get(result.tool_use_id);
  if (toolName !== undefined) part.toolName = toolName;
  if (result.is_error !== undefined) part.isError = result.is_error;
  return withCacheControl(part, decodeCacheControl(result.cache_control, context));
}

function decodeToolResultContent(
  content: string | AnthropicAnyBlock[] | undefined,
  context: BlockContext,
): ToolResultPart['content'] {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  const parts: Array<TextPart | ImagePart> = [];
  content.forEach((block, index) => {
    const blockContext: BlockContext = {
      path: `${context.path}.content[${index}]`,
      warnings: context.warnings,
    };
    if (block.type === 'text') parts.push(decodeTextBlock(block, blockContext));
    else if (block.type === 'image') {
      const image = decodeImageBlock(block, blockContext);
      if (image) parts.push(image);
    } else {
      context.warnings.push({
        type: 'unsupported',
        field: blockContext.path,
        message: `"${block.type}" blocks inside tool results cannot be translated; dropped`,
      });
    }
  });
  return parts;
}

import { z } from 'zod';
import { jsonObjectSchema, jsonValueSchema } from '../../core/model/json-value-schema.js';

/**
 * Zod schemas for the Anthropic Messages request a client sends (`POST /v1/messages`). They check
 * structure only: unknown fields are allowed (`looseObject`) so the decoder can keep or report them,
 * and content blocks are checked one by one with the schema of their `type`.
 */

export const anthropicCacheControlSchema = z.looseObject({ type: z.string(), ttl: z.string().optional() });

const base64SourceSchema = z.looseObject({
  type: z.literal('base64'),
  media_type: z.string(),
  data: z.string(),
});
const urlSourceSchema = z.looseObject({ type: z.literal('url'), url: z.string() });
const textSourceSchema = z.looseObject({ type: z.literal('text'), media_type: z.string(), data: z.string() });
const otherSourceSchema = z.looseObject({ type: z.string() });

export const anthropicTextBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: anthropicCacheControlSchema.nullish(),
});
export type AnthropicTextBlock = z.infer<typeof anthropicTextBlockSchema>;

export const anthropicImageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: z.union([base64SourceSchema, urlSourceSchema, otherSourceSchema]),
  cache_control: anthropicCacheControlSchema.nullish(),
});

export const anthropicDocumentBlockSchema = z.looseObject({
  type: z.literal('document'),
  source: z.union([base64SourceSchema, urlSourceSchema, textSourceSchema, otherSourceSchema]),
  title: z.string().nullish(),
  cache_control: anthropicCacheControlSchema.nullish(),
});

export const anthropicToolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: jsonValueSchema,
  cache_control: anthropicCacheControlSchema.nullish(),
});

export const anthropicToolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: anthropicCacheControlSchema.nullish(),
});

export const anthropicThinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
});

export const anthropicRedactedThinkingBlockSchema = z.looseObject({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

/** A content block before its type-specific check. */
export const anthropicAnyBlockSchema = z.looseObject({ type: z.string() });
export type AnthropicAnyBlock = z.infer<typeof anthropicAnyBlockSchema>;

export const anthropicMessageSchema = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(anthropicAnyBlockSchema)]),
});
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;

export const anthropicToolSchema = z.looseObject({
  type: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  input_schema: jsonObjectSchema.optional(),
  cache_control: anthropicCacheControlSchema.nullish(),
});

export const anthropicToolChoiceSchema = z.looseObject({
  type: z.enum(['auto', 'any', 'tool', 'none']),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().optional(),
});

export const anthropicThinkingSchema = z.looseObject({
  type: z.enum(['enabled', 'disabled', 'adaptive']),
  budget_tokens: z.number().int().positive().optional(),
});

const jsonSchemaFormatSchema = z.looseObject({
  type: z.literal('json_schema'),
  schema: jsonObjectSchema,
});

export const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(anthropicMessageSchema),
  system: z.union([z.string(), z.array(anthropicTextBlockSchema)]).optional(),
  max_tokens: z.number().int().positive().optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  top_k: z.number().int().optional(),
  tools: z.array(anthropicToolSchema).optional(),
  tool_choice: anthropicToolChoiceSchema.optional(),
  thinking: anthropicThinkingSchema.optional(),
  output_config: z
    .looseObject({ effort: z.string().optional(), format: jsonSchemaFormatSchema.nullish() })
    .optional(),
  /** The structured-outputs beta spelling, before it moved under `output_config.format`. */
  output_format: jsonSchemaFormatSchema.nullish(),
  context_management: jsonObjectSchema.nullish(),
});
export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;

/** Top-level fields the decoder maps; anything else goes to `providerOptions.anthropic.extraBody`. */
export const MODELED_REQUEST_FIELDS = new Set(Object.keys(anthropicRequestSchema.shape));

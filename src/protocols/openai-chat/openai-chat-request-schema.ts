import { z } from 'zod';
import { jsonObjectSchema } from '../../core/model/json-value-schema.js';

/**
 * Zod schemas for the OpenAI Chat Completions request a client sends (`POST /v1/chat/completions`).
 * They check structure only: unknown fields are allowed so the decoder can keep or report them;
 * content parts are checked one by one in the decoder. Optional fields accept `null`, which OpenAI
 * SDKs send for unset values.
 */

export const openAIContentPartSchema = z.looseObject({ type: z.string() });
export type OpenAIContentPart = z.infer<typeof openAIContentPartSchema>;

export const openAITextPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

export const openAIImagePartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.looseObject({ url: z.string(), detail: z.string().nullish() })]),
});

export const openAIFilePartSchema = z.looseObject({
  type: z.literal('file'),
  file: z.looseObject({
    file_data: z.string().nullish(),
    file_id: z.string().nullish(),
    filename: z.string().nullish(),
  }),
});

export const openAIToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

export const openAIMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(openAIContentPartSchema)]).nullish(),
  tool_calls: z.array(openAIToolCallSchema).nullish(),
  tool_call_id: z.string().nullish(),
  /** Reasoning text some OpenAI-compatible servers (DeepSeek, vLLM) return and accept back. */
  reasoning_content: z.string().nullish(),
  refusal: z.string().nullish(),
});
export type OpenAIMessage = z.infer<typeof openAIMessageSchema>;

export const openAIToolSchema = z.looseObject({
  type: z.string(),
  function: z
    .looseObject({
      name: z.string(),
      description: z.string().nullish(),
      parameters: jsonObjectSchema.nullish(),
      strict: z.boolean().nullish(),
    })
    .optional(),
});

export const openAIToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
  z.looseObject({ type: z.string() }),
]);

export const openAIResponseFormatSchema = z.looseObject({
  type: z.enum(['text', 'json_object', 'json_schema']),
  json_schema: z
    .looseObject({
      name: z.string().nullish(),
      description: z.string().nullish(),
      schema: jsonObjectSchema.nullish(),
      strict: z.boolean().nullish(),
    })
    .nullish(),
});

export const openAIChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(openAIMessageSchema),
  tools: z.array(openAIToolSchema).nullish(),
  tool_choice: openAIToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  /** Not OpenAI, but sent by clients of OpenAI-compatible servers that support it. */
  top_k: z.number().int().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  response_format: openAIResponseFormatSchema.nullish(),
  reasoning_effort: z.string().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  user: z.string().nullish(),
  n: z.number().int().nullish(),
});
export type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;

/** Top-level fields the decoder maps; anything else goes to `providerOptions.openai.extraBody`. */
export const MODELED_REQUEST_FIELDS = new Set(Object.keys(openAIChatRequestSchema.shape));

import { z } from 'zod';
import { jsonObjectSchema } from '../../core/model/json-value-schema.js';

/**
 * Zod schemas for the OpenAI Responses request a client sends (`POST /v1/responses`, as Codex CLI and
 * the `openai` SDKs send it). They check structure only: unknown fields are allowed, and input items
 * and content parts are checked one by one with the schema of their `type`.
 */

/** A content part or input item before its type-specific check. */
export const responsesAnyItemSchema = z.looseObject({
  type: z.string().optional(),
  role: z.string().optional(),
});
export type ResponsesAnyItem = z.infer<typeof responsesAnyItemSchema>;

export const responsesTextPartSchema = z.looseObject({
  type: z.enum(['input_text', 'output_text']),
  text: z.string(),
});
export const responsesRefusalPartSchema = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
export const responsesImagePartSchema = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
});
export const responsesFilePartSchema = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  file_id: z.string().nullish(),
  filename: z.string().nullish(),
});

export const responsesMessageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(responsesAnyItemSchema)]),
});
export type ResponsesMessageItem = z.infer<typeof responsesMessageItemSchema>;

export const responsesFunctionCallSchema = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
  namespace: z.string().nullish(),
});

export const responsesFunctionCallOutputSchema = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string(),
  output: z.union([z.string(), z.array(responsesAnyItemSchema)]),
});

export const responsesReasoningItemSchema = z.looseObject({
  type: z.literal('reasoning'),
  summary: z.array(z.looseObject({ text: z.string() })).default([]),
  content: z.array(z.looseObject({ text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});

export const responsesFunctionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: jsonObjectSchema.nullish(),
  strict: z.boolean().nullish(),
});
export type ResponsesFunctionTool = z.infer<typeof responsesFunctionToolSchema>;

/** A group of function tools the model sees as `<namespace>` (Codex sends its agent tools this way). */
export const responsesNamespaceToolSchema = z.looseObject({
  type: z.literal('namespace'),
  name: z.string().min(1),
  description: z.string().nullish(),
  tools: z.array(responsesAnyItemSchema),
});

export const responsesAnyToolSchema = z.looseObject({ type: z.string() });

export const responsesToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.string(), name: z.string().optional(), namespace: z.string().nullish() }),
]);

const textFormatSchema = z.looseObject({
  type: z.enum(['text', 'json_object', 'json_schema']),
  name: z.string().optional(),
  schema: jsonObjectSchema.optional(),
  description: z.string().optional(),
  strict: z.boolean().nullish(),
});

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(responsesAnyItemSchema)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(responsesAnyToolSchema).optional(),
  tool_choice: responsesToolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  text: z.looseObject({ format: textFormatSchema.optional(), verbosity: z.string().nullish() }).nullish(),
  store: z.boolean().nullish(),
  prompt_cache_key: z.string().nullish(),
  include: z.array(z.string()).nullish(),
  previous_response_id: z.string().nullish(),
  stream: z.boolean().nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  service_tier: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  truncation: z.string().nullish(),
});
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

import { z } from 'zod';
import { jsonObjectSchema } from '../../core/model/json-value-schema.js';

/**
 * Zod schemas for the Gemini `generateContent` request a client sends (`POST
 * /v1beta/models/{model}:generateContent`, as `@google/genai` and the Gemini CLI send it). They check
 * structure only: unknown fields are allowed (`looseObject`) so the decoder can keep or report them.
 * Parts are checked loosely; the decoder reads the one field that names each part's kind.
 */

export const geminiPartSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).optional(),
  fileData: z.looseObject({ mimeType: z.string().optional(), fileUri: z.string() }).optional(),
  functionCall: z
    .looseObject({ name: z.string(), args: jsonObjectSchema.nullish(), id: z.string().nullish() })
    .optional(),
  functionResponse: z
    .looseObject({
      name: z.string(),
      response: jsonObjectSchema.nullish(),
      id: z.string().nullish(),
      parts: z.array(z.looseObject({})).optional(),
    })
    .optional(),
});
export type GeminiPart = z.infer<typeof geminiPartSchema>;

export const geminiContentSchema = z.looseObject({
  /** `user` or `model`; absent means `user`. `function` is the legacy role of function responses. */
  role: z.string().optional(),
  parts: z.array(geminiPartSchema).default([]),
});
export type GeminiContent = z.infer<typeof geminiContentSchema>;

export const geminiFunctionDeclarationSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** OpenAPI 3.0 subset (upper- or lower-case type names, `nullable`). */
  parameters: jsonObjectSchema.optional(),
  /** Plain JSON Schema; mutually exclusive with `parameters`. */
  parametersJsonSchema: jsonObjectSchema.optional(),
});

export const geminiToolSchema = z.looseObject({
  functionDeclarations: z.array(geminiFunctionDeclarationSchema).optional(),
});
export type GeminiTool = z.infer<typeof geminiToolSchema>;

export const geminiToolConfigSchema = z.looseObject({
  functionCallingConfig: z
    .looseObject({
      mode: z.string().optional(),
      allowedFunctionNames: z.array(z.string()).optional(),
    })
    .optional(),
});

export const geminiThinkingConfigSchema = z.looseObject({
  includeThoughts: z.boolean().optional(),
  thinkingBudget: z.number().int().optional(),
  thinkingLevel: z.string().optional(),
});

export const geminiGenerationConfigSchema = z.looseObject({
  temperature: z.number().optional(),
  topP: z.number().optional(),
  topK: z.number().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  stopSequences: z.array(z.string()).optional(),
  candidateCount: z.number().int().optional(),
  responseMimeType: z.string().optional(),
  responseSchema: jsonObjectSchema.optional(),
  responseJsonSchema: jsonObjectSchema.optional(),
  thinkingConfig: geminiThinkingConfigSchema.optional(),
});
export type GeminiGenerationConfig = z.infer<typeof geminiGenerationConfigSchema>;

export const geminiRequestSchema = z.looseObject({
  contents: z.array(geminiContentSchema),
  /** `@google/genai` always sends a Content; a bare string is accepted too. */
  systemInstruction: z.union([z.string(), geminiContentSchema]).optional(),
  tools: z.array(geminiToolSchema).optional(),
  toolConfig: geminiToolConfigSchema.optional(),
  generationConfig: geminiGenerationConfigSchema.optional(),
  safetySettings: z.array(z.looseObject({})).optional(),
});
export type GeminiRequest = z.infer<typeof geminiRequestSchema>;

/** generationConfig keys the decoder maps; the others are kept in `providerOptions.google.generationConfig`. */
export const MODELED_GENERATION_CONFIG_FIELDS = new Set(Object.keys(geminiGenerationConfigSchema.shape));
/**
 * Top-level keys the decoder maps (or drops: the model travels in the URL); the others are kept in
 * `providerOptions.google.extraBody`.
 */
export const MODELED_REQUEST_FIELDS = new Set([...Object.keys(geminiRequestSchema.shape), 'model']);

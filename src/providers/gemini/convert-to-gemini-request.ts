import type { JsonObject } from '../../core/json.js';
import type {
  CanonicalRequest,
  ReasoningConfig,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
} from '../../core/model/canonical-request.js';
import type { Converted, Warning } from '../../core/model/warning.js';
import { convertToGeminiContents, type GeminiWireContent } from './convert-to-gemini-contents.js';
import {
  convertToGeminiJsonSchema,
  convertToGeminiOpenApiSchema,
  type GeminiSchemaMode,
} from './convert-to-gemini-schema.js';

/** The body of a Gemini `generateContent` request as this converter writes it. */
export interface GeminiRequest {
  contents: GeminiWireContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: JsonObject[];
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
  generationConfig?: JsonObject;
  safetySettings?: JsonObject[];
  [extra: string]: unknown;
}

export interface ConvertToGeminiRequestOptions {
  /** Where tool and response schemas go; see `GeminiSchemaMode`. Default `json-schema`. */
  schemaMode?: GeminiSchemaMode;
  /** Send tool-call ids in function calls and responses (Code Assist serving Claude models). Default false. */
  includeCallIds?: boolean;
  /**
   * Signature for function calls the conversation has none for; default
   * `skip_thought_signature_validator` (see `ContentsContext.fallbackSignature`), `null` for none.
   */
  fallbackSignature?: string | null;
}

/** Gemini accepts at most five stop sequences. */
const MAX_STOP_SEQUENCES = 5;

/**
 * Canonical request → the body of a Gemini `generateContent` / `streamGenerateContent` request (the
 * model goes in the URL, or in the Code Assist envelope). System text becomes `systemInstruction`;
 * `providerOptions.google` contributes built-in tools, safety settings and extra fields without
 * overriding anything set here.
 */
export function convertToGeminiRequest(
  request: CanonicalRequest,
  options: ConvertToGeminiRequestOptions = {},
): Converted<GeminiRequest> {
  const warnings: Warning[] = [];
  const mode = options.schemaMode ?? 'json-schema';
  const google = request.providerOptions.google ?? {};
  const body: GeminiRequest = {
    contents: convertToGeminiContents(request.messages, {
      warnings,
      includeCallIds: options.includeCallIds ?? false,
      fallbackSignature:
        options.fallbackSignature === null
          ? undefined
          : (options.fallbackSignature ?? 'skip_thought_signature_validator'),
    }),
  };
  const system = request.system.filter((part) => part.text !== '').map((part) => ({ text: part.text }));
  if (system.length > 0) body.systemInstruction = { parts: system };
  const tools = convertTools(request, mode);
  const allTools = [...tools, ...(google.builtinTools ?? [])];
  if (allTools.length > 0) body.tools = allTools;
  if (request.toolChoice && tools.length > 0) body.toolConfig = convertToolChoice(request.toolChoice);
  if (request.parallelToolCalls === false) {
    warnings.push({
      type: 'unsupported',
      field: 'parallelToolCalls',
      message: 'Gemini cannot be told to call one tool at a time; ignored',
    });
  }
  const generationConfig = { ...convertGenerationConfig(request, { mode, warnings }) };
  for (const [key, value] of Object.entries(google.generationConfig ?? {})) {
    if (!(key in generationConfig)) generationConfig[key] = value;
  }
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  if (google.safetySettings) body.safetySettings = google.safetySettings;
  for (const [key, value] of Object.entries(google.extraBody ?? {})) if (!(key in body)) body[key] = value;
  warnAboutOtherProviders(request, warnings);
  if (hasCacheControl(request)) {
    warnings.push({
      type: 'unsupported',
      field: 'cacheControl',
      message: 'cache breakpoints ignored; Gemini caches prompt prefixes implicitly',
    });
  }
  return { value: body, warnings };
}

function hasCacheControl(request: CanonicalRequest): boolean {
  const marked = (part: object) => 'cacheControl' in part && part.cacheControl !== undefined;
  return (
    request.system.some(marked) ||
    request.tools.some(marked) ||
    request.messages.some((message) => (message.content as object[]).some(marked))
  );
}

function convertTools(request: CanonicalRequest, mode: GeminiSchemaMode): JsonObject[] {
  if (request.tools.length === 0) return [];
  const declarations = request.tools.map((tool) => {
    const declaration: JsonObject = { name: tool.name };
    if (tool.description !== undefined) declaration.description = tool.description;
    if (mode === 'json-schema')
      declaration.parametersJsonSchema = convertToGeminiJsonSchema(tool.inputSchema);
    else {
      const parameters = convertToGeminiOpenApiSchema(tool.inputSchema);
      if (parameters) declaration.parameters = parameters;
    }
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}

function convertToolChoice(choice: ToolChoice): NonNullable<GeminiRequest['toolConfig']> {
  switch (choice.type) {
    case 'auto':
      return { functionCallingConfig: { mode: 'AUTO' } };
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'required':
      return { functionCallingConfig: { mode: 'ANY' } };
    case 'tool':
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.toolName] } };
  }
}

function convertGenerationConfig(
  request: CanonicalRequest,
  context: { mode: GeminiSchemaMode; warnings: Warning[] },
): JsonObject {
  const config: JsonObject = {};
  const { temperature, topP, topK } = request.sampling;
  if (temperature !== undefined) config.temperature = temperature;
  if (topP !== undefined) config.topP = topP;
  if (topK !== undefined) config.topK = topK;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.stopSequences && request.stopSequences.length > 0) {
    if (request.stopSequences.length > MAX_STOP_SEQUENCES) {
      context.warnings.push({
        type: 'lossy',
        field: 'stopSequences',
        message: `Gemini takes at most ${MAX_STOP_SEQUENCES} stop sequences; the rest were dropped`,
      });
    }
    config.stopSequences = request.stopSequences.slice(0, MAX_STOP_SEQUENCES);
  }
  if (request.responseFormat)
    Object.assign(config, convertResponseFormat(request.responseFormat, context.mode));
  if (request.reasoning) {
    config.thinkingConfig = convertThinking(request.reasoning, {
      model: request.model,
      warnings: context.warnings,
    });
  }
  return config;
}

function convertResponseFormat(format: ResponseFormat, mode: GeminiSchemaMode): JsonObject {
  if (format.type === 'text') return {};
  if (format.type === 'json') return { responseMimeType: 'application/json' };
  if (mode === 'json-schema') {
    return {
      responseMimeType: 'application/json',
      responseJsonSchema: convertToGeminiJsonSchema(format.schema),
    };
  }
  const schema = convertToGeminiOpenApiSchema(format.schema);
  return schema
    ? { responseMimeType: 'application/json', responseSchema: schema }
    : { responseMimeType: 'application/json' };
}

/** Thinking budgets standing in for an effort on Gemini 2.x, which has no `thinkingLevel`. */
const EFFORT_BUDGETS: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 512,
  low: 2048,
  medium: 8192,
  high: 24576,
  xhigh: 24576,
  max: 24576,
};

/**
 * Reasoning → `thinkingConfig`. Off is a zero budget; a budget is sent as is; an effort is a
 * `thinkingLevel` on Gemini 3 and later (LOW…HIGH; xhigh and max read as HIGH, none as MINIMAL) and a
 * budget on Gemini 2.x; neither lets the model decide (`thinkingBudget: -1`). Thoughts are asked for
 * whenever thinking is on, so signatures and summaries come back.
 */
function convertThinking(
  reasoning: ReasoningConfig,
  context: { model: string; warnings: Warning[] },
): JsonObject {
  if (!reasoning.enabled) return { thinkingBudget: 0 };
  if (reasoning.budgetTokens !== undefined)
    return { includeThoughts: true, thinkingBudget: reasoning.budgetTokens };
  const effort = reasoning.effort;
  if (effort === undefined) return { includeThoughts: true, thinkingBudget: -1 };
  if (/^(models\/)?gemini-(1|2)\./.test(context.model))
    return { includeThoughts: true, thinkingBudget: EFFORT_BUDGETS[effort] };
  const level =
    effort === 'none' ? 'MINIMAL' : effort === 'xhigh' || effort === 'max' ? 'HIGH' : effort.toUpperCase();
  if (effort === 'xhigh' || effort === 'max' || effort === 'none') {
    context.warnings.push({
      type: 'lossy',
      field: 'reasoning.effort',
      message: `Gemini has no "${effort}" thinking level; sent as ${level}`,
    });
  }
  return { includeThoughts: true, thinkingLevel: level };
}

function warnAboutOtherProviders(request: CanonicalRequest, warnings: Warning[]): void {
  for (const name of ['anthropic', 'openai'] as const) {
    const options = request.providerOptions[name];
    if (options && Object.keys(options).length > 0) {
      warnings.push({
        type: 'unsupported',
        field: `providerOptions.${name}`,
        message: `options for ${name} upstreams do not apply to Gemini; ignored`,
      });
    }
  }
}

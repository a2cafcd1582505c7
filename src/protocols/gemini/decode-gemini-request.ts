import { isJsonObject, type JsonObject } from '../../core/json.js';
import type {
  CanonicalRequest,
  CanonicalTool,
  GoogleProviderOptions,
  ReasoningConfig,
  ResponseFormat,
  Sampling,
  ToolChoice,
} from '../../core/model/canonical-request.js';
import type { TextPart } from '../../core/model/content-part.js';
import { invalidRequest, validateRequest } from '../../core/model/validate-request.js';
import type { Converted, Warning } from '../../core/model/warning.js';
import { decodeGeminiContents } from './decode-gemini-contents.js';
import { decodeGeminiSchema } from './decode-gemini-schema.js';
import {
  type GeminiGenerationConfig,
  type GeminiRequest,
  type GeminiTool,
  geminiRequestSchema,
  MODELED_GENERATION_CONFIG_FIELDS,
  MODELED_REQUEST_FIELDS,
} from './gemini-request-schema.js';

/** What the URL of a Gemini request says; the body carries neither. */
export interface GeminiRequestContext {
  /** The `{model}` of `/v1beta/models/{model}:generateContent`, without a `models/` prefix. */
  model: string;
  /** True for `:streamGenerateContent`. */
  stream: boolean;
}

/** The canonical request plus what only the Gemini encoders need. */
export interface DecodedGeminiRequest extends Converted<CanonicalRequest> {
  /**
   * `generationConfig.thinkingConfig.includeThoughts`: whether the client wants thought summaries
   * back. Pass it to `encodeGeminiResponse` / `createGeminiStreamEncoder`.
   */
  includeThoughts: boolean;
}

/**
 * A Gemini `generateContent` body → the canonical request. Throws `invalid_request` naming the field
 * when the body is structurally invalid; drops what cannot be translated with a warning. Built-in
 * tools, safety settings and unmodeled fields are kept in `providerOptions.google`.
 */
export function decodeGeminiRequest(body: unknown, context: GeminiRequestContext): DecodedGeminiRequest {
  if (!isJsonObject(body)) throw invalidRequest('(body)', 'expected a JSON object');
  const request = validateRequest(geminiRequestSchema, body);
  const warnings: Warning[] = [];
  const config = request.generationConfig ?? {};
  const { tools, builtinTools } = decodeTools(request.tools ?? []);
  const value: CanonicalRequest = {
    model: context.model.replace(/^models\//, ''),
    system: decodeSystem(request.systemInstruction),
    messages: decodeGeminiContents(request.contents, warnings),
    tools,
    sampling: decodeSampling(config),
    stream: context.stream,
    metadata: {},
    providerOptions: {},
  };
  const toolChoice = decodeToolChoice(request, warnings);
  if (toolChoice) value.toolChoice = toolChoice;
  if (config.maxOutputTokens !== undefined) value.maxOutputTokens = config.maxOutputTokens;
  if (config.stopSequences !== undefined) value.stopSequences = config.stopSequences;
  const responseFormat = decodeResponseFormat(config, warnings);
  if (responseFormat) value.responseFormat = responseFormat;
  const reasoning = decodeReasoning(config, warnings);
  if (reasoning) value.reasoning = reasoning;
  if (config.candidateCount !== undefined && config.candidateCount > 1) {
    warnings.push({
      type: 'unsupported',
      field: 'generationConfig.candidateCount',
      message: 'only one candidate can be generated; asking for one',
    });
  }
  const google = decodeProviderOptions({ body, request, builtinTools });
  if (google) value.providerOptions.google = google;
  return { value, warnings, includeThoughts: config.thinkingConfig?.includeThoughts ?? false };
}

function decodeSystem(system: GeminiRequest['systemInstruction']): TextPart[] {
  if (system === undefined) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  return system.parts.flatMap((part) => (part.text ? [{ type: 'text' as const, text: part.text }] : []));
}

function decodeSampling(config: GeminiGenerationConfig): Sampling {
  const sampling: Sampling = {};
  if (config.temperature !== undefined) sampling.temperature = config.temperature;
  if (config.topP !== undefined) sampling.topP = config.topP;
  if (config.topK !== undefined) sampling.topK = config.topK;
  return sampling;
}

/** Function declarations become canonical tools; other tools (`googleSearch`, …) are kept as sent. */
function decodeTools(tools: GeminiTool[]): { tools: CanonicalTool[]; builtinTools: JsonObject[] } {
  const result: CanonicalTool[] = [];
  const builtinTools: JsonObject[] = [];
  for (const tool of tools) {
    const { functionDeclarations, ...rest } = tool;
    for (const declaration of functionDeclarations ?? []) {
      const schema = declaration.parametersJsonSchema
        ? (declaration.parametersJsonSchema as JsonObject)
        : declaration.parameters
          ? decodeGeminiSchema(declaration.parameters as JsonObject)
          : { type: 'object', properties: {} };
      const canonical: CanonicalTool = { name: declaration.name, inputSchema: schema };
      if (declaration.description !== undefined) canonical.description = declaration.description;
      result.push(canonical);
    }
    if (Object.keys(rest).length > 0) builtinTools.push(rest as JsonObject);
  }
  return { tools: result, builtinTools };
}

/**
 * `functionCallingConfig.mode`: AUTO → auto, NONE → none, ANY → required (or the one tool when
 * `allowedFunctionNames` names exactly one). VALIDATED (calls checked against the schema) reads as
 * auto, which is what the other providers do anyway.
 */
function decodeToolChoice(request: GeminiRequest, warnings: Warning[]): ToolChoice | undefined {
  const config = request.toolConfig?.functionCallingConfig;
  const mode = config?.mode?.toUpperCase();
  if (mode === undefined || mode === 'MODE_UNSPECIFIED') return undefined;
  const allowed = config?.allowedFunctionNames ?? [];
  if (mode === 'NONE') return { type: 'none' };
  if (mode === 'AUTO' || mode === 'VALIDATED') return { type: 'auto' };
  if (mode === 'ANY') {
    const [only] = allowed;
    if (allowed.length === 1 && only !== undefined) return { type: 'tool', toolName: only };
    if (allowed.length > 1) {
      warnings.push({
        type: 'lossy',
        field: 'toolConfig.functionCallingConfig.allowedFunctionNames',
        message: 'a subset of allowed functions cannot be expressed; any tool may be called',
      });
    }
    return { type: 'required' };
  }
  warnings.push({
    type: 'unsupported',
    field: 'toolConfig.functionCallingConfig.mode',
    message: `unknown mode "${config?.mode}"; the model decides`,
  });
  return undefined;
}

function decodeResponseFormat(
  config: GeminiGenerationConfig,
  warnings: Warning[],
): ResponseFormat | undefined {
  const mimeType = config.responseMimeType;
  if (mimeType === undefined || mimeType === 'text/plain') return undefined;
  if (mimeType !== 'application/json') {
    warnings.push({
      type: 'unsupported',
      field: 'generationConfig.responseMimeType',
      message: `response type "${mimeType}" cannot be translated; free text`,
    });
    return undefined;
  }
  if (config.responseJsonSchema)
    return { type: 'json_schema', schema: config.responseJsonSchema as JsonObject };
  if (config.responseSchema) {
    return { type: 'json_schema', schema: decodeGeminiSchema(config.responseSchema as JsonObject) };
  }
  return { type: 'json' };
}

const THINKING_LEVELS = ['minimal', 'low', 'medium', 'high'] as const;

/**
 * `thinkingConfig`: budget 0 turns thinking off, -1 lets the model decide, a positive budget is a
 * fixed budget; `thinkingLevel` (Gemini 3) is an effort. `includeThoughts` alone means the client
 * wants thoughts, so thinking is on.
 */
function decodeReasoning(config: GeminiGenerationConfig, warnings: Warning[]): ReasoningConfig | undefined {
  const thinking = config.thinkingConfig;
  if (!thinking) return undefined;
  const { thinkingBudget: budget, thinkingLevel } = thinking;
  if (budget === 0) return { enabled: false };
  const reasoning: ReasoningConfig = { enabled: true };
  if (budget !== undefined && budget > 0) reasoning.budgetTokens = budget;
  const level = thinkingLevel?.toLowerCase();
  if (level !== undefined && level !== 'thinking_level_unspecified') {
    if ((THINKING_LEVELS as readonly string[]).includes(level)) {
      reasoning.effort = level as (typeof THINKING_LEVELS)[number];
    } else {
      warnings.push({
        type: 'unsupported',
        field: 'generationConfig.thinkingConfig.thinkingLevel',
        message: `unknown thinking level "${thinkingLevel}"; dropped`,
      });
    }
  }
  const saysSomething = budget !== undefined || reasoning.effort !== undefined || thinking.includeThoughts;
  return saysSomething ? reasoning : undefined;
}

function decodeProviderOptions(options: {
  body: JsonObject;
  request: GeminiRequest;
  builtinTools: JsonObject[];
}): GoogleProviderOptions | undefined {
  const { body, request, builtinTools } = options;
  const google: GoogleProviderOptions = {};
  if (builtinTools.length > 0) google.builtinTools = builtinTools;
  if (request.safetySettings && request.safetySettings.length > 0) {
    google.safetySettings = request.safetySettings as JsonObject[];
  }
  const generationConfig = pickUnmodeled(body.generationConfig, MODELED_GENERATION_CONFIG_FIELDS);
  if (generationConfig) google.generationConfig = generationConfig;
  const extraBody = pickUnmodeled(body, MODELED_REQUEST_FIELDS);
  if (extraBody) google.extraBody = extraBody;
  return Object.keys(google).length > 0 ? google : undefined;
}

function pickUnmodeled(value: unknown, modeled: ReadonlySet<string>): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;
  const extra: JsonObject = {};
  for (const [key, field] of Object.entries(value)) if (!modeled.has(key)) extra[key] = field;
  return Object.keys(extra).length > 0 ? extra : undefined;
}

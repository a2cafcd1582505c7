import { isJsonObject, type JsonObject } from '../../core/json.js';
import {
  type CanonicalRequest,
  type CanonicalTool,
  type OpenAIProviderOptions,
  REASONING_EFFORTS,
  type ReasoningEffort,
  type ResponseFormat,
  type Sampling,
  type ToolChoice,
} from '../../core/model/canonical-request.js';
import { setOwnProperty } from '../../core/model/set-own-property.js';
import { invalidRequest, validateRequest } from '../../core/model/validate-request.js';
import type { Converted, Warning } from '../../core/model/warning.js';
import { decodeCacheControl } from './decode-openai-chat-content.js';
import { decodeOpenAIChatMessages } from './decode-openai-chat-messages.js';
import {
  MODELED_REQUEST_FIELDS,
  type OpenAIChatRequest,
  openAIChatRequestSchema,
} from './openai-chat-request-schema.js';

/**
 * An OpenAI Chat Completions request body (as a client sent it to `POST /v1/chat/completions`) →
 * the canonical request. Throws `invalid_request` naming the field when the body is structurally
 * invalid; drops what cannot be translated with a warning (non-function tools, audio, `n` > 1).
 * Fields the canonical model does not cover (`seed`, `logit_bias`, penalties, `service_tier`, …) are
 * kept in `providerOptions.openai.extraBody`. A tool's `strict` flag is OpenAI-only and not kept.
 * `cache_control` on content parts and tools (the LiteLLM/OpenRouter convention for Anthropic
 * prompt caching) becomes the parts' and tools' cache breakpoints.
 */
export function decodeOpenAIChatRequest(body: unknown): Converted<CanonicalRequest> {
  if (!isJsonObject(body)) throw invalidRequest('(body)', 'expected a JSON object');
  const request = validateRequest(openAIChatRequestSchema, body);
  const warnings: Warning[] = [];
  const { leadingSystem, messages } = decodeOpenAIChatMessages(request.messages, warnings);
  const value: CanonicalRequest = {
    model: request.model,
    system: leadingSystem,
    messages,
    tools: decodeTools(request.tools, warnings),
    sampling: decodeSampling(request),
    stream: request.stream ?? false,
    metadata: request.user ? { userId: request.user } : {},
    providerOptions: {},
  };
  const toolChoice = decodeToolChoice(request.tool_choice, warnings);
  if (toolChoice) value.toolChoice = toolChoice;
  if (typeof request.parallel_tool_calls === 'boolean') value.parallelToolCalls = request.parallel_tool_calls;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== null && maxTokens !== undefined) value.maxOutputTokens = maxTokens;
  if (request.stop !== null && request.stop !== undefined) {
    value.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  }
  const responseFormat = decodeResponseFormat(request.response_format);
  if (responseFormat) value.responseFormat = responseFormat;
  const effort = decodeEffort(request.reasoning_effort, warnings);
  if (effort) value.reasoning = { enabled: effort !== 'none', effort };
  if (request.n !== null && request.n !== undefined && request.n > 1) {
    warnings.push({ type: 'unsupported', field: 'n', message: 'only one choice can be produced; n ignored' });
  }
  const openai = decodeProviderOptions(body, request);
  if (openai) value.providerOptions.openai = openai;
  return { value, warnings };
}

function decodeSampling(request: OpenAIChatRequest): Sampling {
  const sampling: Sampling = {};
  if (typeof request.temperature === 'number') sampling.temperature = request.temperature;
  if (typeof request.top_p === 'number') sampling.topP = request.top_p;
  if (typeof request.top_k === 'number') sampling.topK = request.top_k;
  return sampling;
}

function decodeTools(tools: OpenAIChatRequest['tools'], warnings: Warning[]): CanonicalTool[] {
  const result: CanonicalTool[] = [];
  (tools ?? []).forEach((tool, index) => {
    if (tool.type !== 'function') {
      warnings.push({
        type: 'unsupported',
        field: `tools[${index}]`,
        message: `"${tool.type}" tools are dropped`,
      });
      return;
    }
    if (!tool.function) throw invalidRequest(`tools[${index}].function`, 'required for function tools');
    const canonical: CanonicalTool = {
      name: tool.function.name,
      // OpenAI allows omitting parameters for a tool without arguments.
      inputSchema: (tool.function.parameters as JsonObject | null | undefined) ?? {
        type: 'object',
        properties: {},
      },
    };
    if (tool.function.description) canonical.description = tool.function.description;
    const cacheControl = decodeCacheControl(tool.cache_control, { path: `tools[${index}]`, warnings });
    if (cacheControl) canonical.cacheControl = cacheControl;
    result.push(canonical);
  });
  return result;
}

function decodeToolChoice(
  choice: OpenAIChatRequest['tool_choice'],
  warnings: Warning[],
): ToolChoice | undefined {
  if (choice === null || choice === undefined) return undefined;
  if (typeof choice === 'string') return { type: choice };
  const name = isJsonObject(choice.function) ? choice.function.name : undefined;
  if (choice.type === 'function' && typeof name === 'string') return { type: 'tool', toolName: name };
  warnings.push({
    type: 'unsupported',
    field: 'tool_choice',
    message: `tool_choice "${choice.type}" ignored`,
  });
  return undefined;
}

function decodeResponseFormat(format: OpenAIChatRequest['response_format']): ResponseFormat | undefined {
  if (!format) return undefined;
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const jsonSchema = format.json_schema;
  if (!jsonSchema?.schema)
    throw invalidRequest('response_format.json_schema.schema', 'required for json_schema');
  const result: ResponseFormat = { type: 'json_schema', schema: jsonSchema.schema as JsonObject };
  if (jsonSchema.name) result.name = jsonSchema.name;
  if (jsonSchema.description) result.description = jsonSchema.description;
  if (typeof jsonSchema.strict === 'boolean') result.strict = jsonSchema.strict;
  return result;
}

function decodeEffort(effort: string | null | undefined, warnings: Warning[]): ReasoningEffort | undefined {
  if (effort === null || effort === undefined) return undefined;
  if ((REASONING_EFFORTS as readonly string[]).includes(effort)) return effort as ReasoningEffort;
  warnings.push({
    type: 'unsupported',
    field: 'reasoning_effort',
    message: `unknown effort "${effort}"; dropped`,
  });
  return undefined;
}

function decodeProviderOptions(
  body: JsonObject,
  request: OpenAIChatRequest,
): OpenAIProviderOptions | undefined {
  const openai: OpenAIProviderOptions = {};
  if (request.stream_options?.include_usage) openai.includeUsage = true;
  const extraBody: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (!MODELED_REQUEST_FIELDS.has(key) && value !== null) setOwnProperty(extraBody, key, value);
  }
  if (Object.keys(extraBody).length > 0) openai.extraBody = extraBody;
  return Object.keys(openai).length > 0 ? openai : undefined;
}

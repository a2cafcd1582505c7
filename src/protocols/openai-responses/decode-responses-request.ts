import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import {
  type CanonicalRequest,
  type OpenAIProviderOptions,
  REASONING_EFFORTS,
  type ReasoningConfig,
  type ReasoningEffort,
  type ResponseFormat,
  type Sampling,
} from '../../core/model/canonical-request.js';
import { invalidRequest, validateRequest } from '../../core/model/validate-request.js';
import type { Converted, Warning } from '../../core/model/warning.js';
import { decodeResponsesInput } from './decode-responses-input.js';
import { decodeResponsesToolChoice, decodeResponsesTools } from './decode-responses-tools.js';
import type { ResponsesEncodeOptions, ResponsesRequestEcho } from './encode-responses-output.js';
import { type ResponsesRequest, responsesRequestSchema } from './responses-request-schema.js';

/** The canonical request plus what only the gateway and the Responses encoders need. */
export interface DecodedResponsesRequest extends Converted<CanonicalRequest> {
  /**
   * `previous_response_id`: the gateway puts the stored conversation of that response (its input and
   * output) before `value.messages`. `value.system` holds this request's `instructions` only, as
   * OpenAI does not carry instructions over from the previous response.
   */
  previousResponseId?: string;
  /** `store` (default true): whether the gateway keeps this response for a later `previous_response_id`. */
  store: boolean;
  /** Pass to `encodeResponsesResponse` / `createResponsesStreamEncoder` with the response `id` and `createdAt`. */
  encoding: Omit<ResponsesEncodeOptions, 'id' | 'createdAt'>;
}

const EFFORTS: ReadonlySet<string> = new Set(REASONING_EFFORTS);

/**
 * A Responses request body → the canonical request. Throws `invalid_request` naming the field when
 * the body is structurally invalid; drops what cannot be translated (hosted tools, item references)
 * with a warning. `instructions` and leading system/developer messages form the system text.
 */
export function decodeResponsesRequest(body: unknown): DecodedResponsesRequest {
  if (!isJsonObject(body)) throw invalidRequest('(body)', 'expected a JSON object');
  const request = validateRequest(responsesRequestSchema, body);
  const warnings: Warning[] = [];
  const { leadingSystem, messages } = decodeResponsesInput(request.input, warnings);
  const { tools, toolNames } = decodeResponsesTools(request.tools, warnings);
  const instructions = request.instructions ? [{ type: 'text' as const, text: request.instructions }] : [];
  const value: CanonicalRequest = {
    model: request.model,
    system: [...instructions, ...leadingSystem],
    messages,
    tools,
    sampling: decodeSampling(request),
    stream: request.stream ?? false,
    metadata: request.user ? { userId: request.user } : {},
    providerOptions: {},
  };
  const toolChoice = decodeResponsesToolChoice(request.tool_choice, warnings);
  if (toolChoice) value.toolChoice = toolChoice;
  if (request.parallel_tool_calls != null) value.parallelToolCalls = request.parallel_tool_calls;
  if (request.max_output_tokens != null) value.maxOutputTokens = request.max_output_tokens;
  const responseFormat = decodeTextFormat(request);
  if (responseFormat) value.responseFormat = responseFormat;
  const reasoning = decodeReasoning(request, warnings);
  if (reasoning) value.reasoning = reasoning;
  const openai = decodeProviderOptions(request);
  if (openai) value.providerOptions.openai = openai;
  warnAboutIgnoredFields(request, warnings);
  const decoded: DecodedResponsesRequest = {
    value,
    warnings,
    store: request.store ?? true,
    encoding: {
      toolNames,
      includeEncryptedReasoning: request.include?.includes('reasoning.encrypted_content') ?? false,
      echo: echoOf(request, body),
    },
  };
  if (request.previous_response_id) decoded.previousResponseId = request.previous_response_id;
  return decoded;
}

function decodeSampling(request: ResponsesRequest): Sampling {
  const sampling: Sampling = {};
  if (request.temperature != null) sampling.temperature = request.temperature;
  if (request.top_p != null) sampling.topP = request.top_p;
  return sampling;
}

function decodeTextFormat(request: ResponsesRequest): ResponseFormat | undefined {
  const format = request.text?.format;
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json' };
  if (!format.schema)
    throw invalidRequest('text.format.schema', 'required when text.format.type is "json_schema"');
  const result: ResponseFormat = { type: 'json_schema', schema: format.schema as JsonObject };
  if (format.name !== undefined) result.name = format.name;
  if (format.description !== undefined) result.description = format.description;
  if (format.strict != null) result.strict = format.strict;
  return result;
}

/**
 * `reasoning.effort` → effort (`none` turns reasoning off). A summary asked for without an effort
 * means the client expects reasoning, so it is turned on at the model's default effort.
 */
function decodeReasoning(request: ResponsesRequest, warnings: Warning[]): ReasoningConfig | undefined {
  const effort = request.reasoning?.effort;
  const summary = request.reasoning?.summary;
  if (effort == null) return summary != null && summary !== 'none' ? { enabled: true } : undefined;
  if (!EFFORTS.has(effort)) {
    warnings.push({
      type: 'unsupported',
      field: 'reasoning.effort',
      message: `unknown effort "${effort}"; dropped`,
    });
    return summary != null ? { enabled: true } : undefined;
  }
  if (effort === 'none') return { enabled: false };
  return { enabled: true, effort: effort as ReasoningEffort };
}

/** Fields an OpenAI-compatible Chat Completions upstream understands the same way. */
function decodeProviderOptions(request: ResponsesRequest): OpenAIProviderOptions | undefined {
  const extraBody: JsonObject = {};
  if (request.prompt_cache_key) extraBody.prompt_cache_key = request.prompt_cache_key;
  if (request.service_tier) extraBody.service_tier = request.service_tier;
  if (request.safety_identifier) extraBody.safety_identifier = request.safety_identifier;
  if (request.text?.verbosity) extraBody.verbosity = request.text.verbosity;
  return Object.keys(extraBody).length > 0 ? { extraBody } : undefined;
}

function warnAboutIgnoredFields(request: ResponsesRequest, warnings: Warning[]): void {
  if (request.truncation === 'auto') {
    warnings.push({
      type: 'unsupported',
      field: 'truncation',
      message: 'automatic truncation is not supported; the request is sent whole',
    });
  }
  const other = (request.include ?? []).filter((item) => item !== 'reasoning.encrypted_content');
  if (other.length > 0) {
    warnings.push({
      type: 'unsupported',
      field: 'include',
      message: `only reasoning.encrypted_content can be included; ignored ${other.join(', ')}`,
    });
  }
}

function echoOf(request: ResponsesRequest, body: JsonObject): ResponsesRequestEcho {
  return {
    model: request.model,
    instructions: request.instructions ?? null,
    tools: Array.isArray(body.tools) ? body.tools : [],
    tool_choice: (body.tool_choice as JsonValue | undefined) ?? 'auto',
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    max_output_tokens: request.max_output_tokens ?? null,
    temperature: request.temperature ?? null,
    top_p: request.top_p ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    text: isJsonObject(body.text) ? body.text : { format: { type: 'text' } },
    store: request.store ?? true,
    previous_response_id: request.previous_response_id ?? null,
    metadata: request.metadata ?? {},
    truncation: request.truncation ?? 'disabled',
    prompt_cache_key: request.prompt_cache_key ?? null,
    user: request.user ?? null,
  };
}

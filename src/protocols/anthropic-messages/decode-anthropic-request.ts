import { isJsonObject, type JsonObject } from '../../core/json.js';
import {
  type AnthropicProviderOptions,
  type CanonicalRequest,
  type CanonicalTool,
  REASONING_EFFORTS,
  type ReasoningConfig,
  type ReasoningEffort,
  type ResponseFormat,
  type Sampling,
  type ToolChoice,
} from '../../core/model/canonical-request.js';
import type { TextPart } from '../../core/model/content-part.js';
import { setOwnProperty } from '../../core/model/set-own-property.js';
import { invalidRequest, validateRequest } from '../../core/model/validate-request.js';
import type { Converted, Warning } from '../../core/model/warning.js';
import {
  type AnthropicRequest,
  anthropicRequestSchema,
  MODELED_REQUEST_FIELDS,
} from './anthropic-request-schema.js';
import { decodeCacheControl, decodeCheckedTextBlock, withCacheControl } from './decode-anthropic-content.js';
import { decodeAnthropicMessages } from './decode-anthropic-messages.js';

/**
 * An Anthropic Messages request body (as a client sent it to `POST /v1/messages`) → the canonical
 * request. Throws `invalid_request` naming the field when the body is structurally invalid; drops
 * what cannot be translated with a warning. Fields the canonical model does not cover are kept in
 * `providerOptions.anthropic` (builtin tools, `context_management`, any other top-level field).
 */
export function decodeAnthropicRequest(body: unknown): Converted<CanonicalRequest> {
  if (!isJsonObject(body)) throw invalidRequest('(body)', 'expected a JSON object');
  const request = validateRequest(anthropicRequestSchema, body);
  const warnings: Warning[] = [];
  const { leadingSystem, messages } = decodeAnthropicMessages(request.messages, warnings);
  const { tools, builtinTools } = decodeTools(request.tools, warnings);
  const value: CanonicalRequest = {
    model: request.model,
    system: [...decodeSystem(request.system, warnings), ...leadingSystem],
    messages,
    tools,
    sampling: decodeSampling(request),
    stream: request.stream ?? false,
    metadata: request.metadata?.user_id ? { userId: request.metadata.user_id } : {},
    providerOptions: {},
  };
  if (request.max_tokens !== undefined) value.maxOutputTokens = request.max_tokens;
  if (request.stop_sequences !== undefined) value.stopSequences = request.stop_sequences;
  if (request.tool_choice) {
    value.toolChoice = decodeToolChoice(request.tool_choice);
    if (request.tool_choice.disable_parallel_tool_use !== undefined) {
      value.parallelToolCalls = !request.tool_choice.disable_parallel_tool_use;
    }
  }
  const reasoning = decodeReasoning(request, warnings);
  if (reasoning) value.reasoning = reasoning;
  const format = request.output_config?.format ?? request.output_format;
  if (format) value.responseFormat = { type: 'json_schema', schema: format.schema } satisfies ResponseFormat;
  const anthropic = decodeProviderOptions({ body, request, builtinTools });
  if (anthropic) value.providerOptions.anthropic = anthropic;
  return { value, warnings };
}

function decodeSystem(system: AnthropicRequest['system'], warnings: Warning[]): TextPart[] {
  if (system === undefined) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  // The request schema checked these blocks whole: they are not checked again.
  return system.map((block, index) => decodeCheckedTextBlock(block, { path: `system[${index}]`, warnings }));
}

function decodeSampling(request: AnthropicRequest): Sampling {
  const sampling: Sampling = {};
  if (request.temperature !== undefined) sampling.temperature = request.temperature;
  if (request.top_p !== undefined) sampling.topP = request.top_p;
  if (request.top_k !== undefined) sampling.topK = request.top_k;
  return sampling;
}

/** Function tools become canonical tools; typed builtin tools (web search, bash, …) are kept as sent. */
function decodeTools(
  tools: AnthropicRequest['tools'],
  warnings: Warning[],
): {
  tools: CanonicalTool[];
  builtinTools: JsonObject[];
} {
  const result: CanonicalTool[] = [];
  const builtinTools: JsonObject[] = [];
  (tools ?? []).forEach((tool, index) => {
    if (tool.type !== undefined && tool.type !== 'custom') {
      builtinTools.push(tool as JsonObject);
      return;
    }
    if (!tool.input_schema) throw invalidRequest(`tools[${index}].input_schema`, 'required for custom tools');
    const canonical: CanonicalTool = { name: tool.name, inputSchema: tool.input_schema as JsonObject };
    if (tool.description !== undefined) canonical.description = tool.description;
    const cacheControl = decodeCacheControl(tool.cache_control, { path: `tools[${index}]`, warnings });
    result.push(withCacheControl(canonical, cacheControl));
  });
  return { tools: result, builtinTools };
}

function decodeToolChoice(choice: NonNullable<AnthropicRequest['tool_choice']>): ToolChoice {
  switch (choice.type) {
    case 'auto':
      return { type: 'auto' };
    case 'none':
      return { type: 'none' };
    case 'any':
      return { type: 'required' };
    case 'tool':
      if (!choice.name) throw invalidRequest('tool_choice.name', 'required when tool_choice.type is "tool"');
      return { type: 'tool', toolName: choice.name };
  }
}

/** `thinking` and `output_config.effort` together; an effort alone turns adaptive thinking on. */
function decodeReasoning(request: AnthropicRequest, warnings: Warning[]): ReasoningConfig | undefined {
  const effort = decodeEffort(request.output_config?.effort, warnings);
  const thinking = request.thinking;
  if (!thinking && effort === undefined) return undefined;
  const reasoning: ReasoningConfig = { enabled: thinking ? thinking.type !== 'disabled' : true };
  if (thinking?.type === 'enabled') {
    if (thinking.budget_tokens === undefined) {
      throw invalidRequest('thinking.budget_tokens', 'required when thinking.type is "enabled"');
    }
    reasoning.budgetTokens = thinking.budget_tokens;
  }
  if (effort !== undefined) reasoning.effort = effort;
  return reasoning;
}

function decodeEffort(effort: string | undefined, warnings: Warning[]): ReasoningEffort | undefined {
  if (effort === undefined) return undefined;
  if ((REASONING_EFFORTS as readonly string[]).includes(effort)) return effort as ReasoningEffort;
  warnings.push({
    type: 'unsupported',
    field: 'output_config.effort',
    message: `unknown effort "${effort}"; dropped`,
  });
  return undefined;
}

function decodeProviderOptions(options: {
  body: JsonObject;
  request: AnthropicRequest;
  builtinTools: JsonObject[];
}): AnthropicProviderOptions | undefined {
  const { body, request, builtinTools } = options;
  const anthropic: AnthropicProviderOptions = {};
  if (builtinTools.length > 0) anthropic.builtinTools = builtinTools;
  if (request.context_management) anthropic.contextManagement = request.context_management as JsonObject;
  const extraBody: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (!MODELED_REQUEST_FIELDS.has(key)) setOwnProperty(extraBody, key, value);
  }
  const outputConfig = body.output_config;
  if (isJsonObject(outputConfig)) {
    const { effort: _effort, format: _format, ...rest } = outputConfig;
    if (Object.keys(rest).length > 0) extraBody.output_config = rest;
  }
  if (Object.keys(extraBody).length > 0) anthropic.extraBody = extraBody;
  return Object.keys(anthropic).length > 0 ? anthropic : undefined;
}

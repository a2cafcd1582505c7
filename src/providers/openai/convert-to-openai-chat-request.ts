import type { JsonObject, JsonValue } from '../../core/json.js';
import type { CanonicalRequest, ReasoningEffort } from '../../core/model/canonical-request.js';
import { cleanJsonSchema } from '../../core/model/clean-json-schema.js';
import { setOwnProperty } from '../../core/model/set-own-property.js';
import type { Converted, Warning } from '../../core/model/warning.js';
import { convertToOpenAIChatMessages } from './convert-to-openai-chat-messages.js';

/** OpenAI accepts at most this many stop sequences. */
export const MAX_OPENAI_STOP_SEQUENCES = 4;
/** Longest `metadata.userId` sent as `user`; longer ids (Claude Code's JSON user_id) are left out. */
export const MAX_OPENAI_USER_LENGTH = 64;

export interface ConvertToOpenAIChatOptions {
  /**
   * Where the output limit goes: `max_completion_tokens` (default; required by OpenAI reasoning
   * models) or `max_tokens` (older OpenAI-compatible servers only know this one).
   */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  /** Send assistant reasoning back as `reasoning_content` (for DeepSeek-style servers). Default false. */
  reasoningContent?: boolean;
}

/** The Chat Completions request body. Fields not listed are copied from `extraBody` or absent. */
export interface OpenAIChatBody {
  model: string;
  messages: JsonObject[];
  [field: string]: JsonValue | undefined;
}

/**
 * Tool schema rules for OpenAI: `$schema` is removed (several OpenAI-compatible servers reject it),
 * and the root is made an object schema with `properties` (OpenAI rejects object schemas without).
 */
export function convertOpenAIToolSchema(schema: JsonObject): JsonObject {
  return cleanJsonSchema(schema, { removeKeywords: ['$schema'], objectRoot: true });
}

/**
 * Canonical request → the body of a Chat Completions `POST /chat/completions`. Streams always ask
 * for usage (`stream_options.include_usage`) so the gateway can account for every request. Lossy
 * rules, each warned about: `topK` has no OpenAI field; stop sequences beyond 4 are dropped;
 * a thinking budget becomes an effort (≤ 2048 low, ≤ 16384 medium, above high); effort `max`
 * becomes `xhigh`; explicitly disabled thinking is left to the model default (non-reasoning models
 * reject `reasoning_effort`); Anthropic-only options are dropped.
 */
export function convertToOpenAIChatRequest(
  request: CanonicalRequest,
  options: ConvertToOpenAIChatOptions = {},
): Converted<OpenAIChatBody> {
  const warnings: Warning[] = [];
  const messages = convertToOpenAIChatMessages(request, {
    warnings,
    reasoningContent: options.reasoningContent ?? false,
  });
  const body: OpenAIChatBody = { model: request.model, messages };
  addTools(request, body);
  addSampling(request, { body, warnings });
  if (request.maxOutputTokens !== undefined)
    body[options.maxTokensField ?? 'max_completion_tokens'] = request.maxOutputTokens;
  addStop(request, { body, warnings });
  addResponseFormat(request, body);
  const effort = convertEffort(request, warnings);
  if (effort) body.reasoning_effort = effort;
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  addUser(request, { body, warnings });
  for (const [key, value] of Object.entries(request.providerOptions.openai?.extraBody ?? {})) {
    if (!Object.hasOwn(body, key)) setOwnProperty(body, key, value);
  }
  warnForeignOptions(request, warnings);
  return { value: body, warnings };
}

interface BodyContext {
  body: OpenAIChatBody;
  warnings: Warning[];
}

function addTools(request: CanonicalRequest, body: OpenAIChatBody): void {
  if (request.tools.length === 0) return;
  body.tools = request.tools.map((tool) => {
    const fn: JsonObject = { name: tool.name };
    if (tool.description !== undefined) fn.description = tool.description;
    fn.parameters = convertOpenAIToolSchema(tool.inputSchema);
    return { type: 'function', function: fn };
  });
  const choice = request.toolChoice;
  if (choice) {
    body.tool_choice =
      choice.type === 'tool' ? { type: 'function', function: { name: choice.toolName } } : choice.type;
  }
  // OpenAI rejects parallel_tool_calls without tools, so it is only sent here.
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
}

function addSampling(request: CanonicalRequest, { body, warnings }: BodyContext): void {
  const { temperature, topP, topK } = request.sampling;
  if (temperature !== undefined) body.temperature = temperature;
  if (topP !== undefined) body.top_p = topP;
  if (topK !== undefined)
    warnings.push({ type: 'unsupported', field: 'sampling.topK', message: 'OpenAI has no top_k' });
}

function addStop(request: CanonicalRequest, { body, warnings }: BodyContext): void {
  const stop = request.stopSequences ?? [];
  if (stop.length === 0) return;
  if (stop.length > MAX_OPENAI_STOP_SEQUENCES) {
    warnings.push({
      type: 'lossy',
      field: 'stopSequences',
      message: 'only the first 4 stop sequences are sent',
    });
  }
  body.stop = stop.slice(0, MAX_OPENAI_STOP_SEQUENCES);
}

function addResponseFormat(request: CanonicalRequest, body: OpenAIChatBody): void {
  const format = request.responseFormat;
  if (!format) return;
  if (format.type === 'text' || format.type === 'json') {
    body.response_format = { type: format.type === 'text' ? 'text' : 'json_object' };
    return;
  }
  const jsonSchema: JsonObject = { name: format.name ?? 'response', schema: format.schema };
  if (format.description !== undefined) jsonSchema.description = format.description;
  if (format.strict !== undefined) jsonSchema.strict = format.strict;
  body.response_format = { type: 'json_schema', json_schema: jsonSchema };
}

function convertEffort(request: CanonicalRequest, warnings: Warning[]): ReasoningEffort | undefined {
  const reasoning = request.reasoning;
  if (!reasoning) return undefined;
  const lossy = (message: string) => warnings.push({ type: 'lossy', field: 'reasoning', message });
  if (reasoning.effort === 'max') {
    lossy('effort "max" sent as "xhigh"');
    return 'xhigh';
  }
  if (reasoning.effort !== undefined) return reasoning.effort;
  if (!reasoning.enabled) {
    lossy('disabled thinking left to the model default');
    return undefined;
  }
  if (reasoning.budgetTokens === undefined) return undefined;
  lossy('thinking budget sent as an effort level');
  if (reasoning.budgetTokens <= 2048) return 'low';
  return reasoning.budgetTokens <= 16384 ? 'medium' : 'high';
}

function addUser(request: CanonicalRequest, { body, warnings }: BodyContext): void {
  const userId = request.metadata.userId;
  if (userId === undefined) return;
  if (userId.length <= MAX_OPENAI_USER_LENGTH) body.user = userId;
  else
    warnings.push({
      type: 'unsupported',
      field: 'metadata.userId',
      message: 'longer than 64 characters; not sent',
    });
}

function warnForeignOptions(request: CanonicalRequest, warnings: Warning[]): void {
  const anthropic = request.providerOptions.anthropic;
  const dropped = [
    ...(anthropic?.builtinTools?.length ? ['builtinTools'] : []),
    ...(anthropic?.contextManagement ? ['contextManagement'] : []),
    ...Object.keys(anthropic?.extraBody ?? {}),
  ];
  if (dropped.length > 0) {
    warnings.push({
      type: 'unsupported',
      field: 'providerOptions.anthropic',
      message: `Anthropic-only options not sent to OpenAI: ${dropped.join(', ')}`,
    });
  }
  if (request.providerOptions.google && Object.keys(request.providerOptions.google).length > 0) {
    warnings.push({
      type: 'unsupported',
      field: 'providerOptions.google',
      message: 'Google-only options not sent',
    });
  }
}

import type { JsonObject, JsonValue } from '../../core/json.js';
import type { CanonicalRequest, ReasoningConfig } from '../../core/model/canonical-request.js';
import { setOwnProperty } from '../../core/model/set-own-property.js';
import type { Converted, Warning } from '../../core/model/warning.js';
import { convertAnthropicTools } from './convert-anthropic-tools.js';
import {
  type AnthropicWireMessage,
  convertTextPart,
  convertToAnthropicPrompt,
  type MidConversationSystem,
} from './convert-to-anthropic-prompt.js';

/** `max_tokens` when the request sets no limit (the Messages API requires one). */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 8192;
/** `max_tokens` when the request sets no limit and thinking is on, leaving room to think. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS_WITH_THINKING = 64000;
/** The smallest thinking budget the API accepts. */
export const MIN_ANTHROPIC_THINKING_BUDGET = 1024;

export interface ConvertToAnthropicOptions {
  /** Where mid-conversation system messages go; `user-text` by default (see `MidConversationSystem`). */
  midConversationSystem?: MidConversationSystem;
}

/** The Anthropic Messages request body. Fields not listed are copied from `extraBody` or absent. */
export interface AnthropicMessagesBody {
  model: string;
  max_tokens: number;
  messages: JsonValue[];
  [field: string]: JsonValue | undefined;
}

/**
 * Canonical request → the body of an Anthropic `POST /v1/messages`. Lossy rules, each warned about:
 * - `max_tokens` is required: 8192 when absent, 64000 when thinking is on; a thinking budget that
 *   does not fit under it raises it to budget + 8192; budgets under 1024 are raised to 1024;
 * - with thinking on, the API only accepts temperature 1 and top_p ≥ 0.95 and no top_k: others are dropped;
 * - temperature is clamped to Anthropic's 0..1, and top_p is dropped when temperature is set
 *   (recent Claude models reject both together);
 * - thinking is turned off when the last assistant turn calls tools without a signed thinking block
 *   first (reasoning of another provider, or none): Anthropic rejects that turn with thinking on;
 * - `json` response format (no schema) has no Anthropic equivalent and is dropped;
 * - reasoning without an Anthropic signature, OpenAI-only options and files other than PDF/text are dropped.
 */
export function convertToAnthropicMessages(
  request: CanonicalRequest,
  options: ConvertToAnthropicOptions = {},
): Converted<AnthropicMessagesBody> {
  const warnings: Warning[] = [];
  const messages = convertToAnthropicPrompt(request.messages, {
    warnings,
    midConversationSystem: options.midConversationSystem ?? 'user-text',
  });
  const body: AnthropicMessagesBody = {
    model: request.model,
    max_tokens: 0,
    messages: messages as unknown as JsonValue[],
  };
  const system = request.system.filter((part) => part.text !== '').map(convertTextPart);
  if (system.length > 0) body.system = system as JsonValue[];
  Object.assign(body, convertAnthropicTools(request));
  const thinking = convertThinking(
    { request, body, warnings },
    { toolTurnWithoutThinking: lacksThinking(messages) },
  );
  Object.assign(body, convertSampling(request, { thinkingOn: thinking, warnings }));
  if (request.stopSequences && request.stopSequences.length > 0) body.stop_sequences = request.stopSequences;
  if (request.metadata.userId !== undefined) body.metadata = { user_id: request.metadata.userId };
  if (request.stream) body.stream = true;
  addOutputConfig({ request, body, warnings });
  const anthropic = request.providerOptions.anthropic;
  if (anthropic?.contextManagement) body.context_management = anthropic.contextManagement;
  mergeExtraBody(body, anthropic?.extraBody);
  warnForeignOptions(request, warnings);
  return { value: body, warnings };
}

interface BodyContext {
  request: CanonicalRequest;
  body: AnthropicMessagesBody;
  warnings: Warning[];
}

/**
 * Whether the last assistant turn calls tools without starting with a thinking block. With thinking
 * on, Anthropic answers such a request 400 ("a final assistant message must start with a thinking
 * block … To avoid this requirement, disable thinking").
 */
function lacksThinking(messages: AnthropicWireMessage[]): boolean {
  const last = messages.findLast((message) => message.role === 'assistant');
  if (!last || !Array.isArray(last.content)) return false;
  const first = last.content[0]?.type;
  const callsTools = last.content.some((block) => block.type === 'tool_use');
  return callsTools && first !== 'thinking' && first !== 'redacted_thinking';
}

/** Sets `thinking` and `max_tokens`; returns whether thinking is on. */
function convertThinking(
  { request, body, warnings }: BodyContext,
  options: { toolTurnWithoutThinking: boolean },
): boolean {
  const reasoning: ReasoningConfig | undefined = request.reasoning;
  let thinkingOn = reasoning?.enabled === true && reasoning.effort !== 'none';
  if (thinkingOn && options.toolTurnWithoutThinking) {
    warnings.push({
      type: 'lossy',
      field: 'reasoning',
      message:
        'thinking turned off for this request: the last assistant turn calls tools without an Anthropic-signed thinking block, which Anthropic requires with thinking on',
    });
    thinkingOn = false;
  }
  body.max_tokens =
    request.maxOutputTokens ??
    (thinkingOn ? DEFAULT_ANTHROPIC_MAX_TOKENS_WITH_THINKING : DEFAULT_ANTHROPIC_MAX_TOKENS);
  if (!reasoning) return false;
  if (!thinkingOn) {
    body.thinking = { type: 'disabled' };
    return false;
  }
  if (reasoning.budgetTokens === undefined) {
    body.thinking = { type: 'adaptive' };
    return true;
  }
  let budget = reasoning.budgetTokens;
  if (budget < MIN_ANTHROPIC_THINKING_BUDGET) {
    warnings.push({
      type: 'lossy',
      field: 'reasoning.budgetTokens',
      message: 'raised to the minimum of 1024',
    });
    budget = MIN_ANTHROPIC_THINKING_BUDGET;
  }
  if (budget >= body.max_tokens) {
    warnings.push({
      type: 'lossy',
      field: 'maxOutputTokens',
      message: 'raised above the thinking budget (Anthropic requires max_tokens > budget_tokens)',
    });
    body.max_tokens = budget + DEFAULT_ANTHROPIC_MAX_TOKENS;
  }
  body.thinking = { type: 'enabled', budget_tokens: budget };
  return true;
}

function convertSampling(
  request: CanonicalRequest,
  context: { thinkingOn: boolean; warnings: Warning[] },
): JsonObject {
  const { temperature, topP, topK } = request.sampling;
  const { thinkingOn, warnings } = context;
  const result: JsonObject = {};
  const drop = (field: string, message: string) => warnings.push({ type: 'unsupported', field, message });
  if (temperature !== undefined) {
    if (thinkingOn && temperature !== 1)
      drop('sampling.temperature', 'only 1 is allowed with thinking on; dropped');
    else if (temperature > 1) {
      warnings.push({
        type: 'lossy',
        field: 'sampling.temperature',
        message: 'clamped to Anthropic maximum 1',
      });
      result.temperature = 1;
    } else result.temperature = temperature;
  }
  if (topP !== undefined) {
    if (thinkingOn && topP < 0.95) drop('sampling.topP', 'must be at least 0.95 with thinking on; dropped');
    else if (result.temperature !== undefined)
      drop('sampling.topP', 'not sent together with temperature; dropped');
    else result.top_p = topP;
  }
  if (topK !== undefined) {
    if (thinkingOn) drop('sampling.topK', 'not allowed with thinking on; dropped');
    else result.top_k = topK;
  }
  return result;
}

/** `output_config`: effort and JSON-schema output format. */
function addOutputConfig({ request, body, warnings }: BodyContext): void {
  const outputConfig: JsonObject = {};
  const effort = request.reasoning?.effort;
  if (effort === 'minimal') {
    warnings.push({ type: 'lossy', field: 'reasoning.effort', message: '"minimal" sent as "low"' });
    outputConfig.effort = 'low';
  } else if (effort !== undefined && effort !== 'none') outputConfig.effort = effort;
  const format = request.responseFormat;
  if (format?.type === 'json_schema') outputConfig.format = { type: 'json_schema', schema: format.schema };
  if (format?.type === 'json') {
    warnings.push({
      type: 'unsupported',
      field: 'responseFormat',
      message: 'JSON mode without a schema; dropped',
    });
  }
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;
}

/** Copies fields the converter did not set; `output_config` keys are merged one level deep. */
function mergeExtraBody(body: AnthropicMessagesBody, extraBody: JsonObject | undefined): void {
  for (const [key, value] of Object.entries(extraBody ?? {})) {
    const current = Object.hasOwn(body, key) ? body[key] : undefined;
    if (current === undefined) setOwnProperty(body, key, value);
    else if (key === 'output_config' && isPlainObject(current) && isPlainObject(value)) {
      body[key] = { ...value, ...current };
    }
  }
}

function isPlainObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function warnForeignOptions(request: CanonicalRequest, warnings: Warning[]): void {
  const extra = request.providerOptions.openai?.extraBody;
  if (extra && Object.keys(extra).length > 0) {
    warnings.push({
      type: 'unsupported',
      field: 'providerOptions.openai.extraBody',
      message: `OpenAI-only fields not sent to Anthropic: ${Object.keys(extra).join(', ')}`,
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

import { appendAll } from '../../core/append-all.js';
import type { JsonObject } from '../../core/json.js';
import type { CanonicalRequest } from '../../core/model/canonical-request.js';
import { cleanJsonSchema } from '../../core/model/clean-json-schema.js';
import { convertCacheControl } from './convert-to-anthropic-prompt.js';

/**
 * Tool schema rules for Anthropic:
 * - the root must be an object schema (`input_schema.type` must be "object"), so a missing `type`
 *   becomes "object" and a missing `properties` becomes `{}`;
 * - everything else, `$schema` included, is accepted as is (Claude Code itself sends draft 2020-12
 *   schemas with `$schema`).
 */
export function convertAnthropicToolSchema(schema: JsonObject): JsonObject {
  return cleanJsonSchema(schema, { objectRoot: true });
}

export interface AnthropicToolsFields {
  tools?: JsonObject[];
  tool_choice?: JsonObject;
}

/**
 * Canonical tools, tool choice and parallel-call switch → Anthropic `tools` and `tool_choice`.
 * Builtin tools kept from an Anthropic client (`providerOptions.anthropic.builtinTools`) follow the
 * function tools. `tool_choice` is only sent with tools (the API rejects it alone); `required` is
 * Anthropic `any`; forbidding parallel calls sets `disable_parallel_tool_use`.
 */
export function convertAnthropicTools(request: CanonicalRequest): AnthropicToolsFields {
  const tools: JsonObject[] = request.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    input_schema: convertAnthropicToolSchema(tool.inputSchema),
    ...convertCacheControl(tool.cacheControl),
  }));
  appendAll(tools, request.providerOptions.anthropic?.builtinTools ?? []);
  if (tools.length === 0) return {};
  const choice = request.toolChoice ?? { type: 'auto' };
  const toolChoice: JsonObject =
    choice.type === 'tool'
      ? { type: 'tool', name: choice.toolName }
      : { type: choice.type === 'required' ? 'any' : choice.type };
  if (request.parallelToolCalls === false && choice.type !== 'none')
    toolChoice.disable_parallel_tool_use = true;
  const sendChoice = request.toolChoice !== undefined || request.parallelToolCalls === false;
  return sendChoice ? { tools, tool_choice: toolChoice } : { tools };
}

import type { JsonObject } from '../../core/json.js';
import type { CanonicalTool, ToolChoice } from '../../core/model/canonical-request.js';
import { invalidRequest, validateRequest } from '../../core/model/validate-request.js';
import type { Warning } from '../../core/model/warning.js';
import {
  type ResponsesRequest,
  responsesFunctionToolSchema,
  responsesNamespaceToolSchema,
} from './responses-request-schema.js';
import { flattenToolName, type ResponsesToolNames } from './responses-tool-names.js';

export interface DecodedTools {
  tools: CanonicalTool[];
  /** Flattened name → the client's namespace and name, for the namespaced tools. */
  toolNames: ResponsesToolNames;
}

/**
 * Responses `tools` → canonical tools. Function tools are kept; the functions of a `namespace` group
 * are flattened (`flattenToolName`) and listed in `toolNames`, so the encoders can give tool calls
 * back the names the client sent. Tools only OpenAI runs (`web_search`, `file_search`,
 * `computer_use`, `image_generation`, `local_shell`, `code_interpreter`, `mcp`, custom/freeform
 * tools, …) cannot run on another upstream and are dropped with a warning.
 */
export function decodeResponsesTools(tools: ResponsesRequest['tools'], warnings: Warning[]): DecodedTools {
  const result: CanonicalTool[] = [];
  const toolNames: ResponsesToolNames = {};
  (tools ?? []).forEach((tool, index) => {
    const path = `tools[${index}]`;
    if (tool.type === 'function') {
      result.push(decodeFunctionTool(validateRequest(responsesFunctionToolSchema, tool, [path])));
    } else if (tool.type === 'namespace') {
      const group = validateRequest(responsesNamespaceToolSchema, tool, [path]);
      group.tools.forEach((member, memberIndex) => {
        const memberPath = `${path}.tools[${memberIndex}]`;
        if (member.type !== 'function') {
          dropTool(member.type, memberPath, warnings);
          return;
        }
        const decoded = decodeFunctionTool(
          validateRequest(responsesFunctionToolSchema, member, [memberPath]),
        );
        const flat = flattenToolName({ namespace: group.name, name: decoded.name });
        toolNames[flat] = { namespace: group.name, name: decoded.name };
        result.push({ ...decoded, name: flat });
      });
    } else {
      dropTool(tool.type, path, warnings);
    }
  });
  return { tools: result, toolNames };
}

function decodeFunctionTool(tool: ReturnType<typeof responsesFunctionToolSchema.parse>): CanonicalTool {
  const canonical: CanonicalTool = {
    name: tool.name,
    inputSchema: (tool.parameters as JsonObject | null | undefined) ?? { type: 'object', properties: {} },
  };
  if (tool.description) canonical.description = tool.description;
  return canonical;
}

function dropTool(type: string | undefined, field: string, warnings: Warning[]): void {
  warnings.push({
    type: 'unsupported',
    field,
    message: `"${type ?? 'unknown'}" tools only run on OpenAI and cannot be translated; dropped`,
  });
}

/**
 * `tool_choice` → canonical. A function choice inside a namespace names the flattened tool; choices
 * of hosted tools and `allowed_tools` lists read as `auto` with a warning.
 */
export function decodeResponsesToolChoice(
  choice: ResponsesRequest['tool_choice'],
  warnings: Warning[],
): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return { type: choice };
  if (choice.type === 'function') {
    if (!choice.name)
      throw invalidRequest('tool_choice.name', 'required when tool_choice.type is "function"');
    const toolName = choice.namespace
      ? flattenToolName({ namespace: choice.namespace, name: choice.name })
      : choice.name;
    return { type: 'tool', toolName };
  }
  warnings.push({
    type: 'unsupported',
    field: 'tool_choice',
    message: `tool_choice "${choice.type}" cannot be translated; the model decides`,
  });
  return { type: 'auto' };
}

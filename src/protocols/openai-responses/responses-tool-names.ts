import { sha256Hex } from '../../core/ids.js';

/** The name a client gave a tool inside a `namespace` tool group. */
export interface NamespacedToolName {
  namespace: string;
  name: string;
}

/**
 * Upstream tool name → the namespace and name the client declared, for every namespaced tool of a
 * request. Plain function tools keep their names and are not listed. A plain object, so the gateway
 * can store it with a response for `previous_response_id`.
 */
export type ResponsesToolNames = Record<string, NamespacedToolName>;

/** Upstreams accept at most 64 characters from `[A-Za-z0-9_-]` in a tool name (OpenAI, Gemini). */
const MAX_NAME_LENGTH = 64;

/**
 * The single name a namespaced tool goes upstream under: `<namespace>__<name>`, or
 * `<namespace><name>` when the namespace already ends in `_` (Codex's MCP namespaces such as
 * `mcp__server__`, flattened the way Codex flattens them itself). Characters upstreams reject become
 * `_`; a name that is too long is cut and made unique with a hash. Deterministic, so the calls in a
 * conversation's history flatten to the same names as the tools.
 */
export function flattenToolName(tool: NamespacedToolName): string {
  const joined = tool.namespace.endsWith('_')
    ? `${tool.namespace}${tool.name}`
    : `${tool.namespace}__${tool.name}`;
  const safe = joined.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe.length <= MAX_NAME_LENGTH) return safe;
  return `${safe.slice(0, MAX_NAME_LENGTH - 9)}_${sha256Hex(joined).slice(0, 8)}`;
}

/** The client's name for a tool the upstream called: its namespace and name when it was flattened. */
export function clientToolName(
  upstreamName: string,
  names: ResponsesToolNames | undefined,
): NamespacedToolName | { name: string } {
  return names?.[upstreamName] ?? { name: upstreamName };
}

import type { JsonObject } from '../json.js';
import type {
  AssistantContentPart,
  CacheControl,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from './content-part.js';

/**
 * The one request shape every protocol decodes into and every provider encodes from. It holds what
 * at least two wire formats can express; extras of one provider ride in `providerOptions`.
 */
export interface CanonicalRequest {
  /** The model id to ask the upstream for (already mapped by routing/ when the gateway sends it). */
  model: string;
  /** Instructions before the conversation (Anthropic `system`, leading OpenAI system/developer messages). */
  system: TextPart[];
  /** The conversation, oldest first. */
  messages: CanonicalMessage[];
  /** Tools the model may call; empty when none. */
  tools: CanonicalTool[];
  /** Whether and which tool the model must call; the provider default (`auto`) when absent. */
  toolChoice?: ToolChoice;
  /** Whether the model may call several tools in one turn; the provider default when absent. */
  parallelToolCalls?: boolean;
  sampling: Sampling;
  /** Upper bound on generated tokens, reasoning included; the provider default when absent. */
  maxOutputTokens?: number;
  /** Texts that end generation when produced. */
  stopSequences?: string[];
  /** The shape the answer must take; free text when absent. */
  responseFormat?: ResponseFormat;
  /** Extended thinking / reasoning effort; the model default when absent. */
  reasoning?: ReasoningConfig;
  /** Whether the client wants a server-sent-event stream. */
  stream: boolean;
  metadata: RequestMetadata;
  providerOptions: ProviderOptions;
}

/**
 * One turn of the conversation.
 * - `system` messages after the start of the conversation are kept where they are (Claude Code sends
 *   `role: "system"` messages between turns, OpenAI clients may too); leading system messages are
 *   folded into `CanonicalRequest.system` by the decoders. Providers that cannot place a system
 *   message mid-conversation convert it (see each provider converter) and warn.
 * - `tool` messages carry the results of the assistant's tool calls (Anthropic sends them as
 *   `tool_result` blocks inside a user message; decoders split those into a tool message followed
 *   by a user message for any remaining content).
 */
export type CanonicalMessage =
  | { role: 'system'; content: TextPart[] }
  | { role: 'user'; content: UserContentPart[] }
  | { role: 'assistant'; content: AssistantContentPart[] }
  | { role: 'tool'; content: ToolResultPart[] };

export type MessageRole = CanonicalMessage['role'];

/** A function tool the model may call. */
export interface CanonicalTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object, as the client sent it (providers clean it for their upstream). */
  inputSchema: JsonObject;
  /** Cache breakpoint after this tool definition (Anthropic only). */
  cacheControl?: CacheControl;
}

/**
 * - `auto`: the model decides;
 * - `none`: the model must not call tools;
 * - `required`: the model must call at least one tool (Anthropic `any`);
 * - `tool`: the model must call the named tool.
 */
export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; toolName: string };

/** Sampling parameters; each is the provider default when absent. */
export interface Sampling {
  temperature?: number;
  topP?: number;
  /** Anthropic and Gemini only. */
  topK?: number;
}

/**
 * - `text`: free text (the default);
 * - `json`: any valid JSON object (OpenAI `json_object`);
 * - `json_schema`: JSON matching `schema` (OpenAI `json_schema`, Anthropic `output_config.format`).
 */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json_schema'; schema: JsonObject; name?: string; description?: string; strict?: boolean };

/**
 * Effort levels across providers, lowest first. OpenAI Chat knows none…xhigh; Anthropic knows
 * low…max (xhigh on recent models); converters map the rest to the nearest level with a warning.
 */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/**
 * How much the model should think before answering.
 * - `enabled: false`: no extended thinking (Anthropic `thinking.type: "disabled"`, OpenAI effort `none`).
 * - `enabled: true` with `budgetTokens`: a fixed thinking budget (Anthropic `thinking.type: "enabled"`).
 * - `enabled: true` without `budgetTokens`: the model decides how much to think
 *   (Anthropic `thinking.type: "adaptive"`, OpenAI `reasoning_effort`).
 */
export interface ReasoningConfig {
  enabled: boolean;
  /** Thinking-token budget; absent means adaptive. */
  budgetTokens?: number;
  /** Overall effort (Anthropic `output_config.effort`, OpenAI `reasoning_effort`). */
  effort?: ReasoningEffort;
}

export interface RequestMetadata {
  /**
   * End-user identifier as the client sent it (Anthropic `metadata.user_id`, OpenAI `user`).
   * Claude Code puts a JSON string with `device_id` and `session_id` here; it is kept verbatim.
   */
  userId?: string;
}

/**
 * Provider-specific extras, namespaced so they never become new top-level fields. A provider
 * converter reads only its own namespace and warns about the others when they are not empty.
 */
export interface ProviderOptions {
  anthropic?: AnthropicProviderOptions;
  openai?: OpenAIProviderOptions;
  google?: GoogleProviderOptions;
}

export interface AnthropicProviderOptions {
  /** Non-function tools as sent (`web_search_20250305`, `bash_20250124`, `text_editor_…`, MCP toolsets). */
  builtinTools?: JsonObject[];
  /** `context_management` as sent (for example Claude Code's `clear_thinking_20251015` edit). */
  contextManagement?: JsonObject;
  /**
   * Other top-level request fields the canonical model does not cover (`service_tier`, `container`,
   * `mcp_servers`, unknown `output_config` keys under `output_config`), copied into the upstream body
   * without overriding any field the converter sets.
   */
  extraBody?: JsonObject;
}

export interface OpenAIProviderOptions {
  /** `stream_options.include_usage`: the client wants a final usage chunk in the stream. */
  includeUsage?: boolean;
  /**
   * Other top-level request fields the canonical model does not cover (`seed`, `logit_bias`,
   * `frequency_penalty`, `presence_penalty`, `service_tier`, `prompt_cache_key`, `store`, …), copied
   * into the upstream body without overriding any field the converter sets.
   */
  extraBody?: JsonObject;
}

/** Extras of the Gemini wire format (Generative Language API and Code Assist). */
export interface GoogleProviderOptions {
  /** Non-function tools as sent (`googleSearch`, `codeExecution`, `urlContext`, …). */
  builtinTools?: JsonObject[];
  /** `safetySettings` as sent. */
  safetySettings?: JsonObject[];
  /**
   * `generationConfig` keys the canonical model does not cover (`seed`, `presencePenalty`,
   * `responseModalities`, `mediaResolution`, …), merged into the upstream's `generationConfig`
   * without overriding any key the converter sets.
   */
  generationConfig?: JsonObject;
  /**
   * Other top-level request fields (`cachedContent`, `labels`, …), copied into the upstream body
   * without overriding any field the converter sets.
   */
  extraBody?: JsonObject;
}

/** The canonical model every protocol decodes into and every provider encodes from. */
export type {
  AnthropicProviderOptions,
  CanonicalMessage,
  CanonicalRequest,
  CanonicalTool,
  GoogleProviderOptions,
  MessageRole,
  OpenAIProviderOptions,
  ProviderOptions,
  ReasoningConfig,
  ReasoningEffort,
  RequestMetadata,
  ResponseFormat,
  Sampling,
  ToolChoice,
} from './canonical-request.js';
export { REASONING_EFFORTS } from './canonical-request.js';
export type { CanonicalResponse, FinishReason, Usage } from './canonical-response.js';
export { emptyUsage } from './canonical-response.js';
export type { CleanJsonSchemaOptions } from './clean-json-schema.js';
export { cleanJsonSchema } from './clean-json-schema.js';
export { collectStream } from './collect-stream.js';
export type {
  AssistantContentPart,
  CacheControl,
  ContentPart,
  FilePart,
  ImagePart,
  MediaSource,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserContentPart,
} from './content-part.js';
export type { ParsedSseEvent } from './parse-sse-text.js';
export { parseSseText } from './parse-sse-text.js';
export { safeParseJson } from './safe-parse-json.js';
export { setOwnProperty } from './set-own-property.js';
export { sseFrame } from './sse-frame.js';
export type {
  FinishEvent,
  ReasoningEndEvent,
  ReasoningStartEvent,
  ResponseMetadataEvent,
  StreamErrorEvent,
  StreamEvent,
  ToolCallEvent,
} from './stream-event.js';
export { fieldPath, invalidRequest, validateRequest } from './validate-request.js';
export { validateUpstream } from './validate-upstream.js';
export type { Converted, Warning } from './warning.js';

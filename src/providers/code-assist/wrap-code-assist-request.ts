import type { GeminiRequest } from '../gemini/convert-to-gemini-request.js';

/** `requestType` of the envelope: image models are `image_gen`, everything else `agent`. */
export type CodeAssistRequestType = 'agent' | 'image_gen';

export interface WrapCodeAssistRequestOptions {
  /** The model id, without a `models/` prefix. */
  model: string;
  /** The Google Cloud project the account works in (`loadCodeAssist` → `cloudaicompanionProject`). */
  project: string | undefined;
  /** The Gemini `generateContent` body (a client's own, or from `convertToGeminiRequest`). */
  request: GeminiRequest;
  /** `userAgent`: `antigravity`, or `jetski` for Workspace (non-Gmail) accounts (`codeAssistUserAgent`). */
  userAgent: string;
  requestType: CodeAssistRequestType;
  /** `requestId`: `agent/<epoch ms>/<8 hex>`, new for every request. */
  requestId: string;
  /** The inner `request.sessionId`: stable per account (`codeAssistSessionId`). */
  sessionId: string;
}

/** The body of a Code Assist `v1internal:generateContent` / `:streamGenerateContent` request. */
export interface CodeAssistRequest {
  project?: string;
  request: GeminiRequest & { sessionId: string };
  model: string;
  userAgent: string;
  requestType: CodeAssistRequestType;
  requestId: string;
  /** `["GOOGLE_ONE_AI"]`, sent for every request but image generation. */
  enabledCreditTypes?: string[];
}

/**
 * Keys of the inner request in the order the reference sends them, the rest after: the prompt
 * cache keys on the serialised prefix, so the stable parts come before the growing `contents`.
 */
const INNER_KEY_ORDER = [
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
  'safetySettings',
  'sessionId',
  'contents',
] as const;

function orderedRequest(request: GeminiRequest, sessionId: string): GeminiRequest & { sessionId: string } {
  const source: Record<string, unknown> = { ...request, sessionId };
  const ordered: Record<string, unknown> = {};
  for (const key of INNER_KEY_ORDER) if (source[key] !== undefined) ordered[key] = source[key];
  for (const [key, value] of Object.entries(source)) if (!(key in ordered)) ordered[key] = value;
  return ordered as unknown as GeminiRequest & { sessionId: string };
}

/**
 * A Gemini request → the Code Assist envelope (Google Cloud Code `v1internal`, the API Antigravity
 * and the Gemini CLI use with OAuth accounts), field by field as the reference sends it (its §8.1):
 * `{project, request, model, userAgent, requestType, requestId, enabledCreditTypes}` with the
 * inner request's keys in the reference's order and its per-account `sessionId`.
 */
export function wrapCodeAssistRequest(options: WrapCodeAssistRequestOptions): CodeAssistRequest {
  const body: CodeAssistRequest = {
    ...(options.project ? { project: options.project } : {}),
    request: orderedRequest(options.request, options.sessionId),
    model: options.model.replace(/^models\//, ''),
    userAgent: options.userAgent,
    requestType: options.requestType,
    requestId: options.requestId,
  };
  if (options.requestType !== 'image_gen') body.enabledCreditTypes = ['GOOGLE_ONE_AI'];
  return body;
}

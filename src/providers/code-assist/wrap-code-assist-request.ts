import type { GeminiRequest } from '../gemini/convert-to-gemini-request.js';

export interface WrapCodeAssistRequestOptions {
  /** The model id, without a `models/` prefix. */
  model: string;
  /** The Google Cloud project the account works in (`loadCodeAssist` → `cloudaicompanionProject`). */
  project: string | undefined;
  /** The Gemini `generateContent` body, from `convertToGeminiRequest`. */
  request: GeminiRequest;
  /** Sent as `user_prompt_id`, which Code Assist uses to group the requests of one user turn. */
  userPromptId?: string;
  /** Sent as the inner `session_id`, which keeps one conversation on the same cache. */
  sessionId?: string;
}

/** The body of a Code Assist `v1internal:generateContent` / `:streamGenerateContent` request. */
export interface CodeAssistRequest {
  model: string;
  project?: string;
  user_prompt_id?: string;
  request: GeminiRequest & { session_id?: string };
}

/**
 * A Gemini request → the Code Assist envelope (Google Cloud Code `v1internal`, the API the Gemini CLI
 * and Antigravity use with OAuth accounts): the model and project travel beside the request instead
 * of in the URL.
 */
export function wrapCodeAssistRequest(options: WrapCodeAssistRequestOptions): CodeAssistRequest {
  const body: CodeAssistRequest = {
    model: options.model.replace(/^models\//, ''),
    request:
      options.sessionId === undefined
        ? options.request
        : { ...options.request, session_id: options.sessionId },
  };
  if (options.project) body.project = options.project;
  if (options.userPromptId !== undefined) body.user_prompt_id = options.userPromptId;
  return body;
}

import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import { parseGeminiResponse } from '../gemini/parse-gemini-response.js';
import { unwrapCodeAssistResponse } from './unwrap-code-assist-response.js';

/** The JSON body of a Code Assist `generateContent` response → canonical response. */
export function parseCodeAssistResponse(json: unknown): CanonicalResponse {
  return parseGeminiResponse(unwrapCodeAssistResponse(json));
}

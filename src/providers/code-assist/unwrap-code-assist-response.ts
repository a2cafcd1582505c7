import { isJsonObject } from '../../core/json.js';

/**
 * A Code Assist response body or stream chunk (`{response: GenerateContentResponse, traceId?}`) →
 * the Gemini response inside, which `parseGeminiResponse` and the Gemini stream decoder read. A
 * value without a `response` object (an `{error}` body) is returned as it is.
 */
export function unwrapCodeAssistResponse(json: unknown): unknown {
  return isJsonObject(json) && isJsonObject(json.response) ? json.response : json;
}

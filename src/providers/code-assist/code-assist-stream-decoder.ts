import { createGeminiStreamDecoder, type GeminiStreamDecoder } from '../gemini/gemini-stream-decoder.js';
import { unwrapCodeAssistResponse } from './unwrap-code-assist-response.js';

/** The Gemini stream decoder for Code Assist streams, whose chunks are each wrapped in `{response}`. */
export function createCodeAssistStreamDecoder(): GeminiStreamDecoder {
  return createGeminiStreamDecoder({ unwrap: unwrapCodeAssistResponse });
}

import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import { encodeGeminiParts, type GeminiResponsePart } from './encode-gemini-parts.js';
import {
  encodeGeminiFinishReason,
  encodeGeminiUsage,
  type GeminiFinishReason,
  type GeminiUsageMetadata,
} from './encode-gemini-usage.js';

/** One candidate of a Gemini response. */
export interface GeminiCandidate {
  content?: { role: 'model'; parts: GeminiResponsePart[] };
  finishReason?: GeminiFinishReason;
  index: 0;
}

/** The body of a Gemini `GenerateContentResponse` (also each chunk of a stream). */
export interface GeminiGenerateContentResponse {
  candidates: GeminiCandidate[];
  usageMetadata?: GeminiUsageMetadata;
  modelVersion: string;
  responseId: string;
}

export interface EncodeGeminiResponseOptions {
  /** Whether thought text goes to the client (`DecodedGeminiRequest.includeThoughts`); default true. */
  includeThoughts?: boolean;
}

/** Canonical response → the body a Gemini client expects from `:generateContent`. */
export function encodeGeminiResponse(
  response: CanonicalResponse,
  options: EncodeGeminiResponseOptions = {},
): GeminiGenerateContentResponse {
  const parts = encodeGeminiParts(response.content, { includeThoughts: options.includeThoughts ?? true });
  return {
    candidates: [
      {
        content: { role: 'model', parts },
        finishReason: encodeGeminiFinishReason(response.finishReason),
        index: 0,
      },
    ],
    usageMetadata: encodeGeminiUsage(response.usage),
    modelVersion: response.model,
    responseId: response.id,
  };
}

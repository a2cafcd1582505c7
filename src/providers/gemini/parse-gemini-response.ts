import type { CanonicalResponse } from '../../core/model/canonical-response.js';
import type { AssistantContentPart, ReasoningPart, TextPart } from '../../core/model/content-part.js';
import { validateUpstream } from '../../core/model/validate-upstream.js';
import {
  type GeminiResponsePart,
  geminiCallId,
  geminiResponseSchema,
  parseGeminiFinishReason,
  parseGeminiUsage,
} from './parse-gemini-parts.js';

/**
 * The JSON body of a Gemini `generateContent` response → canonical response (the first candidate;
 * the gateway never asks for more). Throws `upstream_error` when the body is not a response at all.
 * A prompt blocked before generation (`promptFeedback.blockReason`, no candidates) is an empty
 * `content-filter` response.
 */
export function parseGeminiResponse(json: unknown): CanonicalResponse {
  const response = validateUpstream(geminiResponseSchema, json, 'Gemini response');
  const candidate = response.candidates?.[0];
  const responseKey = response.responseId ?? JSON.stringify(json);
  const content = parseGeminiParts(candidate?.content?.parts ?? [], responseKey);
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  const blocked = !candidate && Boolean(response.promptFeedback?.blockReason);
  const result: CanonicalResponse = {
    id: response.responseId ?? '',
    model: response.modelVersion ?? '',
    content,
    finishReason: blocked ? 'content-filter' : parseGeminiFinishReason(candidate?.finishReason, hasToolCalls),
    usage: parseGeminiUsage(response.usageMetadata),
  };
  const createdAt = response.createTime === undefined ? Number.NaN : Date.parse(response.createTime);
  if (Number.isFinite(createdAt)) result.createdAt = createdAt;
  return result;
}

/**
 * Gemini parts → canonical content, by the rules the stream decoder follows too: adjacent text
 * parts are joined, and adjacent `thought` parts until one carries a signature; a signature on any
 * other part becomes an empty reasoning part with that signature just before it (the Gemini
 * converter puts it back on the same part). Parts of other kinds (code execution, images) are skipped.
 */
export function parseGeminiParts(parts: GeminiResponsePart[], responseKey: string): AssistantContentPart[] {
  const content: AssistantContentPart[] = [];
  let openReasoning: ReasoningPart | null = null;
  let openText: TextPart | null = null;
  let callIndex = 0;
  for (const part of parts) {
    if (part.thought) {
      openText = null;
      if (!openReasoning) {
        openReasoning = { type: 'reasoning', text: '' };
        content.push(openReasoning);
      }
      openReasoning.text += part.text ?? '';
      if (part.thoughtSignature) {
        openReasoning.signature = part.thoughtSignature;
        openReasoning = null;
      }
      continue;
    }
    openReasoning = null;
    if (part.thoughtSignature) {
      content.push({ type: 'reasoning', text: '', signature: part.thoughtSignature });
      openText = null;
    }
    if (part.functionCall) {
      openText = null;
      const { name, args, id } = part.functionCall;
      const callId = id || geminiCallId({ name, index: callIndex, responseKey });
      callIndex++;
      content.push({ type: 'tool-call', id: callId, name, input: args ?? {} });
    } else if (part.text) {
      if (openText) openText.text += part.text;
      else {
        openText = { type: 'text', text: part.text };
        content.push(openText);
      }
    }
  }
  return content;
}

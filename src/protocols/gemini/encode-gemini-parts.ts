import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { AssistantContentPart, ReasoningPart } from '../../core/model/content-part.js';

/** A part of a Gemini response as the encoders write it. */
export interface GeminiResponsePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id: string; name: string; args: JsonObject };
}

export interface EncodeGeminiPartsOptions {
  /** Whether thought text goes to the client (`thinkingConfig.includeThoughts`); signatures always do. */
  includeThoughts: boolean;
}

/**
 * Canonical assistant content → Gemini parts:
 * - reasoning with text → `{text, thought: true, thoughtSignature?}`;
 * - reasoning without text (or whose text the client did not ask for) only carries its signature,
 *   which goes on the next part, the way Gemini sends it on the first function call after thinking;
 *   when no part follows, it stands alone as `{text: "", thoughtSignature}`;
 * - tool calls → `functionCall` with the call id, so clients that keep it send it back.
 */
export function encodeGeminiParts(
  content: AssistantContentPart[],
  options: EncodeGeminiPartsOptions,
): GeminiResponsePart[] {
  const parts: GeminiResponsePart[] = [];
  let pendingSignature: string | undefined;
  const withSignature = (part: GeminiResponsePart): GeminiResponsePart => {
    if (pendingSignature === undefined) return part;
    const signed = { ...part, thoughtSignature: pendingSignature };
    pendingSignature = undefined;
    return signed;
  };
  for (const part of content) {
    if (part.type === 'reasoning') {
      const signature = reasoningSignature(part);
      if (part.text !== '' && options.includeThoughts) {
        if (pendingSignature !== undefined) parts.push(withSignature({ text: '' }));
        const thought: GeminiResponsePart = { text: part.text, thought: true };
        if (signature !== undefined) thought.thoughtSignature = signature;
        parts.push(thought);
      } else if (signature !== undefined) {
        if (pendingSignature !== undefined) parts.push(withSignature({ text: '' }));
        pendingSignature = signature;
      }
    } else if (part.type === 'text') {
      parts.push(withSignature({ text: part.text }));
    } else {
      parts.push(withSignature({ functionCall: encodeFunctionCall(part.id, part.name, part.input) }));
    }
  }
  if (pendingSignature !== undefined) parts.push({ text: '', thoughtSignature: pendingSignature });
  return parts;
}

/**
 * The opaque value a Gemini client must send back: the signature, or for reasoning that another
 * provider encrypted (Anthropic `redacted_thinking`), its data, so it survives the round trip.
 */
export function reasoningSignature(
  part: Pick<ReasoningPart, 'signature' | 'redactedData'>,
): string | undefined {
  return part.signature ?? part.redactedData;
}

/** Gemini `args` must be an object; arguments that are not one (never seen in practice) become `{}`. */
export function encodeFunctionCall(
  id: string,
  name: string,
  input: unknown,
): { id: string; name: string; args: JsonObject } {
  return { id, name, args: isJsonObject(input) ? input : {} };
}

import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { AssistantContentPart } from '../../core/model/content-part.js';
import { encodeThoughtSignature } from './gemini-thought-signature.js';

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
 *   when no part follows, it stands alone as `{text: "", thoughtSignature}`. Redacted reasoning and
 *   signed text the client does not see travel in an envelope (see `encodeThoughtSignature`);
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
      const textSent = part.text !== '' && options.includeThoughts;
      const signature = encodeThoughtSignature(part, { textSent });
      if (textSent) {
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

/** Gemini `args` must be an object; arguments that are not one (never seen in practice) become `{}`. */
export function encodeFunctionCall(
  id: string,
  name: string,
  input: unknown,
): { id: string; name: string; args: JsonObject } {
  return { id, name, args: isJsonObject(input) ? input : {} };
}

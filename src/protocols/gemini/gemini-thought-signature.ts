import { isJsonObject } from '../../core/json.js';
import type { ReasoningPart } from '../../core/model/content-part.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';

/** Marks a `thoughtSignature` this gateway wrote (`swyg1.` + base64url of a small JSON object). */
const PREFIX = 'swyg1.';

type OpaqueReasoning = Pick<ReasoningPart, 'text' | 'signature' | 'redactedData'>;

/**
 * The `thoughtSignature` a Gemini client gets for a reasoning part, so that sending it back restores
 * the part exactly. Only answers of other providers reach a Gemini client through translation, and
 * a bare signature does not always carry enough: Anthropic `redacted_thinking` data must come back
 * as redacted data (not as a signature), and an Anthropic signature only verifies with its thinking
 * text, which a client that did not ask for thoughts never sees. Those cases get an envelope holding
 * the signature, redacted data and withheld text apart; a signature whose text the client got (or
 * that has none) goes as it is. Undefined when the part has nothing opaque.
 */
export function encodeThoughtSignature(
  part: OpaqueReasoning,
  options: { textSent: boolean },
): string | undefined {
  if (part.signature === undefined && part.redactedData === undefined) return undefined;
  const withheldText = options.textSent ? '' : part.text;
  if (part.redactedData === undefined && withheldText === '') return part.signature;
  const payload: { s?: string; r?: string; t?: string } = {};
  if (part.signature !== undefined) payload.s = part.signature;
  if (part.redactedData !== undefined) payload.r = part.redactedData;
  if (withheldText !== '') payload.t = withheldText;
  return PREFIX + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Whether `value` is an envelope this gateway wrote (no upstream issued it or can verify it as is). */
export function isThoughtSignatureEnvelope(value: string): boolean {
  return value.startsWith(PREFIX);
}

/**
 * A client's `thoughtSignature` → the reasoning it stands for: the envelope's contents when this
 * gateway wrote it, else the value as a plain signature (with no text).
 */
export function decodeThoughtSignature(value: string): OpaqueReasoning {
  const payload = value.startsWith(PREFIX)
    ? safeParseJson(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'))
    : undefined;
  if (!isJsonObject(payload)) return { text: '', signature: value };
  const part: OpaqueReasoning = { text: typeof payload.t === 'string' ? payload.t : '' };
  if (typeof payload.s === 'string') part.signature = payload.s;
  if (typeof payload.r === 'string') part.redactedData = payload.r;
  return part;
}

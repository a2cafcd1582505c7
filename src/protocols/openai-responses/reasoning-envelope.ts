import { isJsonObject } from '../../core/json.js';
import type { ReasoningPart } from '../../core/model/content-part.js';
import { safeParseJson } from '../../core/model/safe-parse-json.js';

/** Marks `encrypted_content` that this gateway wrote (`swy1.` + base64url of a small JSON object). */
const PREFIX = 'swy1.';

/**
 * The opaque reasoning values of a canonical reasoning part → one Responses `encrypted_content`.
 * No upstream of this gateway speaks the Responses API, so the content is ours to define: it carries
 * the provider's signature and redacted data apart, so that a client replaying it gets back exactly
 * what the provider needs (an Anthropic signature must not come back as redacted data). `undefined`
 * when the part has neither.
 */
export function encodeReasoningEnvelope(
  part: Pick<ReasoningPart, 'signature' | 'redactedData'>,
): string | undefined {
  if (part.signature === undefined && part.redactedData === undefined) return undefined;
  const payload: { s?: string; r?: string } = {};
  if (part.signature !== undefined) payload.s = part.signature;
  if (part.redactedData !== undefined) payload.r = part.redactedData;
  return PREFIX + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Whether `value` is an envelope this gateway wrote (no upstream issued it or can verify it as is). */
export function isReasoningEnvelope(value: string): boolean {
  return value.startsWith(PREFIX);
}

/**
 * A client's `encrypted_content` → the part's opaque values. Content this gateway did not write
 * (from OpenAI itself) is kept whole as `redactedData`.
 */
export function decodeReasoningEnvelope(content: string): Pick<ReasoningPart, 'signature' | 'redactedData'> {
  if (!content.startsWith(PREFIX)) return { redactedData: content };
  const payload = safeParseJson(Buffer.from(content.slice(PREFIX.length), 'base64url').toString('utf8'));
  if (!isJsonObject(payload)) return { redactedData: content };
  const result: Pick<ReasoningPart, 'signature' | 'redactedData'> = {};
  if (typeof payload.s === 'string') result.signature = payload.s;
  if (typeof payload.r === 'string') result.redactedData = payload.r;
  return result;
}

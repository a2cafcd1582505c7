import { readErrorBody } from './read-error-body.js';

/**
 * What upstreams say when they cannot verify reasoning replayed in a request's history, lower-case,
 * with backticks and quotes removed (Anthropic quotes field names, proxies re-quote them). Sources:
 * the reference's retry rules (Antigravity Manager, `antigravity-behaviour.md` §4.6, §5.1) and
 * errors reported against Anthropic, Gemini and Code Assist.
 */
export const SIGNATURE_ERROR_PHRASES: readonly string[] = [
  // Anthropic: "messages.1.content.0: Invalid `signature` in `thinking` block".
  'invalid signature in thinking block',
  // Anthropic: "Invalid `data` in `redacted_thinking` block".
  'in redacted_thinking block',
  // Anthropic: "messages.3.content.0.thinking.signature: Field required" (and other field errors).
  'thinking.signature',
  'thinking.thinking',
  // Anthropic: "`thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified".
  'blocks in the latest assistant message cannot be modified',
  // Anthropic: "Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is
  // enabled, a final `assistant` message must start with a thinking block".
  'expected thinking or redacted_thinking',
  'must start with a thinking block',
  // Reference variants (Code Assist serving Claude models and proxies in front of Anthropic).
  'invalid signature',
  'thinking block',
  'found text',
  'must be thinking',
  'failed to deserialise',
  // Gemini and Code Assist: "Corrupted thought signature.", "Thought signature is not valid",
  // "Function call is missing a thought_signature in functionCall parts".
  'corrupted thought signature',
  'thought signature',
  'thought_signature',
];

/**
 * Whether an upstream answer is a signature-class error: a 400 saying that reasoning replayed in
 * the history (a thinking block, a thought signature) could not be verified. Such a request can
 * succeed on the same account once its history is repaired; it says nothing about the account.
 */
export function isSignatureError(status: number, body: unknown): boolean {
  if (status !== 400) return false;
  const text = readErrorBody(body).lowerText.replace(/[`'"\\]/g, '');
  return SIGNATURE_ERROR_PHRASES.some((phrase) => text.includes(phrase));
}

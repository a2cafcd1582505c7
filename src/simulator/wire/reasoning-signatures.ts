/**
 * Reasoning signatures as the simulated upstreams issue and verify them. Like the real APIs, a
 * signature is verifiable by the family that issued it (any key of it), and by no other:
 * - Anthropic signs a thinking block's text: `mock-anthropic.<mac of the text>`, so a block whose
 *   text changed fails too;
 * - Google signs a response: `mock-google.<response number>.<mac>`.
 * `ok({ verifySignatures: true })` makes an endpoint check the reasoning a request replays and
 * answer 400 with the upstream's own wording when it did not issue it.
 */
import { sha256Hex } from '../../core/ids.js';
import { isJsonObject } from '../../core/json.js';

/** Google's documented value for function calls whose history came from elsewhere: never checked. */
const SKIP_VALIDATOR = 'skip_thought_signature_validator';

function mac(family: string, payload: string): string {
  return sha256Hex(`mock-upstream\u0000${family}\u0000${payload}`).slice(0, 32);
}

/** The signature the mock Anthropic gives a thinking block with this text. */
export function anthropicSignature(thinking: string): string {
  return `mock-anthropic.${mac('anthropic', thinking)}`;
}

/** The thought signature the mock Google gives response number `sequence`. */
export function googleSignature(sequence: number): string {
  return `mock-google.${sequence}.${mac('google', String(sequence))}`;
}

function isGoogleSignature(value: string): boolean {
  const match = /^mock-google\.(\d+)\.([0-9a-f]{32})$/.exec(value);
  return match !== null && match[2] === mac('google', match[1] ?? '');
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Why Anthropic rejects the thinking blocks of a Messages body, or null when it accepts them. */
export function anthropicReasoningError(body: unknown): string | null {
  const messages = list(isJsonObject(body) ? body['messages'] : undefined);
  for (const [index, message] of messages.entries()) {
    if (!isJsonObject(message) || message['role'] !== 'assistant') continue;
    for (const [position, block] of list(message['content']).entries()) {
      if (!isJsonObject(block)) continue;
      const at = `messages.${index}.content.${position}`;
      if (block['type'] === 'redacted_thinking')
        return `${at}: Invalid \`data\` in \`redacted_thinking\` block`;
      if (block['type'] !== 'thinking') continue;
      if (typeof block['signature'] !== 'string' || block['signature'] === '')
        return `${at}.thinking.signature: Field required`;
      if (block['signature'] !== anthropicSignature(String(block['thinking'] ?? '')))
        return `${at}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  return manualThinkingError(body, messages);
}

// With manual thinking, the last assistant turn that calls tools must start with thinking.
function manualThinkingError(body: unknown, messages: unknown[]): string | null {
  const thinking = isJsonObject(body) ? body['thinking'] : undefined;
  if (!isJsonObject(thinking) || thinking['type'] !== 'enabled') return null;
  const index = messages.findLastIndex((message) => isJsonObject(message) && message['role'] === 'assistant');
  const content = list(isJsonObject(messages[index]) ? messages[index]['content'] : undefined);
  const types = content.map((block) => (isJsonObject(block) ? block['type'] : undefined));
  if (!types.includes('tool_use') || types[0] === 'thinking' || types[0] === 'redacted_thinking') return null;
  return `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(types[0])}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). To avoid this requirement, disable \`thinking\`.`;
}

/** Why Gemini rejects the thought signatures of a request's `contents`, or null when it accepts them. */
export function googleReasoningError(request: unknown): string | null {
  const contents = list(isJsonObject(request) ? request['contents'] : undefined);
  for (const content of contents) {
    if (!isJsonObject(content) || content['role'] !== 'model') continue;
    for (const part of list(content['parts'])) {
      const signature = isJsonObject(part) ? part['thoughtSignature'] : undefined;
      if (typeof signature !== 'string' || signature === SKIP_VALIDATOR) continue;
      if (!isGoogleSignature(signature)) return 'Corrupted thought signature.';
    }
  }
  return null;
}

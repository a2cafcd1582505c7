import type { CanonicalMessage } from './canonical-request.js';
import type { AssistantContentPart } from './content-part.js';
import type { Converted, Warning } from './warning.js';

/**
 * Reasoning a client sends back in its history, as a filter sees it whatever the wire format:
 * the readable text (empty for redacted reasoning and bare signatures) and the opaque values the
 * upstream that produced it needs to verify it.
 */
export interface ReplayedReasoning {
  text: string;
  /** Anthropic `thinking.signature`, Gemini `thoughtSignature`; absent or empty when none. */
  signature?: string | undefined;
  /** Anthropic `redacted_thinking.data`, OpenAI encrypted reasoning. */
  redactedData?: string | undefined;
}

/**
 * What to do with one piece of replayed reasoning before it is sent upstream:
 * - `keep`: send it as it is;
 * - `drop`: leave it out;
 * - `text`: send its readable text as plain text (nothing when it has none).
 * Wire formats that attach signatures to other parts (Gemini function calls) apply the verdict to
 * the signature only; see each filter.
 */
export type ReasoningVerdict = 'keep' | 'drop' | 'text';

/**
 * Who can verify a reasoning signature: the upstream family that issued it (each provider adapter
 * names its own). Gemini and Code Assist accounts share Google's signatures; OpenAI-compatible
 * servers issue none.
 */
export type SignatureFamily = 'anthropic' | 'google' | 'openai';

/** Decides, per piece of replayed reasoning, what the upstream gets. */
export type ReasoningJudge = (reasoning: ReplayedReasoning) => ReasoningVerdict;

/**
 * Applies `judge` to the signed reasoning of a canonical conversation (parts with a signature or
 * redacted data). Unsigned reasoning is left to the provider converters, which drop it where it
 * cannot be replayed. Returns the same array when nothing changed; a message left without content
 * is left out (the converters merge the neighbours it separated). Warnings name what was dropped
 * or turned into text.
 */
export function filterReplayedReasoning(
  messages: CanonicalMessage[],
  judge: ReasoningJudge,
): Converted<CanonicalMessage[]> {
  const warnings: Warning[] = [];
  let changed = false;
  const result: CanonicalMessage[] = [];
  messages.forEach((message, index) => {
    if (message.role !== 'assistant') {
      result.push(message);
      return;
    }
    const content = filterParts(message.content, {
      judge,
      warn: (part, verdict) =>
        warnings.push({
          type: verdict === 'text' ? 'lossy' : 'unsupported',
          field: `messages[${index}].content[${part}]`,
          message:
            verdict === 'text'
              ? 'reasoning the account cannot verify sent as plain text'
              : 'reasoning the account cannot verify dropped',
        }),
    });
    if (content === message.content) {
      result.push(message);
      return;
    }
    changed = true;
    if (content.length > 0) result.push({ role: 'assistant', content });
  });
  return { value: changed ? result : messages, warnings };
}

function filterParts(
  parts: AssistantContentPart[],
  options: { judge: ReasoningJudge; warn: (index: number, verdict: ReasoningVerdict) => void },
): AssistantContentPart[] {
  let changed = false;
  const result: AssistantContentPart[] = [];
  parts.forEach((part, index) => {
    const signed = part.type === 'reasoning' && (!!part.signature || !!part.redactedData);
    const verdict = signed ? options.judge(part) : 'keep';
    if (verdict === 'keep' || part.type !== 'reasoning') {
      result.push(part);
      return;
    }
    changed = true;
    options.warn(index, verdict);
    if (verdict === 'text' && part.text !== '') result.push({ type: 'text', text: part.text });
  });
  return changed ? result : parts;
}

import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import type { ReasoningJudge } from '../../core/model/replayed-reasoning.js';

/**
 * The `thoughtSignature` Google documents for function calls whose history came from elsewhere:
 * it tells the model not to validate a signature for that call.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export interface FilterGeminiReasoningOptions {
  judge: ReasoningJudge;
  /**
   * Also give the first function call of each model turn that has no signature the skip value
   * (Gemini 3 answers "Function call is missing a thought_signature" otherwise).
   */
  signUnsignedCalls?: boolean;
}

/**
 * Applies `judge` to the reasoning replayed in a Gemini body (`contents` of role `model`) and
 * returns the body to send, or null when it needs no change (pass-through stays byte for byte).
 *
 * - A thought part (`thought: true`): `drop` removes it; `text` makes it a plain text part (without
 *   `thought` and signature; removed when it has no text). Unsigned thoughts are judged too.
 * - A signature on another part: on a function call, `drop`/`text` replace it with
 *   `skip_thought_signature_validator`; elsewhere they remove it, and a part left empty is removed.
 * - A model turn left without parts is left out.
 */
export function filterGeminiReasoning(
  body: JsonObject,
  options: FilterGeminiReasoningOptions,
): JsonObject | null {
  const contents = body['contents'];
  if (!Array.isArray(contents)) return null;
  let changed = false;
  const result: JsonValue[] = [];
  for (const content of contents) {
    const parts = isJsonObject(content) ? content['parts'] : undefined;
    if (!isJsonObject(content) || content['role'] !== 'model' || !Array.isArray(parts)) {
      result.push(content);
      continue;
    }
    const filtered = filterParts(parts, options);
    if (filtered === parts) {
      result.push(content);
      continue;
    }
    changed = true;
    if (filtered.length > 0) result.push({ ...content, parts: filtered });
  }
  return changed ? { ...body, contents: result } : null;
}

function filterParts(parts: JsonValue[], options: FilterGeminiReasoningOptions): JsonValue[] {
  let changed = false;
  let callSeen = false;
  const result: JsonValue[] = [];
  for (const part of parts) {
    if (!isJsonObject(part)) {
      result.push(part);
      continue;
    }
    const firstCall = isJsonObject(part['functionCall']) && !callSeen;
    if (isJsonObject(part['functionCall'])) callSeen = true;
    const next = filterPart(part, { ...options, firstCall });
    if (next !== part) changed = true;
    if (next !== null) result.push(next);
  }
  return changed ? result : parts;
}

/** One part after the verdict: the same object when unchanged, null when removed. */
function filterPart(
  part: JsonObject,
  options: FilterGeminiReasoningOptions & { firstCall: boolean },
): JsonObject | null {
  const signature = typeof part['thoughtSignature'] === 'string' ? part['thoughtSignature'] : undefined;
  const text = typeof part['text'] === 'string' ? part['text'] : '';
  if (part['thought'] === true) {
    const verdict = options.judge({ text, signature });
    if (verdict === 'keep') return part;
    if (verdict === 'drop' || text === '') return null;
    const { thought: _thought, thoughtSignature: _signature, ...rest } = part;
    return rest;
  }
  const call = isJsonObject(part['functionCall']);
  if (signature === undefined || signature === SKIP_THOUGHT_SIGNATURE) {
    const unsigned = call && options.firstCall && options.signUnsignedCalls && signature === undefined;
    return unsigned ? { ...part, thoughtSignature: SKIP_THOUGHT_SIGNATURE } : part;
  }
  if (options.judge({ text: '', signature }) === 'keep') return part;
  if (call) return { ...part, thoughtSignature: SKIP_THOUGHT_SIGNATURE };
  const { thoughtSignature: _signature, ...rest } = part;
  // `{text: "", thoughtSignature}` only carried the signature.
  const empty = text === '' && Object.keys(rest).every((key) => key === 'text');
  return empty ? null : rest;
}

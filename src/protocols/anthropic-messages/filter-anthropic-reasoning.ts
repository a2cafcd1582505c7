import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import type { ReasoningJudge, ReplayedReasoning } from '../../core/model/replayed-reasoning.js';

/**
 * Applies `judge` to the reasoning replayed in an Anthropic Messages body (`thinking` and
 * `redacted_thinking` blocks of assistant messages) and returns the body to send, or null when it
 * needs no change — so a pass-through request stays byte for byte what the client sent unless a
 * block really has to go.
 *
 * - `drop` removes the block; `text` turns a thinking block into a text block with its thinking
 *   (redacted thinking has no text and is removed); an assistant message left without content is
 *   left out (the Messages API merges the consecutive user turns this leaves).
 * - With manual thinking on (`thinking.type: "enabled"`), Anthropic rejects a request whose last
 *   assistant message calls tools without starting with a thinking block ("a final `assistant`
 *   message must start with a thinking block … To avoid this requirement, disable `thinking`"):
 *   such a request, whether the client sent it so (its turn came from an account of another kind)
 *   or the filter made it so, gets `thinking: {type: "disabled"}`, and `clear_thinking_*` context
 *   edits, which need thinking on, are removed. Adaptive thinking needs no change: the model may
 *   skip thinking, so a tool turn without it is valid there (and recent models accept no other mode).
 */
export function filterAnthropicReasoning(body: JsonObject, judge: ReasoningJudge): JsonObject | null {
  const messages = body['messages'];
  let result = body;
  if (Array.isArray(messages)) {
    const filtered = filterMessages(messages, judge);
    if (filtered !== messages) result = { ...body, messages: filtered };
  }
  result = withoutUnanswerableThinking(result);
  return result === body ? null : result;
}

function filterMessages(messages: JsonValue[], judge: ReasoningJudge): JsonValue[] {
  let changed = false;
  const result: JsonValue[] = [];
  for (const message of messages) {
    const content = isJsonObject(message) ? message['content'] : undefined;
    if (!isJsonObject(message) || message['role'] !== 'assistant' || !Array.isArray(content)) {
      result.push(message);
      continue;
    }
    const filtered = filterBlocks(content, judge);
    if (filtered === content) {
      result.push(message);
      continue;
    }
    changed = true;
    if (filtered.length > 0) result.push({ ...message, content: filtered });
  }
  return changed ? result : messages;
}

/** A reasoning block as the judge sees it; undefined for other blocks. */
function replayedReasoning(block: JsonObject): ReplayedReasoning | undefined {
  if (block['type'] === 'thinking') {
    const text = typeof block['thinking'] === 'string' ? block['thinking'] : '';
    return { text, signature: typeof block['signature'] === 'string' ? block['signature'] : undefined };
  }
  if (block['type'] === 'redacted_thinking')
    return { text: '', redactedData: typeof block['data'] === 'string' ? block['data'] : undefined };
  return undefined;
}

function filterBlocks(blocks: JsonValue[], judge: ReasoningJudge): JsonValue[] {
  let changed = false;
  const result: JsonValue[] = [];
  for (const block of blocks) {
    const reasoning = isJsonObject(block) ? replayedReasoning(block) : undefined;
    const verdict = reasoning ? judge(reasoning) : 'keep';
    if (verdict === 'keep' || !reasoning) {
      result.push(block);
      continue;
    }
    changed = true;
    if (verdict === 'text' && reasoning.text !== '') result.push({ type: 'text', text: reasoning.text });
  }
  return changed ? result : blocks;
}

/** Turns manual thinking off when the last assistant turn calls tools without thinking first. */
function withoutUnanswerableThinking(body: JsonObject): JsonObject {
  const thinking = body['thinking'];
  if (!isJsonObject(thinking) || thinking['type'] !== 'enabled') return body;
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  const last = messages.findLast((message) => isJsonObject(message) && message['role'] === 'assistant');
  const content = isJsonObject(last) ? last['content'] : undefined;
  if (!Array.isArray(content)) return body;
  const callsTools = content.some((block) => isJsonObject(block) && block['type'] === 'tool_use');
  const first = isJsonObject(content[0]) ? content[0]['type'] : undefined;
  if (!callsTools || first === 'thinking' || first === 'redacted_thinking') return body;
  const result: JsonObject = { ...body, thinking: { type: 'disabled' } };
  const contextManagement = withoutThinkingEdits(body['context_management']);
  if (contextManagement === null) delete result['context_management'];
  else if (contextManagement !== undefined) result['context_management'] = contextManagement;
  return result;
}

/** `context_management` without `clear_thinking_*` edits; null when nothing is left, undefined when absent. */
function withoutThinkingEdits(value: JsonValue | undefined): JsonValue | null | undefined {
  if (!isJsonObject(value) || !Array.isArray(value['edits'])) return value;
  const edits = value['edits'].filter(
    (edit) => !(isJsonObject(edit) && String(edit['type']).startsWith('clear_thinking')),
  );
  if (edits.length === value['edits'].length) return value;
  if (edits.length === 0 && Object.keys(value).length === 1) return null;
  return { ...value, edits };
}

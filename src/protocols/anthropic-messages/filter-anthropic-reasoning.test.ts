import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import type { ReasoningJudge } from '../../core/model/replayed-reasoning.js';
import { filterAnthropicReasoning } from './filter-anthropic-reasoning.js';

const FOREIGN = { type: 'thinking', thinking: 'Gemini thought about it.', signature: 'gemini-signature' };
const OWN = { type: 'thinking', thinking: 'Claude thought about it.', signature: 'anthropic-signature' };
const REDACTED = { type: 'redacted_thinking', data: 'redacted-data' };
const TOOL_USE = { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a.ts' } };
const TOOL_RESULT = {
  role: 'user',
  content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' }],
};

function body(assistant: JsonObject[], extra: JsonObject = {}): JsonObject {
  return {
    model: 'claude-opus-4-8',
    thinking: { type: 'adaptive' },
    messages: [
      { role: 'user', content: 'Read a.ts' },
      { role: 'assistant', content: assistant },
      TOOL_RESULT,
    ],
    ...extra,
  };
}

const dropForeign: ReasoningJudge = (reasoning) =>
  reasoning.signature === FOREIGN.signature ? 'drop' : 'keep';
const repair: ReasoningJudge = (reasoning) => (reasoning.text === '' ? 'drop' : 'text');
const messagesOf = (value: JsonObject | null) => (value?.['messages'] ?? []) as Array<{ content: unknown }>;

describe('filterAnthropicReasoning', () => {
  it('answers null when nothing must change, so the client bytes are forwarded', () => {
    expect(filterAnthropicReasoning(body([OWN, REDACTED, TOOL_USE]), dropForeign)).toBeNull();
    expect(filterAnthropicReasoning({ model: 'x', messages: 'not a list' }, dropForeign)).toBeNull();
  });

  it('drops the thinking blocks judged unverifiable and keeps everything else as it was', () => {
    const original = body([FOREIGN, TOOL_USE], { context_management: { edits: [] } });
    const filtered = filterAnthropicReasoning(original, dropForeign);
    expect(messagesOf(filtered)[1]?.content).toEqual([TOOL_USE]);
    expect(filtered).toMatchObject({ thinking: { type: 'adaptive' }, context_management: { edits: [] } });
    expect(messagesOf(original)[1]?.content).toEqual([FOREIGN, TOOL_USE]);
  });

  it('repair: thinking becomes text, redacted thinking is dropped', () => {
    const filtered = filterAnthropicReasoning(body([OWN, REDACTED, TOOL_USE]), repair);
    expect(messagesOf(filtered)[1]?.content).toEqual([{ type: 'text', text: OWN.thinking }, TOOL_USE]);
  });

  it('leaves out an assistant message left empty', () => {
    const filtered = filterAnthropicReasoning(body([FOREIGN]), dropForeign);
    expect(messagesOf(filtered).map((message) => (message as { role?: string }).role)).toEqual([
      'user',
      'user',
    ]);
  });

  it('turns manual thinking off when the last tool turn no longer starts with thinking', () => {
    const manual = body([FOREIGN, TOOL_USE], {
      thinking: { type: 'enabled', budget_tokens: 4096 },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    });
    const filtered = filterAnthropicReasoning(manual, dropForeign);
    expect(filtered?.['thinking']).toEqual({ type: 'disabled' });
    // The clear_thinking edit needs thinking on; nothing else was in context_management.
    expect(filtered).not.toHaveProperty('context_management');
  });

  it('turns manual thinking off for a tool turn that came without thinking (another kind of account)', () => {
    const manual = body([{ type: 'text', text: 'Reading.' }, TOOL_USE], {
      thinking: { type: 'enabled', budget_tokens: 4096 },
      context_management: {
        edits: [{ type: 'clear_thinking_20251015' }, { type: 'clear_tool_uses_20250919' }],
      },
    });
    const filtered = filterAnthropicReasoning(manual, () => 'keep');
    expect(filtered?.['thinking']).toEqual({ type: 'disabled' });
    expect(filtered?.['context_management']).toEqual({ edits: [{ type: 'clear_tool_uses_20250919' }] });
  });

  it('leaves adaptive thinking on: the model may answer a tool turn without thinking', () => {
    expect(
      filterAnthropicReasoning(body([{ type: 'text', text: 'Reading.' }, TOOL_USE]), () => 'keep'),
    ).toBeNull();
  });

  it('keeps manual thinking when the last tool turn still starts with a kept thinking block', () => {
    const manual = body([OWN, TOOL_USE], { thinking: { type: 'enabled', budget_tokens: 4096 } });
    expect(filterAnthropicReasoning(manual, dropForeign)).toBeNull();
  });
});

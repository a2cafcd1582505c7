import { describe, expect, it } from 'vitest';
import type { CanonicalMessage } from '../../core/model/canonical-request.js';
import type { Warning } from '../../core/model/warning.js';
import { convertToAnthropicPrompt } from './convert-to-anthropic-prompt.js';

const user = (text: string): CanonicalMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const result = (id: string): CanonicalMessage => ({
  role: 'tool',
  content: [{ type: 'tool-result', toolCallId: id, content: `out ${id}` }],
});
const assistant = (text: string): CanonicalMessage => ({
  role: 'assistant',
  content: [{ type: 'text', text }],
});

function convert(messages: CanonicalMessage[]) {
  const warnings: Warning[] = [];
  const converted = convertToAnthropicPrompt(messages, { warnings, midConversationSystem: 'user-text' });
  return { converted, warnings };
}

describe('convertToAnthropicPrompt: same-role runs', () => {
  it('merges consecutive messages of one role into one turn, in order', () => {
    const { converted, warnings } = convert([user('a'), user('b'), assistant('c'), user('d'), user('e')]);
    expect(converted).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'd' },
          { type: 'text', text: 'e' },
        ],
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('puts every tool result of a run first, in order, and warns once per message moved', () => {
    const { converted, warnings } = convert([result('1'), user('a'), result('2'), user('b'), result('3')]);
    expect(converted).toHaveLength(1);
    expect(converted[0]?.content).toEqual([
      { type: 'tool_result', tool_use_id: '1', content: 'out 1' },
      { type: 'tool_result', tool_use_id: '2', content: 'out 2' },
      { type: 'tool_result', tool_use_id: '3', content: 'out 3' },
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
    ]);
    expect(warnings.map((warning) => warning.field)).toEqual(['messages[2]', 'messages[4]']);
  });

  it('keeps tool results that already come first without a warning', () => {
    const { converted, warnings } = convert([result('1'), result('2'), user('a')]);
    expect(converted[0]?.content).toEqual([
      { type: 'tool_result', tool_use_id: '1', content: 'out 1' },
      { type: 'tool_result', tool_use_id: '2', content: 'out 2' },
      { type: 'text', text: 'a' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('never merges a kept system message (its content is a string)', () => {
    const warnings: Warning[] = [];
    const system: CanonicalMessage = { role: 'system', content: [{ type: 'text', text: 'rule' }] };
    const converted = convertToAnthropicPrompt([user('a'), system, system, user('b')], {
      warnings,
      midConversationSystem: 'keep',
    });
    expect(converted.map((message) => message.role)).toEqual(['user', 'system', 'system', 'user']);
  });
});

import { describe, expect, it } from 'vitest';
import type { CanonicalMessage } from './canonical-request.js';
import { filterReplayedReasoning, type ReasoningJudge } from './replayed-reasoning.js';

const conversation: CanonicalMessage[] = [
  { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
  {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'Need the weather.', signature: 'sig-foreign' },
      { type: 'reasoning', text: '', redactedData: 'redacted-own' },
      { type: 'reasoning', text: 'unsigned thought' },
      { type: 'tool-call', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ],
  },
  { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: '21 C' }] },
];

const dropForeign: ReasoningJudge = (reasoning) => (reasoning.signature === 'sig-foreign' ? 'drop' : 'keep');

describe('filterReplayedReasoning', () => {
  it('returns the same messages when every judged part is kept', () => {
    const result = filterReplayedReasoning(conversation, () => 'keep');
    expect(result.value).toBe(conversation);
    expect(result.warnings).toEqual([]);
  });

  it('drops the parts judged unverifiable and names them in a warning', () => {
    const result = filterReplayedReasoning(conversation, dropForeign);
    expect(result.value[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: '', redactedData: 'redacted-own' },
        { type: 'reasoning', text: 'unsigned thought' },
        { type: 'tool-call', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    });
    expect(result.warnings).toEqual([
      {
        type: 'unsupported',
        field: 'messages[1].content[0]',
        message: 'reasoning the account cannot verify dropped',
      },
    ]);
    expect(conversation[1]?.content).toHaveLength(4);
  });

  it('turns reasoning into text when judged so, and drops what has no text', () => {
    const result = filterReplayedReasoning(conversation, (reasoning) => (reasoning.text ? 'text' : 'drop'));
    expect(result.value[1]?.content).toEqual([
      { type: 'text', text: 'Need the weather.' },
      { type: 'reasoning', text: 'unsigned thought' },
      { type: 'tool-call', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(result.warnings.map((warning) => warning.type)).toEqual(['lossy', 'unsupported']);
  });

  it('never asks the judge about unsigned reasoning (the converters handle it)', () => {
    const seen: unknown[] = [];
    filterReplayedReasoning(conversation, (reasoning) => {
      seen.push(reasoning);
      return 'keep';
    });
    expect(seen).toHaveLength(2);
  });

  it('leaves out an assistant message left without content', () => {
    const onlyThinking: CanonicalMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'reasoning', text: '', signature: 'sig-foreign' }] },
      { role: 'user', content: [{ type: 'text', text: 'again' }] },
    ];
    const result = filterReplayedReasoning(onlyThinking, dropForeign);
    expect(result.value.map((message) => message.role)).toEqual(['user', 'user']);
  });
});

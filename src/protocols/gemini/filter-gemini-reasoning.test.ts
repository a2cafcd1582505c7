import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import type { ReasoningJudge } from '../../core/model/replayed-reasoning.js';
import { filterGeminiReasoning, SKIP_THOUGHT_SIGNATURE } from './filter-gemini-reasoning.js';

const THOUGHT = { text: 'Thinking about the weather.', thought: true, thoughtSignature: 'foreign-1' };
const OWN_THOUGHT = { text: 'My own thought.', thought: true, thoughtSignature: 'google-1' };
const CALL = {
  functionCall: { name: 'get_weather', args: { city: 'Paris' } },
  thoughtSignature: 'foreign-2',
};
const SIGNED_TEXT = { text: 'Checking.', thoughtSignature: 'foreign-3' };
const SIGNATURE_ONLY = { text: '', thoughtSignature: 'foreign-4' };
const RESULT = { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { c: 21 } } }] };

function body(parts: JsonObject[]): JsonObject {
  return { contents: [{ role: 'user', parts: [{ text: 'Weather?' }] }, { role: 'model', parts }, RESULT] };
}
const modelParts = (value: JsonObject | null) =>
  ((value?.['contents'] as Array<{ parts: unknown[] }> | undefined)?.[1]?.parts ?? []) as unknown[];

const dropForeign: ReasoningJudge = (reasoning) =>
  reasoning.signature?.startsWith('foreign') ? 'drop' : 'keep';
const repair: ReasoningJudge = (reasoning) => (reasoning.text === '' ? 'drop' : 'text');

describe('filterGeminiReasoning', () => {
  it('answers null when every signature is kept', () => {
    expect(filterGeminiReasoning(body([OWN_THOUGHT, { text: 'hi' }]), { judge: dropForeign })).toBeNull();
    expect(filterGeminiReasoning({ generateContentRequest: {} }, { judge: dropForeign })).toBeNull();
  });

  it('drops foreign thoughts, gives function calls the skip value, strips signatures from other parts', () => {
    const filtered = filterGeminiReasoning(body([THOUGHT, OWN_THOUGHT, SIGNED_TEXT, CALL, SIGNATURE_ONLY]), {
      judge: dropForeign,
    });
    expect(modelParts(filtered)).toEqual([
      OWN_THOUGHT,
      { text: 'Checking.' },
      { ...CALL, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
    ]);
  });

  it('repair: thoughts become text, signed calls get the skip value, unsigned first calls too', () => {
    const unsignedCall = { functionCall: { name: 'get_time', args: {} } };
    const filtered = filterGeminiReasoning(body([OWN_THOUGHT, unsignedCall, { ...unsignedCall }]), {
      judge: repair,
      signUnsignedCalls: true,
    });
    expect(modelParts(filtered)).toEqual([
      { text: 'My own thought.' },
      { ...unsignedCall, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
      unsignedCall,
    ]);
  });

  it('leaves unsigned calls alone unless asked, and keeps the skip value as it is', () => {
    const skipped = { ...CALL, thoughtSignature: SKIP_THOUGHT_SIGNATURE };
    const unsigned = { functionCall: { name: 'get_time', args: {} } };
    expect(filterGeminiReasoning(body([unsigned, skipped]), { judge: repair })).toBeNull();
  });

  it('leaves out a model turn left without parts', () => {
    const filtered = filterGeminiReasoning(body([THOUGHT]), { judge: dropForeign });
    expect(filtered?.['contents']).toHaveLength(2);
  });
});

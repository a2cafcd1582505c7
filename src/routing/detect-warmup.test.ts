import { describe, expect, it } from 'vitest';
import { CLAUDE_CODE_TURN, claudeCodeWarmup } from '../../test/support/claude-code-requests.js';
import { isWarmupProbe } from './detect-warmup.js';
import { type OutlineProtocol, outlineRequest } from './request-outline.js';

const probe = (protocol: OutlineProtocol, body: Record<string, unknown>) =>
  isWarmupProbe(outlineRequest(protocol, body));
const anthropic = (content: unknown, role = 'user') => ({ messages: [{ role, content }] });

describe('isWarmupProbe', () => {
  it("recognises Claude Code's agent warmup (the recorded request with its last message `Warmup`)", () => {
    expect(probe('anthropic-messages', claudeCodeWarmup())).toBe(true);
  });

  it('never takes the recorded main turn of Claude Code for one', () => {
    expect(probe('anthropic-messages', CLAUDE_CODE_TURN)).toBe(false);
  });

  it.each<[string, unknown, boolean]>([
    ['a string `Warmup`', 'Warmup', true],
    ['`Warmup` with spaces around it', '  Warmup \n', true],
    ['`Warmup` on its own first line', 'Warmup\nagent: explorer', true],
    ['a text block `Warmup`', [{ type: 'text', text: 'Warmup' }], true],
    [
      'an errored tool result starting with Warmup',
      [{ type: 'tool_result', tool_use_id: 't', is_error: true, content: 'Warmup' }],
      true,
    ],
    [
      'a tool result that is not an error',
      [{ type: 'tool_result', tool_use_id: 't', content: 'Warmup' }],
      false,
    ],
    ['a real question that starts with the word', 'Warmup exercises for runners?', false],
    ['a question that mentions it later', 'How do I write a Warmup routine?', false],
    ['lower case', 'warmup', false],
  ])('Anthropic: %s → %s', (_name, content, expected) => {
    expect(probe('anthropic-messages', anthropic(content))).toBe(expected);
  });

  it('looks only at the last message: an old probe in the history does not capture the conversation', () => {
    const body = {
      messages: [
        { role: 'user', content: 'Warmup' },
        { role: 'assistant', content: 'OK' },
        { role: 'user', content: 'now the real question' },
      ],
    };
    expect(probe('anthropic-messages', body)).toBe(false);
  });

  it('an assistant last message is never a probe', () => {
    expect(probe('anthropic-messages', anthropic('Warmup', 'assistant'))).toBe(false);
  });

  it.each<[OutlineProtocol, Record<string, unknown>]>([
    [
      'openai-chat',
      {
        messages: [
          { role: 'system', content: 'x' },
          { role: 'user', content: 'Warmup' },
        ],
      },
    ],
    ['openai-chat', { messages: [{ role: 'user', content: [{ type: 'text', text: 'Warmup' }] }] }],
    ['openai-responses', { input: 'Warmup' }],
    ['openai-responses', { input: [{ role: 'user', content: [{ type: 'input_text', text: 'Warmup' }] }] }],
    ['gemini', { contents: [{ role: 'user', parts: [{ text: 'Warmup' }] }] }],
    ['gemini', { contents: [{ parts: [{ text: 'Warmup' }] }] }],
  ])('%s: recognised in the protocol shape %j', (protocol, body) => {
    expect(probe(protocol, body)).toBe(true);
  });

  it.each<[OutlineProtocol, Record<string, unknown>]>([
    ['openai-chat', { messages: [{ role: 'user', content: 'Hello' }] }],
    ['openai-responses', { input: 'Warmup exercises?' }],
    ['gemini', { contents: [{ role: 'model', parts: [{ text: 'Warmup' }] }] }],
    ['gemini', { contents: 'not a list' }],
  ])('%s: not a probe %j', (protocol, body) => {
    expect(probe(protocol, body)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { CanonicalResponse, FinishReason } from '../../core/model/canonical-response.js';
import { encodeAnthropicResponse } from './encode-anthropic-response.js';

const usage = {
  inputTokens: 1000,
  outputTokens: 50,
  cacheReadTokens: 600,
  cacheWriteTokens: 100,
  reasoningTokens: 20,
};

function response(extra: Partial<CanonicalResponse> = {}): CanonicalResponse {
  return { id: 'msg_1', model: 'claude-x', content: [], finishReason: 'stop', usage, ...extra };
}

describe('encodeAnthropicResponse', () => {
  it('writes every content part as its Anthropic block', () => {
    const body = encodeAnthropicResponse(
      response({
        content: [
          { type: 'reasoning', text: 'hmm', signature: 'sig' },
          { type: 'reasoning', text: '', redactedData: 'opaque' },
          { type: 'reasoning', text: 'from elsewhere' },
          { type: 'text', text: 'hello' },
          { type: 'tool-call', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      }),
    );
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'thinking', thinking: 'from elsewhere', signature: '' },
      { type: 'text', text: 'hello' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(body).toMatchObject({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x' });
  });

  it('reports input tokens without the cached parts, as Anthropic does', () => {
    expect(encodeAnthropicResponse(response()).usage).toEqual({
      input_tokens: 300,
      output_tokens: 50,
      cache_read_input_tokens: 600,
      cache_creation_input_tokens: 100,
    });
  });

  it.each<{ finishReason: FinishReason; stopSequence?: string; stopReason: string }>([
    { finishReason: 'stop', stopReason: 'end_turn' },
    { finishReason: 'stop', stopSequence: 'END', stopReason: 'stop_sequence' },
    { finishReason: 'length', stopReason: 'max_tokens' },
    { finishReason: 'tool-calls', stopReason: 'tool_use' },
    { finishReason: 'content-filter', stopReason: 'refusal' },
    { finishReason: 'error', stopReason: 'end_turn' },
    { finishReason: 'other', stopReason: 'end_turn' },
  ])(
    'finish reason $finishReason ($stopSequence) → $stopReason',
    ({ finishReason, stopSequence, stopReason }) => {
      const body = encodeAnthropicResponse(
        response(stopSequence === undefined ? { finishReason } : { finishReason, stopSequence }),
      );
      expect(body.stop_reason).toBe(stopReason);
      expect(body.stop_sequence).toBe(stopSequence ?? null);
    },
  );
});

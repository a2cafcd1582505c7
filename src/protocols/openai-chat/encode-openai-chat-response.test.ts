import { describe, expect, it } from 'vitest';
import type { CanonicalResponse, FinishReason } from '../../core/model/canonical-response.js';
import { encodeOpenAIChatResponse } from './encode-openai-chat-response.js';

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

describe('encodeOpenAIChatResponse', () => {
  it('joins text, puts reasoning in reasoning_content and tool calls with JSON arguments', () => {
    const body = encodeOpenAIChatResponse(
      response({
        finishReason: 'tool-calls',
        content: [
          { type: 'reasoning', text: 'hmm', signature: 'sig' },
          { type: 'text', text: 'Hello ' },
          { type: 'text', text: 'world' },
          { type: 'tool-call', id: 'toolu_1', name: 'f', input: { a: 1 } },
        ],
      }),
      { now: 1_700_000_000_500 },
    );
    expect(body).toEqual({
      id: 'msg_1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'claude-x',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Hello world',
            reasoning_content: 'hmm',
            tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
            refusal: null,
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 50,
        total_tokens: 1050,
        prompt_tokens_details: { cached_tokens: 600 },
        completion_tokens_details: { reasoning_tokens: 20 },
      },
    });
  });

  it('sends null content when there are only tool calls, and prefers the response creation time', () => {
    const body = encodeOpenAIChatResponse(
      response({ createdAt: 2_000_000, content: [{ type: 'tool-call', id: 'c', name: 'f', input: {} }] }),
      { now: 9_000_000 },
    );
    expect(body.choices[0]?.message.content).toBeNull();
    expect(body.created).toBe(2000);
  });

  it.each<{ finishReason: FinishReason; expected: string }>([
    { finishReason: 'stop', expected: 'stop' },
    { finishReason: 'length', expected: 'length' },
    { finishReason: 'tool-calls', expected: 'tool_calls' },
    { finishReason: 'content-filter', expected: 'content_filter' },
    { finishReason: 'error', expected: 'stop' },
    { finishReason: 'other', expected: 'stop' },
  ])('finish reason $finishReason → $expected', ({ finishReason, expected }) => {
    expect(encodeOpenAIChatResponse(response({ finishReason })).choices[0]?.finish_reason).toBe(expected);
  });
});

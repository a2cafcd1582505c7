import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FinishReason } from '../../core/model/canonical-response.js';
import { parseOpenAIChatResponse } from './parse-openai-chat-response.js';

const recorded: unknown = JSON.parse(
  readFileSync(new URL('./__fixtures__/openai-chat-response-tool-calls.json', import.meta.url), 'utf8'),
);

describe('parseOpenAIChatResponse', () => {
  it('parses a recorded response with text and two tool calls', () => {
    expect(parseOpenAIChatResponse(recorded)).toEqual({
      id: 'chatcmpl-CDgD2bX4qW6eR8tY0uI2oP4aS6dF8',
      model: 'gpt-4.1-2025-04-14',
      createdAt: 1757319200000,
      content: [
        { type: 'text', text: 'Checking both.' },
        { type: 'tool-call', id: 'call_1a2b3c', name: 'get_weather', input: { location: 'Paris' } },
        { type: 'tool-call', id: 'call_4d5e6f', name: 'get_time', input: {} },
      ],
      finishReason: 'tool-calls',
      usage: {
        inputTokens: 300,
        outputTokens: 40,
        cacheReadTokens: 256,
        cacheWriteTokens: 0,
        reasoningTokens: 12,
      },
    });
  });

  it('reads reasoning text from reasoning_content or reasoning, and DeepSeek cache hits', () => {
    const parsed = parseOpenAIChatResponse({
      id: 'x',
      model: 'deepseek-reasoner',
      choices: [{ message: { content: '4', reasoning: 'two plus two' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, prompt_cache_hit_tokens: 8 },
    });
    expect(parsed.content).toEqual([
      { type: 'reasoning', text: 'two plus two' },
      { type: 'text', text: '4' },
    ]);
    expect(parsed.usage.cacheReadTokens).toBe(8);
  });

  it('treats a refusal as filtered content', () => {
    const parsed = parseOpenAIChatResponse({
      id: 'x',
      choices: [{ message: { content: null, refusal: 'I cannot help' }, finish_reason: 'stop' }],
    });
    expect(parsed.content).toEqual([{ type: 'text', text: 'I cannot help' }]);
    expect(parsed.finishReason).toBe('content-filter');
  });

  it.each<{ reason: string | null; expected: FinishReason }>([
    { reason: 'stop', expected: 'stop' },
    { reason: 'length', expected: 'length' },
    { reason: 'tool_calls', expected: 'tool-calls' },
    { reason: 'function_call', expected: 'tool-calls' },
    { reason: 'content_filter', expected: 'content-filter' },
    { reason: null, expected: 'other' },
  ])('finish_reason $reason → $expected', ({ reason, expected }) => {
    const parsed = parseOpenAIChatResponse({
      id: 'x',
      choices: [{ message: { content: 'a' }, finish_reason: reason }],
    });
    expect(parsed.finishReason).toBe(expected);
  });

  it('throws upstream_error for a body without choices', () => {
    expect(() => parseOpenAIChatResponse({ error: { message: 'x' } })).toThrowError(
      expect.objectContaining({ code: 'upstream_error' }),
    );
  });
});

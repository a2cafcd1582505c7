import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FinishReason } from '../../core/model/canonical-response.js';
import { parseAnthropicResponse } from './parse-anthropic-response.js';

const recorded: unknown = JSON.parse(
  readFileSync(new URL('./__fixtures__/anthropic-response-tool-use.json', import.meta.url), 'utf8'),
);

describe('parseAnthropicResponse', () => {
  it('parses a recorded tool-use response', () => {
    expect(parseAnthropicResponse(recorded)).toEqual({
      id: 'msg_01EcyWo6m4hyW8KHs2y2pei5',
      model: 'claude-opus-4-5-20251101',
      content: [
        { type: 'reasoning', text: 'Need the weather for Paris.', signature: 'EuYBCkQYAiJA1x2y3z' },
        {
          type: 'reasoning',
          text: '',
          redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
        },
        { type: 'text', text: 'Let me look that up.' },
        {
          type: 'tool-call',
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'get_weather',
          input: { location: 'Paris', unit: 'celsius' },
        },
      ],
      finishReason: 'tool-calls',
      usage: {
        inputTokens: 2095 + 14336,
        outputTokens: 503,
        cacheReadTokens: 14336,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it.each<{ stopReason: string | null; finishReason: FinishReason }>([
    { stopReason: 'end_turn', finishReason: 'stop' },
    { stopReason: 'stop_sequence', finishReason: 'stop' },
    { stopReason: 'max_tokens', finishReason: 'length' },
    { stopReason: 'model_context_window_exceeded', finishReason: 'length' },
    { stopReason: 'tool_use', finishReason: 'tool-calls' },
    { stopReason: 'refusal', finishReason: 'content-filter' },
    { stopReason: 'pause_turn', finishReason: 'other' },
    { stopReason: null, finishReason: 'other' },
  ])('stop_reason $stopReason → $finishReason', ({ stopReason, finishReason }) => {
    const body = { id: 'msg_1', model: 'm', content: [], stop_reason: stopReason, stop_sequence: 'END' };
    const parsed = parseAnthropicResponse(body);
    expect(parsed.finishReason).toBe(finishReason);
    expect(parsed.stopSequence).toBe(stopReason === 'stop_sequence' ? 'END' : undefined);
  });

  it('skips server-tool blocks and tolerates missing usage', () => {
    const parsed = parseAnthropicResponse({
      id: 'msg_1',
      content: [
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
        { type: 'text', text: 'x' },
      ],
    });
    expect(parsed.content).toEqual([{ type: 'text', text: 'x' }]);
    expect(parsed.usage.inputTokens).toBe(0);
  });

  it('throws upstream_error for a body that is not a message', () => {
    expect(() => parseAnthropicResponse({ type: 'error', error: { type: 'api_error' } })).toThrowError(
      expect.objectContaining({ code: 'upstream_error' }),
    );
  });
});

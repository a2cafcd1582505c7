/** The stream checks used by the translation tests accept real streams and reject broken ones. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyUsage, type StreamEvent } from '../../src/core/model/index.js';
import { createResponsesStreamEncoder } from '../../src/protocols/openai-responses/responses-stream-encoder.js';
import { checkAnthropicStream } from './anthropic-stream-check.js';
import { checkResponsesStream } from './responses-stream-check.js';

const RECORDED_ANTHROPIC = readFileSync(
  join(
    import.meta.dirname,
    '../../src/providers/anthropic/__fixtures__/anthropic-stream-thinking-tool-use.sse',
  ),
  'utf8',
);

/** The SSE blocks of a stream, to remove or edit one. */
const blocks = (text: string) => text.split('\n\n').filter((block) => block.trim() !== '');
const join2 = (parts: string[]) => `${parts.join('\n\n')}\n\n`;

describe('checkAnthropicStream', () => {
  it('reads a recorded Anthropic stream: thinking with signature, text, parallel tool calls, usage', () => {
    const summary = checkAnthropicStream(RECORDED_ANTHROPIC);
    expect(summary.thinking).toEqual([
      {
        thinking: 'The user wants the weatherin two cities, so I should callget_weather twice.',
        signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
      },
    ]);
    expect(summary.text).toBe("I'll check both cities.");
    expect(summary.toolUses.map((use) => use.input)).toEqual([
      { location: 'San Francisco, CA', unit: 'celsius' },
      { location: 'Paris' },
    ]);
    expect(summary.stopReason).toBe('tool_use');
    expect(summary.usage).toEqual({ input_tokens: 472, output_tokens: 189, cache_read_input_tokens: 8192 });
  });

  const parts = blocks(RECORDED_ANTHROPIC);
  it.each([
    ['without message_stop', join2(parts.slice(0, -1))],
    ['without message_start', join2(parts.slice(1))],
    [
      'with an event name that is not its type',
      RECORDED_ANTHROPIC.replace('event: ping', 'event: message_stop'),
    ],
    [
      'with a delta for a block that is not open',
      RECORDED_ANTHROPIC.replace('"index":1,"delta"', '"index":0,"delta"'),
    ],
    [
      'with text inside a tool_use block',
      RECORDED_ANTHROPIC.replace('"input_json_delta","partial_json":""', '"text_delta","text":""'),
    ],
    [
      'with a block that never stops',
      join2(parts.filter((part) => !part.includes('"content_block_stop","index":3'))),
    ],
  ])('rejects a stream %s', (_name, body) => {
    expect(() => checkAnthropicStream(body)).toThrow();
  });
});

describe('checkResponsesStream', () => {
  const events: StreamEvent[] = [
    { type: 'text-start', id: 't' },
    { type: 'text-delta', id: 't', delta: 'hello ' },
    { type: 'text-delta', id: 't', delta: 'there' },
    { type: 'text-end', id: 't' },
    { type: 'tool-input-start', id: 'call_1', name: 'ns__tool' },
    { type: 'tool-input-delta', id: 'call_1', delta: '{"a":' },
    { type: 'tool-input-delta', id: 'call_1', delta: '1}' },
    { type: 'tool-input-end', id: 'call_1' },
    { type: 'tool-call', id: 'call_1', name: 'ns__tool', input: '{"a":1}' },
    {
      type: 'finish',
      finishReason: 'tool-calls',
      usage: { ...emptyUsage(), inputTokens: 5, outputTokens: 3 },
    },
  ];
  const encoder = createResponsesStreamEncoder({
    id: 'resp_test',
    createdAt: 0,
    toolNames: { ns__tool: { namespace: 'ns', name: 'tool' } },
  });
  const good = events.map((event) => encoder.encode(event)).join('');

  it('reads a stream of the Responses encoder: text, a namespaced call, usage', () => {
    const summary = checkResponsesStream(good);
    expect(summary.text).toBe('hello there');
    expect(summary.items[1]).toMatchObject({ name: 'tool', namespace: 'ns', arguments: '{"a":1}' });
    expect(summary.response.usage?.total_tokens).toBe(8);
  });

  const parts = blocks(good);
  it.each([
    ['with a gap in sequence_number', join2(parts.filter((_part, index) => index !== 3))],
    ['without its terminal event', join2(parts.slice(0, -1))],
    ['whose deltas differ from the done text', good.replace('"delta":"there"', '"delta":"then"')],
    ['whose arguments deltas differ from the done arguments', good.replace('"delta":"1}"', '"delta":"2}"')],
    [
      'with an event name that is not its type',
      good.replace('event: response.in_progress', 'event: response.created'),
    ],
  ])('rejects a stream %s', (_name, body) => {
    expect(() => checkResponsesStream(body)).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { decodeOpenAIChatRequest } from './decode-openai-chat-request.js';

const EPHEMERAL = { type: 'ephemeral' } as const;

describe('decodeOpenAIChatRequest: cache_control (the LiteLLM/OpenRouter convention)', () => {
  it('keeps breakpoints on system, user, assistant and tool content parts and on tools', () => {
    const { value, warnings } = decodeOpenAIChatRequest({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'long rules', cache_control: EPHEMERAL }] },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' }, cache_control: EPHEMERAL },
            { type: 'text', text: 'look', cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'calling', cache_control: EPHEMERAL }],
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        {
          role: 'tool',
          tool_call_id: 'call_1',
          content: [{ type: 'text', text: 'done', cache_control: EPHEMERAL }],
        },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'f', parameters: { type: 'object' } },
          cache_control: EPHEMERAL,
        },
      ],
    });
    expect(warnings).toEqual([]);
    expect(value.system).toEqual([{ type: 'text', text: 'long rules', cacheControl: EPHEMERAL }]);
    expect(value.messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'image',
            source: { type: 'url', url: 'https://example.com/a.png' },
            cacheControl: EPHEMERAL,
          },
          { type: 'text', text: 'look', cacheControl: { type: 'ephemeral', ttl: '1h' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'calling', cacheControl: EPHEMERAL },
          { type: 'tool-call', id: 'call_1', name: 'f', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_1',
            toolName: 'f',
            content: 'done',
            cacheControl: EPHEMERAL,
          },
        ],
      },
    ]);
    expect(value.tools[0]?.cacheControl).toEqual(EPHEMERAL);
  });

  it('drops a cache_control it does not understand, with a warning', () => {
    const { value, warnings } = decodeOpenAIChatRequest({
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'forever' } }] },
      ],
    });
    expect(value.messages[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'hi' }] });
    expect(warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', field: 'messages[0].content[0].cache_control' }),
    ]);
  });
});

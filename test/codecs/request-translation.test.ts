import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAnthropicRequest } from '../../src/protocols/anthropic-messages/decode-anthropic-request.js';
import { decodeOpenAIChatRequest } from '../../src/protocols/openai-chat/decode-openai-chat-request.js';
import { convertToAnthropicMessages } from '../../src/providers/anthropic/convert-to-anthropic-messages.js';
import { convertToOpenAIChatRequest } from '../../src/providers/openai/convert-to-openai-chat-request.js';

const claudeCode: unknown = JSON.parse(
  readFileSync(
    new URL(
      '../../src/protocols/anthropic-messages/__fixtures__/claude-code-messages-request.json',
      import.meta.url,
    ),
    'utf8',
  ),
);

describe('the recorded Claude Code request sent to an OpenAI Chat upstream', () => {
  const canonical = decodeAnthropicRequest(claudeCode).value;
  const { value: body, warnings } = convertToOpenAIChatRequest(canonical);
  const messages = body.messages as Array<{ role: string; content: unknown }>;

  it('keeps the system prompt first, the user turn, and the mid-conversation system message in place', () => {
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'system']);
    expect(messages[0]?.content).toBe('<text: 74 chars>\n\n<text: 62 chars>\n\n<text: 5684 chars>');
    expect(messages[1]?.content).toEqual([
      { type: 'text', text: '<text: 306 chars>' },
      { type: 'text', text: 'say hi' },
    ]);
  });

  it('sends the 25 tools as function tools without $schema', () => {
    const tools = body.tools as Array<{
      type: string;
      function: { name: string; parameters: Record<string, unknown> };
    }>;
    expect(tools).toHaveLength(25);
    expect(tools.every((tool) => tool.type === 'function' && !('$schema' in tool.function.parameters))).toBe(
      true,
    );
  });

  it('maps effort, output limit and streaming with usage', () => {
    expect(body).toMatchObject({
      reasoning_effort: 'high',
      max_completion_tokens: 64000,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('says what it could not send: cache breakpoints, the JSON user id and context management', () => {
    expect(warnings.map((warning) => warning.field).sort()).toEqual([
      'cacheControl',
      'metadata.userId',
      'providerOptions.anthropic',
    ]);
  });
});

describe('an OpenAI Chat request sent to an Anthropic upstream', () => {
  it('becomes a valid Messages body with system, tool results in a user turn and a default max_tokens', () => {
    const canonical = decodeOpenAIChatRequest({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'w', arguments: '{"c":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21°C' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'w', parameters: { type: 'object', properties: { c: { type: 'string' } } } },
        },
      ],
      reasoning_effort: 'medium',
    }).value;
    const { value, warnings } = convertToAnthropicMessages(canonical);
    // Chat clients cannot send Anthropic thinking back, and Anthropic rejects a tool-use turn
    // without it while thinking is on: thinking is turned off for this request.
    expect(warnings).toEqual([expect.objectContaining({ type: 'lossy', field: 'reasoning' })]);
    expect(value).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 8192,
      system: [{ type: 'text', text: 'be brief' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'weather in Paris?' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'w', input: { c: 'Paris' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '21°C' }] },
      ],
      tools: [{ name: 'w', input_schema: { type: 'object', properties: { c: { type: 'string' } } } }],
      thinking: { type: 'disabled' },
      output_config: { effort: 'medium' },
    });
  });
});

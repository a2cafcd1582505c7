import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { isSwitchyardError } from '../../core/errors.js';
import { anthropicTextBlockSchema } from './anthropic-request-schema.js';
import { decodeAnthropicRequest } from './decode-anthropic-request.js';

const claudeCode = JSON.parse(
  readFileSync(new URL('./__fixtures__/claude-code-messages-request.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function minimal(extra: Record<string, unknown> = {}) {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  };
}

function fieldOfError(body: unknown): unknown {
  try {
    decodeAnthropicRequest(body);
  } catch (error) {
    if (isSwitchyardError(error) && error.code === 'invalid_request') return error.details?.field;
    throw error;
  }
  return 'no error';
}

describe('decodeAnthropicRequest with the recorded Claude Code request', () => {
  const { value, warnings } = decodeAnthropicRequest(claudeCode);

  it('decodes without warnings', () => {
    expect(warnings).toEqual([]);
  });

  it('keeps the three system blocks and their cache breakpoints', () => {
    expect(value.system.map((part) => part.cacheControl)).toEqual([
      undefined,
      { type: 'ephemeral' },
      { type: 'ephemeral' },
    ]);
  });

  it('keeps the mid-conversation system message after the first user message', () => {
    expect(value.messages.map((message) => message.role)).toEqual(['user', 'system']);
    expect(value.messages[0]?.content[1]).toEqual({
      type: 'text',
      text: 'say hi',
      cacheControl: { type: 'ephemeral' },
    });
  });

  it('decodes all 25 tools with their schemas as sent', () => {
    expect(value.tools).toHaveLength(25);
    expect(value.tools[0]?.name).toBe('Agent');
    expect(value.tools[0]?.inputSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('maps adaptive thinking with effort, max_tokens, metadata, stream and context management', () => {
    expect(value.reasoning).toEqual({ enabled: true, effort: 'high' });
    expect(value.maxOutputTokens).toBe(64000);
    expect(value.metadata.userId).toContain('"session_id":"abd2a871-cb3e-40e7-892c-c654b3c2c79f"');
    expect(value.stream).toBe(true);
    expect(value.providerOptions.anthropic).toEqual({
      contextManagement: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    });
  });
});

describe('decodeAnthropicRequest fields', () => {
  it.each([
    { tool_choice: { type: 'auto' }, toolChoice: { type: 'auto' }, parallel: undefined },
    { tool_choice: { type: 'any' }, toolChoice: { type: 'required' }, parallel: undefined },
    { tool_choice: { type: 'none' }, toolChoice: { type: 'none' }, parallel: undefined },
    {
      tool_choice: { type: 'tool', name: 'Bash' },
      toolChoice: { type: 'tool', toolName: 'Bash' },
      parallel: undefined,
    },
    {
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      toolChoice: { type: 'auto' },
      parallel: false,
    },
  ])('tool_choice $tool_choice.type → $toolChoice.type', ({ tool_choice, toolChoice, parallel }) => {
    const { value } = decodeAnthropicRequest(minimal({ tool_choice }));
    expect(value.toolChoice).toEqual(toolChoice);
    expect(value.parallelToolCalls).toBe(parallel);
  });

  it.each([
    {
      thinking: { type: 'enabled', budget_tokens: 2048 },
      output_config: undefined,
      reasoning: { enabled: true, budgetTokens: 2048 },
    },
    { thinking: { type: 'disabled' }, output_config: undefined, reasoning: { enabled: false } },
    { thinking: { type: 'adaptive' }, output_config: undefined, reasoning: { enabled: true } },
    { thinking: undefined, output_config: { effort: 'low' }, reasoning: { enabled: true, effort: 'low' } },
    { thinking: undefined, output_config: undefined, reasoning: undefined },
  ])('thinking $thinking.type with $output_config → $reasoning', ({ thinking, output_config, reasoning }) => {
    expect(decodeAnthropicRequest(minimal({ thinking, output_config })).value.reasoning).toEqual(reasoning);
  });

  it('maps sampling, stop sequences and a string system prompt', () => {
    const { value } = decodeAnthropicRequest(
      minimal({ system: 'be brief', temperature: 0.2, top_p: 0.9, top_k: 40, stop_sequences: ['END'] }),
    );
    expect(value.system).toEqual([{ type: 'text', text: 'be brief' }]);
    expect(value.sampling).toEqual({ temperature: 0.2, topP: 0.9, topK: 40 });
    expect(value.stopSequences).toEqual(['END']);
  });

  it('folds a leading role system message into the system prompt', () => {
    const { value } = decodeAnthropicRequest(
      minimal({
        system: 'first',
        messages: [
          { role: 'system', content: 'second' },
          { role: 'user', content: 'hi' },
        ],
      }),
    );
    expect(value.system.map((part) => part.text)).toEqual(['first', 'second']);
    expect(value.messages.map((message) => message.role)).toEqual(['user']);
  });

  it('splits tool results from user content in order and names the tool they answer', () => {
    const { value } = decodeAnthropicRequest(
      minimal({
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_1',
                content: [{ type: 'text', text: '21°C' }],
                is_error: false,
              },
              { type: 'text', text: 'and tomorrow?' },
            ],
          },
        ],
      }),
    );
    expect(value.messages.slice(2)).toEqual([
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'toolu_1',
            toolName: 'get_weather',
            content: [{ type: 'text', text: '21°C' }],
            isError: false,
          },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'and tomorrow?' }] },
    ]);
  });

  it('keeps a tool input key named __proto__ as data', () => {
    const body = JSON.parse(
      '{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":{"__proto__":0,"a":1}}]}]}',
    );
    const [, assistant] = decodeAnthropicRequest(body).value.messages;
    const call = assistant?.content[0];
    expect(call?.type === 'tool-call' && JSON.stringify(call.input)).toBe('{"__proto__":0,"a":1}');
  });

  it('keeps thinking signatures and redacted thinking', () => {
    const { value } = decodeAnthropicRequest(
      minimal({
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 'sig' },
              { type: 'redacted_thinking', data: 'opaque' },
              { type: 'text', text: 'hello' },
            ],
          },
        ],
      }),
    );
    expect(value.messages[1]?.content).toEqual([
      { type: 'reasoning', text: 'hmm', signature: 'sig' },
      { type: 'reasoning', text: '', redactedData: 'opaque' },
      { type: 'text', text: 'hello' },
    ]);
  });

  it('decodes images and documents, turning text documents into base64 text files', () => {
    const { value } = decodeAnthropicRequest(
      minimal({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
              {
                type: 'document',
                source: { type: 'text', media_type: 'text/plain', data: 'hello' },
                title: 'a.txt',
              },
            ],
          },
        ],
      }),
    );
    expect(value.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      {
        type: 'file',
        source: { type: 'base64', mediaType: 'text/plain', data: 'aGVsbG8=' },
        filename: 'a.txt',
      },
    ]);
  });

  it('keeps builtin tools and unknown top-level fields in providerOptions.anthropic', () => {
    const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 5 };
    const { value } = decodeAnthropicRequest(
      minimal({ tools: [webSearch], service_tier: 'auto', output_config: { effort: 'low', task_budget: 3 } }),
    );
    expect(value.tools).toEqual([]);
    expect(value.providerOptions.anthropic).toEqual({
      builtinTools: [webSearch],
      extraBody: { service_tier: 'auto', output_config: { task_budget: 3 } },
    });
  });

  it('maps a JSON-schema output format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const { value } = decodeAnthropicRequest(
      minimal({ output_config: { format: { type: 'json_schema', schema } } }),
    );
    expect(value.responseFormat).toEqual({ type: 'json_schema', schema });
  });

  it('warns about blocks it cannot translate instead of failing', () => {
    const { value, warnings } = decodeAnthropicRequest(
      minimal({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'search_result', source: 'x' },
              { type: 'text', text: 'hi' },
            ],
          },
          {
            role: 'assistant',
            content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }],
          },
        ],
      }),
    );
    expect(value.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [] },
    ]);
    expect(warnings.map((warning) => warning.field)).toEqual([
      'messages[0].content[0]',
      'messages[1].content[0]',
    ]);
  });

  it.each([
    { name: 'a body that is not an object', body: [], field: '(body)' },
    { name: 'a missing model', body: { messages: [] }, field: 'model' },
    { name: 'messages that are not a list', body: { model: 'm', messages: 'hi' }, field: 'messages' },
    {
      name: 'an unknown role',
      body: { model: 'm', messages: [{ role: 'bot', content: 'x' }] },
      field: 'messages[0].role',
    },
    {
      name: 'a text block without text',
      body: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      field: 'messages[0].content[0].text',
    },
    {
      // Rejected by the request schema's union (a string or a list of text blocks), before decoding.
      name: 'a system block without text',
      body: minimal({ system: [{ type: 'text', text: 'a' }, { type: 'text' }] }),
      field: 'system',
    },
    {
      name: 'a tool_use without id',
      body: {
        model: 'm',
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', name: 'x', input: {} }] }],
      },
      field: 'messages[0].content[0].id',
    },
    {
      name: 'tool_choice tool without name',
      body: minimal({ tool_choice: { type: 'tool' } }),
      field: 'tool_choice.name',
    },
    {
      name: 'a custom tool without schema',
      body: minimal({ tools: [{ name: 'x' }] }),
      field: 'tools[0].input_schema',
    },
    {
      name: 'enabled thinking without budget',
      body: minimal({ thinking: { type: 'enabled' } }),
      field: 'thinking.budget_tokens',
    },
  ])('rejects $name with invalid_request naming $field', ({ body, field }) => {
    expect(fieldOfError(body)).toBe(field);
  });
});

describe('decodeAnthropicRequest checks each text block once', () => {
  it('does not check system blocks and string contents again after the request schema, only content blocks', () => {
    const textBlockChecks = vi.spyOn(anthropicTextBlockSchema, 'safeParse');
    try {
      const { value } = decodeAnthropicRequest(
        minimal({
          system: [
            { type: 'text', text: 'first' },
            { type: 'text', text: 'second', cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
          messages: [
            { role: 'user', content: 'hi' },
            { role: 'assistant', content: 'hello' },
            { role: 'user', content: [{ type: 'text', text: 'in a block' }] },
          ],
        }),
      );
      // Only the block in a content list, which the request schema checks for its type alone.
      expect(textBlockChecks).toHaveBeenCalledTimes(1);
      expect(value.system).toEqual([
        { type: 'text', text: 'first' },
        { type: 'text', text: 'second', cacheControl: { type: 'ephemeral', ttl: '1h' } },
      ]);
      expect(value.messages).toEqual([
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
        { role: 'user', content: [{ type: 'text', text: 'in a block' }] },
      ]);
    } finally {
      textBlockChecks.mockRestore();
    }
  });
});

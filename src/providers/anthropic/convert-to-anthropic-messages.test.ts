import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../core/model/canonical-request.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

function request(extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'claude-x',
    system: [],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    tools: [],
    sampling: {},
    stream: false,
    metadata: {},
    providerOptions: {},
    ...extra,
  };
}

describe('convertToAnthropicMessages', () => {
  it.each([
    { name: 'no limit, no thinking', extra: {}, maxTokens: 8192, thinking: undefined },
    { name: 'explicit limit', extra: { maxOutputTokens: 300 }, maxTokens: 300, thinking: undefined },
    {
      name: 'adaptive thinking',
      extra: { reasoning: { enabled: true } },
      maxTokens: 64000,
      thinking: { type: 'adaptive' },
    },
    {
      name: 'budget thinking',
      extra: { reasoning: { enabled: true, budgetTokens: 4000 } },
      maxTokens: 64000,
      thinking: { type: 'enabled', budget_tokens: 4000 },
    },
    {
      name: 'budget above the limit',
      extra: { maxOutputTokens: 2000, reasoning: { enabled: true, budgetTokens: 4000 } },
      maxTokens: 4000 + 8192,
      thinking: { type: 'enabled', budget_tokens: 4000 },
    },
    {
      name: 'budget under the minimum',
      extra: { reasoning: { enabled: true, budgetTokens: 100 } },
      maxTokens: 64000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
    },
    {
      name: 'thinking off',
      extra: { reasoning: { enabled: false } },
      maxTokens: 8192,
      thinking: { type: 'disabled' },
    },
    {
      name: 'effort none',
      extra: { reasoning: { enabled: true, effort: 'none' as const } },
      maxTokens: 8192,
      thinking: { type: 'disabled' },
    },
  ])('$name → max_tokens $maxTokens', ({ extra, maxTokens, thinking }) => {
    const { value } = convertToAnthropicMessages(request(extra));
    expect(value.max_tokens).toBe(maxTokens);
    expect(value.thinking).toEqual(thinking);
  });

  it.each([
    { effort: 'high' as const, sent: 'high', warned: false },
    { effort: 'max' as const, sent: 'max', warned: false },
    { effort: 'minimal' as const, sent: 'low', warned: true },
    { effort: 'none' as const, sent: undefined, warned: false },
  ])('effort $effort → output_config.effort $sent', ({ effort, sent, warned }) => {
    const { value, warnings } = convertToAnthropicMessages(request({ reasoning: { enabled: true, effort } }));
    expect((value.output_config as { effort?: string } | undefined)?.effort).toBe(sent);
    expect(warnings.length > 0).toBe(warned);
  });

  it.each([
    {
      name: 'keeps temperature and top_k',
      sampling: { temperature: 0.5, topK: 5 },
      thinking: false,
      sent: { temperature: 0.5, top_k: 5 },
    },
    {
      name: 'clamps temperature to 1',
      sampling: { temperature: 1.7 },
      thinking: false,
      sent: { temperature: 1 },
    },
    {
      name: 'drops top_p next to temperature',
      sampling: { temperature: 0.5, topP: 0.9 },
      thinking: false,
      sent: { temperature: 0.5 },
    },
    { name: 'keeps top_p alone', sampling: { topP: 0.9 }, thinking: false, sent: { top_p: 0.9 } },
    {
      name: 'drops sampling with thinking',
      sampling: { temperature: 0.5, topP: 0.5, topK: 5 },
      thinking: true,
      sent: {},
    },
    {
      name: 'keeps temperature 1 with thinking',
      sampling: { temperature: 1 },
      thinking: true,
      sent: { temperature: 1 },
    },
  ])('sampling: $name', ({ sampling, thinking, sent }) => {
    const { value } = convertToAnthropicMessages(
      request({ sampling, reasoning: thinking ? { enabled: true } : undefined }),
    );
    expect({ temperature: value.temperature, top_p: value.top_p, top_k: value.top_k }).toEqual({
      temperature: undefined,
      top_p: undefined,
      top_k: undefined,
      ...sent,
    });
  });

  it('writes system blocks with cache breakpoints and the conversation with every block type', () => {
    const { value, warnings } = convertToAnthropicMessages(
      request({
        system: [{ type: 'text', text: 'rules', cacheControl: { type: 'ephemeral', ttl: '1h' } }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
              {
                type: 'file',
                source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBER' },
                filename: 'a.pdf',
              },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'hmm', signature: 'sig' },
              { type: 'tool-call', id: 'toolu_1', name: 'f', input: { a: 1 } },
            ],
          },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: 'boom', isError: true }],
          },
          { role: 'user', content: [{ type: 'text', text: 'again' }] },
        ],
      }),
    );
    expect(warnings).toEqual([]);
    expect(value.system).toEqual([
      { type: 'text', text: 'rules', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(value.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
          {
            type: 'document',
            source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' },
            title: 'a.pdf',
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 'sig' },
          { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'boom', is_error: true },
          { type: 'text', text: 'again' },
        ],
      },
    ]);
  });

  describe('thinking after a tool-use turn', () => {
    const toolTurn = (reasoning: Array<{ type: 'reasoning'; text: string; signature?: string }>) =>
      request({
        reasoning: { enabled: true },
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
          {
            role: 'assistant',
            content: [...reasoning, { type: 'tool-call', id: 'call_1', name: 'get_weather', input: {} }],
          },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: 'sunny' }] },
        ],
      });

    it('stays on when the last tool-use turn starts with a signed thinking block', () => {
      const { value, warnings } = convertToAnthropicMessages(
        toolTurn([{ type: 'reasoning', text: 'hmm', signature: 'sig' }]),
      );
      expect(value.thinking).toEqual({ type: 'adaptive' });
      expect(value.max_tokens).toBe(64000);
      expect(warnings).toEqual([]);
    });

    // Anthropic answers 400 ("a final assistant message must start with a thinking block") otherwise.
    it.each([
      ['no reasoning', []],
      ['reasoning of another provider', [{ type: 'reasoning' as const, text: 'foreign' }]],
    ])('is turned off, with a warning, when that turn has %s', (_name, reasoning) => {
      const { value, warnings } = convertToAnthropicMessages(toolTurn(reasoning));
      expect(value.thinking).toEqual({ type: 'disabled' });
      expect(value.max_tokens).toBe(8192);
      expect(warnings).toContainEqual(
        expect.objectContaining({
          type: 'lossy',
          field: 'reasoning',
          message: expect.stringContaining('turned off'),
        }),
      );
    });
  });

  it('drops reasoning that has no Anthropic signature, with a warning', () => {
    const { value, warnings } = convertToAnthropicMessages(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'foreign' },
              { type: 'text', text: 'ok' },
            ],
          },
        ],
      }),
    );
    expect(value.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'ok' }] });
    expect(warnings).toMatchObject([{ type: 'unsupported', field: 'messages[1].content[0]' }]);
  });

  it.each([
    {
      mode: undefined,
      expected: {
        role: 'user',
        content: [
          { type: 'text', text: 'hi' },
          { type: 'text', text: 'note' },
        ],
      },
    },
    { mode: 'keep' as const, expected: { role: 'system', content: 'note' } },
  ])('mid-conversation system messages with mode $mode', ({ mode, expected }) => {
    const { value } = convertToAnthropicMessages(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'system', content: [{ type: 'text', text: 'note' }] },
        ],
      }),
      mode === undefined ? {} : { midConversationSystem: mode },
    );
    expect(value.messages.at(-1)).toEqual(expected);
  });

  it.each([
    { toolChoice: undefined, parallel: undefined, sent: undefined },
    { toolChoice: { type: 'auto' as const }, parallel: undefined, sent: { type: 'auto' } },
    { toolChoice: { type: 'required' as const }, parallel: undefined, sent: { type: 'any' } },
    { toolChoice: { type: 'none' as const }, parallel: undefined, sent: { type: 'none' } },
    {
      toolChoice: { type: 'tool' as const, toolName: 'f' },
      parallel: undefined,
      sent: { type: 'tool', name: 'f' },
    },
    { toolChoice: undefined, parallel: false, sent: { type: 'auto', disable_parallel_tool_use: true } },
  ])('tool choice $toolChoice.type (parallel $parallel) → $sent', ({ toolChoice, parallel, sent }) => {
    const { value } = convertToAnthropicMessages(
      request({
        tools: [{ name: 'f', inputSchema: { type: 'object', properties: {} } }],
        ...(toolChoice ? { toolChoice } : {}),
        ...(parallel === undefined ? {} : { parallelToolCalls: parallel }),
      }),
    );
    expect(value.tool_choice).toEqual(sent);
  });

  it('sends no tool_choice without tools', () => {
    const { value } = convertToAnthropicMessages(request({ toolChoice: { type: 'required' } }));
    expect(value.tools).toBeUndefined();
    expect(value.tool_choice).toBeUndefined();
  });

  it('makes tool schemas object schemas and appends builtin tools', () => {
    const builtin = { type: 'web_search_20250305', name: 'web_search' };
    const { value } = convertToAnthropicMessages(
      request({
        tools: [{ name: 'f', description: 'does f', inputSchema: {}, cacheControl: { type: 'ephemeral' } }],
        providerOptions: { anthropic: { builtinTools: [builtin] } },
      }),
    );
    expect(value.tools).toEqual([
      {
        name: 'f',
        description: 'does f',
        input_schema: { type: 'object', properties: {} },
        cache_control: { type: 'ephemeral' },
      },
      builtin,
    ]);
  });

  it('copies extra body fields without overriding converted ones, and warns about OpenAI-only fields', () => {
    const { value, warnings } = convertToAnthropicMessages(
      request({
        model: 'claude-x',
        reasoning: { enabled: true, effort: 'low' },
        providerOptions: {
          anthropic: {
            extraBody: {
              model: 'other',
              service_tier: 'auto',
              output_config: { effort: 'high', task_budget: 3 },
            },
          },
          openai: { extraBody: { seed: 1 } },
        },
      }),
    );
    expect(value.model).toBe('claude-x');
    expect(value.service_tier).toBe('auto');
    expect(value.output_config).toEqual({ effort: 'low', task_budget: 3 });
    expect(warnings).toMatchObject([{ field: 'providerOptions.openai.extraBody' }]);
  });

  it('maps stop sequences, user id, stream, JSON-schema output and context management', () => {
    const schema = { type: 'object', properties: {} };
    const { value, warnings } = convertToAnthropicMessages(
      request({
        stopSequences: ['END'],
        metadata: { userId: 'user-1' },
        stream: true,
        responseFormat: { type: 'json_schema', schema, name: 'x' },
        providerOptions: { anthropic: { contextManagement: { edits: [] } } },
      }),
    );
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({
      stop_sequences: ['END'],
      metadata: { user_id: 'user-1' },
      stream: true,
      output_config: { format: { type: 'json_schema', schema } },
      context_management: { edits: [] },
    });
  });

  it('warns and leaves out JSON mode without a schema', () => {
    const { value, warnings } = convertToAnthropicMessages(request({ responseFormat: { type: 'json' } }));
    expect(value.output_config).toBeUndefined();
    expect(warnings).toMatchObject([{ type: 'unsupported', field: 'responseFormat' }]);
  });
});

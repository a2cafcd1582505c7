import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, ReasoningConfig } from '../../core/model/canonical-request.js';
import { convertToOpenAIChatRequest } from './convert-to-openai-chat-request.js';

function request(extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'gpt-4o',
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

describe('convertToOpenAIChatRequest', () => {
  it('writes the system prompt, every message kind and tool results as tool messages', () => {
    const { value, warnings } = convertToOpenAIChatRequest(
      request({
        system: [
          { type: 'text', text: 'rules' },
          { type: 'text', text: 'more' },
        ],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
              {
                type: 'file',
                source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBER' },
                filename: 'a.pdf',
              },
            ],
          },
          { role: 'system', content: [{ type: 'text', text: 'reminder' }] },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'calling' },
              { type: 'tool-call', id: 'call_1', name: 'f', input: { a: 1 } },
              { type: 'tool-call', id: 'call_2', name: 'g', input: {} },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', content: 'one' },
              { type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: 'two' }] },
            ],
          },
        ],
      }),
    );
    expect(warnings).toEqual([]);
    expect(value.messages).toEqual([
      { role: 'system', content: 'rules\n\nmore' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } },
        ],
      },
      { role: 'system', content: 'reminder' },
      {
        role: 'assistant',
        content: 'calling',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
          { id: 'call_2', type: 'function', function: { name: 'g', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'one' },
      { role: 'tool', tool_call_id: 'call_2', content: 'two' },
    ]);
  });

  it('warns once about cache breakpoints and about what tool results lose', () => {
    const { warnings } = convertToOpenAIChatRequest(
      request({
        system: [{ type: 'text', text: 'rules', cacheControl: { type: 'ephemeral' } }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi', cacheControl: { type: 'ephemeral' } }] },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'c',
                isError: true,
                content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }],
              },
            ],
          },
        ],
      }),
    );
    expect(warnings.map((warning) => warning.field)).toEqual([
      'messages[1].content[0]',
      'messages[1].content[0].isError',
      'cacheControl',
    ]);
  });

  it.each([
    { reasoningContent: false, expected: undefined, warned: true },
    { reasoningContent: true, expected: 'thought', warned: false },
  ])('reasoning with reasoningContent=$reasoningContent', ({ reasoningContent, expected, warned }) => {
    const { value, warnings } = convertToOpenAIChatRequest(
      request({
        messages: [{ role: 'assistant', content: [{ type: 'reasoning', text: 'thought', signature: 's' }] }],
      }),
      { reasoningContent },
    );
    expect(value.messages[0]?.reasoning_content).toBe(expected);
    expect(warnings.length > 0).toBe(warned);
  });

  it('cleans tool schemas and maps tool choice and parallel calls', () => {
    const { value } = convertToOpenAIChatRequest(
      request({
        tools: [
          {
            name: 'f',
            description: 'does f',
            inputSchema: {
              $schema: 'https://json-schema.org/draft/2020-12/schema',
              type: 'object',
              properties: { $schema: { type: 'string' } },
            },
          },
          { name: 'g', inputSchema: {} },
        ],
        toolChoice: { type: 'tool', toolName: 'f' },
        parallelToolCalls: false,
      }),
    );
    expect(value.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'f',
          description: 'does f',
          parameters: { type: 'object', properties: { $schema: { type: 'string' } } },
        },
      },
      { type: 'function', function: { name: 'g', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(value.tool_choice).toEqual({ type: 'function', function: { name: 'f' } });
    expect(value.parallel_tool_calls).toBe(false);
  });

  it('sends no tool_choice or parallel_tool_calls without tools', () => {
    const { value } = convertToOpenAIChatRequest(
      request({ toolChoice: { type: 'required' }, parallelToolCalls: true }),
    );
    expect(value).not.toHaveProperty('tool_choice');
    expect(value).not.toHaveProperty('parallel_tool_calls');
  });

  it.each<{ reasoning: ReasoningConfig; effort: string | undefined; warned: boolean }>([
    { reasoning: { enabled: true, effort: 'high' }, effort: 'high', warned: false },
    { reasoning: { enabled: false, effort: 'none' }, effort: 'none', warned: false },
    { reasoning: { enabled: true, effort: 'max' }, effort: 'xhigh', warned: true },
    { reasoning: { enabled: true }, effort: undefined, warned: false },
    { reasoning: { enabled: false }, effort: undefined, warned: true },
    { reasoning: { enabled: true, budgetTokens: 1024 }, effort: 'low', warned: true },
    { reasoning: { enabled: true, budgetTokens: 10000 }, effort: 'medium', warned: true },
    { reasoning: { enabled: true, budgetTokens: 32000 }, effort: 'high', warned: true },
  ])('reasoning $reasoning → reasoning_effort $effort', ({ reasoning, effort, warned }) => {
    const { value, warnings } = convertToOpenAIChatRequest(request({ reasoning }));
    expect(value.reasoning_effort).toBe(effort);
    expect(warnings.length > 0).toBe(warned);
  });

  it.each([
    { field: undefined, expected: 'max_completion_tokens' },
    { field: 'max_tokens' as const, expected: 'max_tokens' },
  ])('writes the output limit to $expected', ({ field, expected }) => {
    const { value } = convertToOpenAIChatRequest(
      request({ maxOutputTokens: 77 }),
      field ? { maxTokensField: field } : {},
    );
    expect(value[expected]).toBe(77);
  });

  it('maps sampling, stop, response format, stream with usage and user; warns about top_k and long ids', () => {
    const { value, warnings } = convertToOpenAIChatRequest(
      request({
        sampling: { temperature: 0.4, topP: 0.9, topK: 3 },
        stopSequences: ['a', 'b', 'c', 'd', 'e'],
        responseFormat: { type: 'json_schema', schema: { type: 'object' }, strict: true },
        stream: true,
        metadata: { userId: 'x'.repeat(65) },
      }),
    );
    expect(value).toMatchObject({
      temperature: 0.4,
      top_p: 0.9,
      stop: ['a', 'b', 'c', 'd'],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'response', schema: { type: 'object' }, strict: true },
      },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(value).not.toHaveProperty('user');
    expect(warnings.map((warning) => warning.field)).toEqual([
      'sampling.topK',
      'stopSequences',
      'metadata.userId',
    ]);
  });

  it('copies extra body fields without overriding, and warns about Anthropic-only options', () => {
    const { value, warnings } = convertToOpenAIChatRequest(
      request({
        metadata: { userId: 'u-1' },
        providerOptions: {
          openai: { extraBody: { seed: 3, model: 'other' } },
          anthropic: { contextManagement: { edits: [] }, builtinTools: [{ type: 'web_search_20250305' }] },
        },
      }),
    );
    expect(value).toMatchObject({ model: 'gpt-4o', seed: 3, user: 'u-1' });
    expect(warnings).toMatchObject([{ field: 'providerOptions.anthropic' }]);
  });

  it('sends text files as text and drops files it cannot send', () => {
    const { value, warnings } = convertToOpenAIChatRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', source: { type: 'base64', mediaType: 'text/plain', data: 'aGVsbG8=' } },
              { type: 'file', source: { type: 'url', url: 'https://example.com/a.pdf' } },
            ],
          },
        ],
      }),
    );
    expect(value.messages[0]?.content).toEqual([{ type: 'text', text: 'hello' }]);
    expect(warnings).toMatchObject([{ field: 'messages[0].content[1]' }]);
  });
});

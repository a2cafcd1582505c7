import { describe, expect, it } from 'vitest';
import { isSwitchyardError } from '../../core/errors.js';
import { decodeOpenAIChatRequest } from './decode-openai-chat-request.js';

function minimal(extra: Record<string, unknown> = {}) {
  return { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra };
}

function fieldOfError(body: unknown): unknown {
  try {
    decodeOpenAIChatRequest(body);
  } catch (error) {
    if (isSwitchyardError(error) && error.code === 'invalid_request') return error.details?.field;
    throw error;
  }
  return 'no error';
}

describe('decodeOpenAIChatRequest', () => {
  it('turns leading system and developer messages into the system prompt, later ones stay in place', () => {
    const { value } = decodeOpenAIChatRequest(
      minimal({
        messages: [
          { role: 'system', content: 'rules' },
          { role: 'developer', content: [{ type: 'text', text: 'more rules' }] },
          { role: 'user', content: 'hi' },
          { role: 'system', content: 'reminder' },
        ],
      }),
    );
    expect(value.system).toEqual([
      { type: 'text', text: 'rules' },
      { type: 'text', text: 'more rules' },
    ]);
    expect(value.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'system', content: [{ type: 'text', text: 'reminder' }] },
    ]);
  });

  it('decodes a tool round trip: calls with parsed arguments, results joined and named', () => {
    const { value, warnings } = decodeOpenAIChatRequest(
      minimal({
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: null,
            reasoning_content: 'need both',
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '21°C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:00' }] },
        ],
      }),
    );
    expect(warnings).toEqual([]);
    expect(value.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'need both' },
          { type: 'tool-call', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool-call', id: 'call_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', content: '21°C' },
          { type: 'tool-result', toolCallId: 'call_2', toolName: 'get_time', content: '12:00' },
        ],
      },
    ]);
  });

  it('warns about tool-call arguments that are not JSON and keeps {}', () => {
    const { value, warnings } = decodeOpenAIChatRequest(
      minimal({
        messages: [
          {
            role: 'assistant',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }],
          },
        ],
      }),
    );
    expect(value.messages[0]?.content).toEqual([{ type: 'tool-call', id: 'c', name: 'f', input: {} }]);
    expect(warnings).toMatchObject([
      { type: 'lossy', field: 'messages[0].tool_calls[0].function.arguments' },
    ]);
  });

  it('decodes images (data URLs to base64) and PDF files, and drops audio with a warning', () => {
    const { value, warnings } = decodeOpenAIChatRequest(
      minimal({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'auto' } },
              { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } },
              { type: 'input_audio', input_audio: { data: 'x', format: 'wav' } },
            ],
          },
        ],
      }),
    );
    expect(value.messages[0]?.content).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      {
        type: 'file',
        source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBER' },
        filename: 'a.pdf',
      },
    ]);
    expect(warnings).toMatchObject([{ type: 'unsupported', field: 'messages[0].content[4]' }]);
  });

  it.each([
    { tool_choice: 'auto', expected: { type: 'auto' } },
    { tool_choice: 'none', expected: { type: 'none' } },
    { tool_choice: 'required', expected: { type: 'required' } },
    { tool_choice: { type: 'function', function: { name: 'f' } }, expected: { type: 'tool', toolName: 'f' } },
    { tool_choice: null, expected: undefined },
  ])('tool_choice $tool_choice → $expected', ({ tool_choice, expected }) => {
    expect(decodeOpenAIChatRequest(minimal({ tool_choice })).value.toolChoice).toEqual(expected);
  });

  it.each([
    { reasoning_effort: 'high', expected: { enabled: true, effort: 'high' } },
    { reasoning_effort: 'minimal', expected: { enabled: true, effort: 'minimal' } },
    { reasoning_effort: 'none', expected: { enabled: false, effort: 'none' } },
    { reasoning_effort: undefined, expected: undefined },
  ])('reasoning_effort $reasoning_effort → $expected', ({ reasoning_effort, expected }) => {
    expect(decodeOpenAIChatRequest(minimal({ reasoning_effort })).value.reasoning).toEqual(expected);
  });

  it.each([
    { response_format: { type: 'text' }, expected: { type: 'text' } },
    { response_format: { type: 'json_object' }, expected: { type: 'json' } },
    {
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', schema: { type: 'object' }, strict: true },
      },
      expected: { type: 'json_schema', name: 'x', schema: { type: 'object' }, strict: true },
    },
  ])('response_format $response_format.type', ({ response_format, expected }) => {
    expect(decodeOpenAIChatRequest(minimal({ response_format })).value.responseFormat).toEqual(expected);
  });

  it('maps tools, sampling, limits, stop, stream options and user; keeps the rest as extra body', () => {
    const { value, warnings } = decodeOpenAIChatRequest(
      minimal({
        tools: [
          {
            type: 'function',
            function: { name: 'f', description: 'does f', parameters: { type: 'object', properties: {} } },
          },
          { type: 'function', function: { name: 'g' } },
          { type: 'custom', custom: { name: 'h' } },
        ],
        parallel_tool_calls: false,
        temperature: 0.3,
        top_p: 0.8,
        max_tokens: 50,
        max_completion_tokens: 100,
        stop: 'END',
        stream: true,
        stream_options: { include_usage: true },
        user: 'u-1',
        seed: 7,
        frequency_penalty: 0.5,
        logprobs: null,
      }),
    );
    expect(value.tools).toEqual([
      { name: 'f', description: 'does f', inputSchema: { type: 'object', properties: {} } },
      { name: 'g', inputSchema: { type: 'object', properties: {} } },
    ]);
    expect(warnings).toMatchObject([{ field: 'tools[2]' }]);
    expect(value).toMatchObject({
      parallelToolCalls: false,
      sampling: { temperature: 0.3, topP: 0.8 },
      maxOutputTokens: 100,
      stopSequences: ['END'],
      stream: true,
      metadata: { userId: 'u-1' },
      providerOptions: { openai: { includeUsage: true, extraBody: { seed: 7, frequency_penalty: 0.5 } } },
    });
  });

  it('warns that n > 1 cannot be honoured', () => {
    expect(decodeOpenAIChatRequest(minimal({ n: 3 })).warnings).toMatchObject([{ field: 'n' }]);
  });

  it.each([
    { name: 'a body that is not an object', body: 'hi', field: '(body)' },
    { name: 'a missing model', body: { messages: [] }, field: 'model' },
    {
      name: 'an unknown role',
      body: { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
      field: 'messages[0].role',
    },
    {
      name: 'a tool message without tool_call_id',
      body: minimal({ messages: [{ role: 'tool', content: 'x' }] }),
      field: 'messages[0].tool_call_id',
    },
    {
      name: 'a text part without text',
      body: minimal({ messages: [{ role: 'user', content: [{ type: 'text' }] }] }),
      field: 'messages[0].content[0].text',
    },
    {
      name: 'a tool call without a function name',
      body: minimal({
        messages: [{ role: 'assistant', tool_calls: [{ id: 'c', function: { arguments: '{}' } }] }],
      }),
      field: 'messages[0].tool_calls[0].function.name',
    },
    {
      name: 'json_schema without schema',
      body: minimal({ response_format: { type: 'json_schema', json_schema: { name: 'x' } } }),
      field: 'response_format.json_schema.schema',
    },
  ])('rejects $name with invalid_request naming $field', ({ body, field }) => {
    expect(fieldOfError(body)).toBe(field);
  });
});

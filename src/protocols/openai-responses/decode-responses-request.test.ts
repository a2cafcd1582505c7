import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSwitchyardError } from '../../core/errors.js';
import { decodeResponsesRequest } from './decode-responses-request.js';
import { encodeReasoningEnvelope } from './reasoning-envelope.js';

const codex = JSON.parse(
  readFileSync(new URL('./__fixtures__/codex-responses-request.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function minimal(extra: Record<string, unknown> = {}) {
  return { model: 'gpt-5', input: 'hello', ...extra };
}

function fieldOfError(body: unknown): unknown {
  try {
    decodeResponsesRequest(body);
  } catch (error) {
    if (isSwitchyardError(error) && error.code === 'invalid_request') return error.details?.field;
    throw error;
  }
  return 'no error';
}

describe('decodeResponsesRequest with the recorded Codex request', () => {
  const decoded = decodeResponsesRequest(codex);
  const { value, warnings } = decoded;

  it('drops the built-in web_search tool with a warning, and only that', () => {
    expect(warnings).toEqual([
      {
        type: 'unsupported',
        field: 'tools[8]',
        message: '"web_search" tools only run on OpenAI and cannot be translated; dropped',
      },
    ]);
  });

  it('flattens the namespace tools and maps the flat names back to the client names', () => {
    expect(value.tools.map((tool) => tool.name)).toEqual([
      'exec_command',
      'write_stdin',
      'request_user_input',
      'view_image',
      'multi_agent_v1__close_agent',
      'multi_agent_v1__resume_agent',
      'multi_agent_v1__send_input',
      'multi_agent_v1__spawn_agent',
      'multi_agent_v1__wait_agent',
      'get_goal',
      'create_goal',
      'update_goal',
    ]);
    expect(decoded.encoding.toolNames).toEqual({
      multi_agent_v1__close_agent: { namespace: 'multi_agent_v1', name: 'close_agent' },
      multi_agent_v1__resume_agent: { namespace: 'multi_agent_v1', name: 'resume_agent' },
      multi_agent_v1__send_input: { namespace: 'multi_agent_v1', name: 'send_input' },
      multi_agent_v1__spawn_agent: { namespace: 'multi_agent_v1', name: 'spawn_agent' },
      multi_agent_v1__wait_agent: { namespace: 'multi_agent_v1', name: 'wait_agent' },
    });
  });

  it('keeps the tool schemas as sent', () => {
    expect(value.tools[0]?.inputSchema).toMatchObject({
      type: 'object',
      required: ['cmd'],
      additionalProperties: false,
    });
  });

  it('folds the leading developer messages into the system text and keeps the user messages', () => {
    expect(value.system).toHaveLength(3);
    expect(value.messages.map((message) => message.role)).toEqual(['user', 'user']);
    expect(value.messages[1]?.content).toEqual([{ type: 'text', text: 'say hi' }]);
  });

  it('maps stream, tool choice, parallel calls, reasoning summary and the prompt cache key', () => {
    expect(value.stream).toBe(true);
    expect(value.toolChoice).toEqual({ type: 'auto' });
    expect(value.parallelToolCalls).toBe(true);
    expect(value.reasoning).toEqual({ enabled: true });
    expect(value.providerOptions.openai?.extraBody).toEqual({
      prompt_cache_key: '01a2178d-53eb-7d42-93ca-3baa58d8ab2d',
    });
  });

  it('reports store false, encrypted reasoning asked for, and echoes the request', () => {
    expect(decoded.store).toBe(false);
    expect(decoded.previousResponseId).toBeUndefined();
    expect(decoded.encoding.includeEncryptedReasoning).toBe(true);
    expect(decoded.encoding.echo).toMatchObject({
      model: 'gpt-mock',
      store: false,
      tool_choice: 'auto',
      reasoning: { effort: null, summary: 'auto' },
      prompt_cache_key: '01a2178d-53eb-7d42-93ca-3baa58d8ab2d',
    });
    expect(decoded.encoding.echo?.tools).toHaveLength(9);
  });
});

describe('decodeResponsesRequest', () => {
  it('reads a string input as one user message and instructions as the system text', () => {
    const { value } = decodeResponsesRequest(minimal({ instructions: 'Be brief.' }));
    expect(value.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(value.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hello' }] }]);
  });

  it('groups an assistant turn: message, reasoning and calls form one assistant message; outputs one tool message', () => {
    const envelope = encodeReasoningEnvelope({ signature: 'SIG' });
    const { value, warnings } = decodeResponsesRequest(
      minimal({
        input: [
          { role: 'user', content: 'list files' },
          {
            type: 'reasoning',
            id: 'rs_1',
            summary: [{ type: 'summary_text', text: 'I should run ls.' }],
            encrypted_content: envelope,
          },
          { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Running ls.' }] },
          { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
          {
            type: 'function_call',
            call_id: 'call_2',
            namespace: 'multi_agent_v1',
            name: 'wait',
            arguments: '',
          },
          { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
          {
            type: 'function_call_output',
            call_id: 'call_2',
            output: [{ type: 'input_text', text: 'waited' }],
          },
          { role: 'user', content: [{ type: 'input_text', text: 'thanks' }] },
        ],
      }),
    );
    expect(warnings).toEqual([]);
    expect(value.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'list files' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'I should run ls.', signature: 'SIG' },
          { type: 'text', text: 'Running ls.' },
          { type: 'tool-call', id: 'call_1', name: 'exec_command', input: { cmd: 'ls' } },
          { type: 'tool-call', id: 'call_2', name: 'multi_agent_v1__wait', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'call_1', toolName: 'exec_command', content: 'a.txt' },
          {
            type: 'tool-result',
            toolCallId: 'call_2',
            toolName: 'multi_agent_v1__wait',
            content: [{ type: 'text', text: 'waited' }],
          },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'thanks' }] },
    ]);
  });

  it('keeps encrypted reasoning it did not write as redacted data', () => {
    const { value } = decodeResponsesRequest(
      minimal({ input: [{ type: 'reasoning', summary: [], encrypted_content: 'gAAAA-openai' }] }),
    );
    expect(value.messages[0]?.content).toEqual([
      { type: 'reasoning', text: '', redactedData: 'gAAAA-openai' },
    ]);
  });

  it('keeps a system message after the conversation started where it is', () => {
    const { value } = decodeResponsesRequest(
      minimal({
        input: [
          { role: 'user', content: 'a' },
          { role: 'developer', content: 'b' },
        ],
      }),
    );
    expect(value.messages.map((message) => message.role)).toEqual(['user', 'system']);
  });

  it('decodes images and files from data URLs, URLs and bare base64', () => {
    const { value, warnings } = decodeResponsesRequest(
      minimal({
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_image', image_url: 'data:image/png;base64,iVBO', detail: 'high' },
              { type: 'input_image', image_url: 'https://example.com/a.png' },
              { type: 'input_file', file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' },
              { type: 'input_file', file_data: 'aGk=', filename: 'notes.txt' },
              { type: 'input_image', file_id: 'file-123' },
            ],
          },
        ],
      }),
    );
    expect(value.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBO' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      {
        type: 'file',
        source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBE' },
        filename: 'a.pdf',
      },
      {
        type: 'file',
        source: { type: 'base64', mediaType: 'text/plain', data: 'aGk=' },
        filename: 'notes.txt',
      },
    ]);
    expect(warnings).toEqual([expect.objectContaining({ field: 'input[0].content[4]' })]);
  });

  it('drops items it cannot translate with a warning', () => {
    const { value, warnings } = decodeResponsesRequest(
      minimal({
        input: [
          { type: 'item_reference', id: 'msg_1' },
          { type: 'web_search_call', id: 'ws_1' },
        ],
      }),
    );
    expect(value.messages).toEqual([]);
    expect(warnings.map((warning) => warning.field)).toEqual(['input[0]', 'input[1]']);
  });

  it('warns about function call arguments that are not JSON and sends {}', () => {
    const { value, warnings } = decodeResponsesRequest(
      minimal({ input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{oops' }] }),
    );
    expect(value.messages[0]?.content[0]).toMatchObject({ input: {} });
    expect(warnings).toEqual([expect.objectContaining({ type: 'lossy', field: 'input[0].arguments' })]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'required' }],
    [
      { type: 'function', name: 'f' },
      { type: 'tool', toolName: 'f' },
    ],
    [
      { type: 'function', name: 'wait', namespace: 'multi_agent_v1' },
      { type: 'tool', toolName: 'multi_agent_v1__wait' },
    ],
  ])('tool_choice %j → %j', (toolChoice, expected) => {
    expect(decodeResponsesRequest(minimal({ tool_choice: toolChoice })).value.toolChoice).toEqual(expected);
  });

  it('reads a hosted tool choice as auto with a warning', () => {
    const { value, warnings } = decodeResponsesRequest(
      minimal({ tool_choice: { type: 'web_search_preview' } }),
    );
    expect(value.toolChoice).toEqual({ type: 'auto' });
    expect(warnings).toEqual([expect.objectContaining({ field: 'tool_choice' })]);
  });

  it.each([
    [{ effort: 'high' }, { enabled: true, effort: 'high' }],
    [
      { effort: 'minimal', summary: 'auto' },
      { enabled: true, effort: 'minimal' },
    ],
    [{ effort: 'none' }, { enabled: false }],
    [{ summary: 'detailed' }, { enabled: true }],
    [{}, undefined],
  ])('reasoning %j → %j', (reasoning, expected) => {
    expect(decodeResponsesRequest(minimal({ reasoning })).value.reasoning).toEqual(expected);
  });

  it.each([
    [{ format: { type: 'text' } }, undefined],
    [{ format: { type: 'json_object' } }, { type: 'json' }],
    [
      { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
    ],
  ])('text %j → response format %j', (text, expected) => {
    expect(decodeResponsesRequest(minimal({ text })).value.responseFormat).toEqual(expected);
  });

  it('maps sampling, output limit, user, previous response and verbosity', () => {
    const decoded = decodeResponsesRequest(
      minimal({
        temperature: 0.4,
        top_p: 0.9,
        max_output_tokens: 800,
        user: 'u-1',
        previous_response_id: 'resp_prev',
        text: { verbosity: 'low' },
      }),
    );
    expect(decoded.value.sampling).toEqual({ temperature: 0.4, topP: 0.9 });
    expect(decoded.value.maxOutputTokens).toBe(800);
    expect(decoded.value.metadata).toEqual({ userId: 'u-1' });
    expect(decoded.previousResponseId).toBe('resp_prev');
    expect(decoded.value.providerOptions.openai?.extraBody).toEqual({ verbosity: 'low' });
    expect(decoded.store).toBe(true);
  });

  it('warns about includes it cannot honour and automatic truncation', () => {
    const { warnings } = decodeResponsesRequest(
      minimal({ include: ['file_search_call.results', 'reasoning.encrypted_content'], truncation: 'auto' }),
    );
    expect(warnings.map((warning) => warning.field)).toEqual(['truncation', 'include']);
  });

  it.each([
    ['a body that is not an object', 'x', '(body)'],
    ['a missing model', { input: 'x' }, 'model'],
    ['a message with an unknown role', minimal({ input: [{ role: 'tool', content: 'x' }] }), 'input[0].role'],
    [
      'a function call without call_id',
      minimal({ input: [{ type: 'function_call', name: 'f', arguments: '' }] }),
      'input[0].call_id',
    ],
    [
      'a json_schema format without schema',
      minimal({ text: { format: { type: 'json_schema', name: 'x' } } }),
      'text.format.schema',
    ],
    [
      'a function tool choice without name',
      minimal({ tool_choice: { type: 'function' } }),
      'tool_choice.name',
    ],
  ])('rejects %s, naming the field', (_name, body, field) => {
    expect(fieldOfError(body)).toBe(field);
  });
});

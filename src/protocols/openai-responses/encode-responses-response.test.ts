import { describe, expect, it } from 'vitest';
import type { CanonicalResponse, FinishReason } from '../../core/model/canonical-response.js';
import type { AssistantContentPart } from '../../core/model/content-part.js';
import { encodeResponsesResponse } from './encode-responses-response.js';
import { decodeReasoningEnvelope } from './reasoning-envelope.js';

const usage = {
  inputTokens: 200,
  outputTokens: 50,
  cacheReadTokens: 128,
  cacheWriteTokens: 0,
  reasoningTokens: 20,
};
const options = { id: 'resp_abc', createdAt: Date.UTC(2026, 0, 1, 0, 0, 1, 900) };

function response(content: AssistantContentPart[], finishReason: FinishReason = 'stop'): CanonicalResponse {
  return { id: 'msg_up', model: 'claude-sonnet-4-5', content, finishReason, usage };
}

describe('encodeResponsesResponse', () => {
  it('writes a completed response with one message item, usage details and the echo defaults', () => {
    expect(encodeResponsesResponse(response([{ type: 'text', text: 'Hi!' }]), options)).toEqual({
      id: 'resp_abc',
      object: 'response',
      created_at: Math.floor(options.createdAt / 1000),
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      model: 'claude-sonnet-4-5',
      output: [
        {
          id: 'msg_abc_0',
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hi!', annotations: [], logprobs: [] }],
        },
      ],
      usage: {
        input_tokens: 200,
        input_tokens_details: { cached_tokens: 128 },
        output_tokens: 50,
        output_tokens_details: { reasoning_tokens: 20 },
        total_tokens: 250,
      },
      instructions: null,
      tools: [],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      max_output_tokens: null,
      temperature: null,
      top_p: null,
      reasoning: { effort: null, summary: null },
      text: { format: { type: 'text' } },
      store: true,
      previous_response_id: null,
      metadata: {},
      truncation: 'disabled',
      prompt_cache_key: null,
      user: null,
    });
  });

  it('writes tool calls as function_call items with JSON arguments and the client names', () => {
    const encoded = encodeResponsesResponse(
      response(
        [
          { type: 'tool-call', id: 'call_1', name: 'exec_command', input: { cmd: 'ls' } },
          { type: 'tool-call', id: 'call_2', name: 'multi_agent_v1__wait_agent', input: {} },
        ],
        'tool-calls',
      ),
      {
        ...options,
        toolNames: { multi_agent_v1__wait_agent: { namespace: 'multi_agent_v1', name: 'wait_agent' } },
      },
    );
    expect(encoded.output).toEqual([
      {
        id: 'fc_abc_0',
        type: 'function_call',
        status: 'completed',
        call_id: 'call_1',
        name: 'exec_command',
        arguments: '{"cmd":"ls"}',
      },
      {
        id: 'fc_abc_1',
        type: 'function_call',
        status: 'completed',
        call_id: 'call_2',
        name: 'wait_agent',
        namespace: 'multi_agent_v1',
        arguments: '{}',
      },
    ]);
    expect(encoded.status).toBe('completed');
  });

  it('writes reasoning as a summary, with encrypted content only when asked for', () => {
    const content: AssistantContentPart[] = [
      { type: 'reasoning', text: 'Let me think.', signature: 'SIG' },
      { type: 'reasoning', text: '', redactedData: 'RED' },
    ];
    expect(encodeResponsesResponse(response(content), options).output).toEqual([
      { id: 'rs_abc_0', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] },
    ]);
    const withEncrypted = encodeResponsesResponse(response(content), {
      ...options,
      includeEncryptedReasoning: true,
    });
    expect(withEncrypted.output).toEqual([
      {
        id: 'rs_abc_0',
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'Let me think.' }],
        encrypted_content: expect.any(String),
      },
      { id: 'rs_abc_1', type: 'reasoning', summary: [], encrypted_content: expect.any(String) },
    ]);
    const encrypted = withEncrypted.output.map((item) =>
      item.type === 'reasoning' ? item.encrypted_content : '',
    );
    expect(encrypted.map((value) => decodeReasoningEnvelope(value ?? ''))).toEqual([
      { signature: 'SIG' },
      { redactedData: 'RED' },
    ]);
  });

  it.each<[FinishReason, string, object | null, object | null]>([
    ['stop', 'completed', null, null],
    ['tool-calls', 'completed', null, null],
    ['other', 'completed', null, null],
    ['length', 'incomplete', { reason: 'max_output_tokens' }, null],
    ['content-filter', 'incomplete', { reason: 'content_filter' }, null],
    ['error', 'failed', null, { code: 'server_error', message: expect.any(String) }],
  ])('finish reason %s → status %s', (finishReason, status, incompleteDetails, error) => {
    const encoded = encodeResponsesResponse(response([], finishReason), options);
    expect(encoded.status).toBe(status);
    expect(encoded.incomplete_details).toEqual(incompleteDetails);
    expect(encoded.error).toEqual(error);
  });

  it('repeats the request fields it is given', () => {
    const echo = {
      model: 'gpt-5',
      instructions: 'Be brief.',
      tools: [{ type: 'function', name: 'f' }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      max_output_tokens: 100,
      temperature: 0.5,
      top_p: 1,
      reasoning: { effort: 'low', summary: 'auto' },
      text: { format: { type: 'json_object' } },
      store: false,
      previous_response_id: 'resp_prev',
      metadata: { k: 'v' },
      truncation: 'disabled',
      prompt_cache_key: 'pck',
      user: 'u',
    };
    const encoded = encodeResponsesResponse(response([]), { ...options, echo });
    expect(encoded).toMatchObject({ ...echo, model: 'claude-sonnet-4-5' });
  });
});

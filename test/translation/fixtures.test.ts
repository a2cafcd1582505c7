/**
 * The recorded Claude Code and Codex requests through the real gateway, against each upstream kind:
 * the client gets a valid stream of its own protocol (event by event, see the stream checks), the
 * upstream gets a valid request of its own (system prompts, tools, limits, schema cleaning), lossy
 * conversions are logged with the request id, and the tool-call ids of one turn come back unchanged
 * in the next. Claude Code to an Anthropic account is pass-through: the body arrives byte for byte
 * but for the mapped model.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../support/log-capture.js';
import { ok } from '../support/mock-upstream.js';
import { checkAnthropicStream } from './anthropic-stream-check.js';
import {
  CLAUDE_CODE_BODY,
  CLAUDE_CODE_HEADERS,
  CLAUDE_CODE_PATH,
  CODEX_BODY,
  CODEX_HEADERS,
  emailOf,
  findKeys,
  KEY,
  startTranslationSetup,
  type TranslationSetup,
  UPSTREAM_KINDS,
  type UpstreamKind,
} from './recorded-clients.js';
import { checkResponsesStream } from './responses-stream-check.js';

/** Claude Code's model is mapped, so the pass-through check sees a model rewrite. */
const MAPPED_MODEL = 'claude-opus-4-8-20261101';
const claudeCode = JSON.parse(CLAUDE_CODE_BODY) as {
  system: Array<{ text: string }>;
  messages: Array<{ role: string; content: unknown }>;
  tools: Array<{ name: string }>;
};
const codex = JSON.parse(CODEX_BODY) as { input: Array<Record<string, unknown>>; prompt_cache_key: string };
const CLAUDE_TOOL_NAMES = claudeCode.tools.map((tool) => tool.name);
const CLAUDE_SYSTEM_TEXTS = claudeCode.system.map((block) => block.text);
const MID_CONVERSATION_SYSTEM = claudeCode.messages[1]?.content as string;
/** Codex's function tools, then its `multi_agent_v1` namespace flattened; `web_search` is dropped. */
const CODEX_NAMESPACE_MEMBERS = ['close_agent', 'resume_agent', 'send_input', 'spawn_agent', 'wait_agent'];
const CODEX_UPSTREAM_TOOL_NAMES = [
  'exec_command',
  'write_stdin',
  'request_user_input',
  'view_image',
  ...CODEX_NAMESPACE_MEMBERS.map((name) => `multi_agent_v1__${name}`),
  'get_goal',
  'create_goal',
  'update_goal',
];
const CODEX_DEVELOPER_TEXTS = codex.input
  .filter((item) => item.role === 'developer')
  .flatMap((item) => (item.content as Array<{ text: string }>).map((part) => part.text));

const logs = captureLogs();
let setup: TranslationSetup;

beforeAll(async () => {
  setup = await startTranslationSetup({
    logger: logs.logger,
    config: { proxy: { custom_mapping: { 'claude-opus-4-8': MAPPED_MODEL } } },
  });
});
afterAll(() => setup?.close());
beforeEach(() => {
  setup.upstream.reset();
  logs.clear();
});

function sendClaudeCode(body: string = CLAUDE_CODE_BODY) {
  return setup.gateway.call('POST', CLAUDE_CODE_PATH, {
    raw: body,
    headers: { ...CLAUDE_CODE_HEADERS, 'x-api-key': setup.gateway.apiKey },
  });
}

function sendCodex(body: string = CODEX_BODY) {
  return setup.gateway.call('POST', '/v1/responses', {
    raw: body,
    headers: { ...CODEX_HEADERS, authorization: `Bearer ${setup.gateway.apiKey}` },
  });
}

function lastUpstreamRequest(kind: UpstreamKind) {
  const request = setup.upstream.requestsFor(KEY[kind]).at(-1);
  if (!request) throw new Error(`the ${kind} account got no request`);
  return { ...request, body: request.body as Record<string, unknown> };
}

const names = (tools: unknown): string[] =>
  (tools as Array<Record<string, unknown>>).map((tool) =>
    String((tool.function as { name?: string } | undefined)?.name ?? tool.name),
  );

/** What a valid upstream request of each kind looks like for the Claude Code fixture. */
const CLAUDE_CODE_UPSTREAM: Record<UpstreamKind, (request: ReturnType<typeof lastUpstreamRequest>) => void> =
  {
    anthropic: (request) => {
      expect(request.path).toBe(CLAUDE_CODE_PATH);
      expect(request.headers['x-api-key']).toBe(KEY.anthropic);
      expect(request.headers['anthropic-beta']).toBe(CLAUDE_CODE_HEADERS['anthropic-beta']);
      // Pass-through: every byte as sent (indentation included) but the mapped model.
      const expected = CLAUDE_CODE_BODY.replace('"model": "claude-opus-4-8"', `"model": "${MAPPED_MODEL}"`);
      expect(expected).not.toBe(CLAUDE_CODE_BODY);
      expect(request.rawBody).toBe(expected);
    },
    openai: ({ path, headers, body }) => {
      expect(path).toBe('/v1/chat/completions');
      expect(headers.authorization).toBe(`Bearer ${KEY.openai}`);
      expect(body).toMatchObject({
        model: MAPPED_MODEL,
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: 64000,
        reasoning_effort: 'high',
      });
      const messages = body.messages as Array<{ role: string; content: unknown }>;
      // The three system blocks become one leading system message; the mid-conversation system
      // message stays a system message in its place, after the user turn.
      expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'system']);
      expect(messages[0]?.content).toBe(CLAUDE_SYSTEM_TEXTS.join('\n\n'));
      expect(messages[2]?.content).toBe(MID_CONVERSATION_SYSTEM);
      const tools = body.tools as Array<{ type: string; function: { parameters: { type: string } } }>;
      expect(
        tools.every((tool) => tool.type === 'function' && tool.function.parameters.type === 'object'),
      ).toBe(true);
      expect(names(tools)).toEqual(CLAUDE_TOOL_NAMES);
      expect(findKeys(body, '$schema')).toEqual([]);
      expect(findKeys(body, 'cache_control')).toEqual([]);
      for (const field of ['system', 'thinking', 'metadata', 'context_management', 'output_config', 'user'])
        expect(body).not.toHaveProperty(field);
    },
    gemini: ({ path, headers, body }) => {
      expect(path).toBe(`/v1beta/models/${MAPPED_MODEL}:streamGenerateContent?alt=sse`);
      expect(headers['x-goog-api-key']).toBe(KEY.gemini);
      expect(body.systemInstruction).toEqual({ parts: CLAUDE_SYSTEM_TEXTS.map((text) => ({ text })) });
      // Gemini has no system turns: the mid-conversation system text joins the user turn.
      const contents = body.contents as Array<{ role: string; parts: Array<{ text?: string }> }>;
      expect(contents.map((content) => content.role)).toEqual(['user']);
      expect(contents[0]?.parts.at(-1)).toEqual({ text: MID_CONVERSATION_SYSTEM });
      const tools = body.tools as Array<{ functionDeclarations: Array<Record<string, unknown>> }>;
      expect(tools).toHaveLength(1);
      expect(names(tools[0]?.functionDeclarations)).toEqual(CLAUDE_TOOL_NAMES);
      expect(tools[0]?.functionDeclarations.every((tool) => 'parametersJsonSchema' in tool)).toBe(true);
      expect(findKeys(body, '$schema')).toEqual([]);
      expect(findKeys(body, 'cache_control')).toEqual([]);
      expect(body.generationConfig).toEqual({
        maxOutputTokens: 64000,
        thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' },
      });
    },
  };

describe.each(UPSTREAM_KINDS)('Claude Code → %s account', (kind) => {
  beforeEach(() => setup.pin(kind));

  it('streams a valid Anthropic answer with parallel tool calls, from a valid upstream request', async () => {
    setup.upstream.script(
      KEY[kind],
      ok({
        toolCalls: [
          { name: 'Bash', arguments: { command: 'ls -la' } },
          { name: 'Read', arguments: { file_path: '/tmp/notes.md' } },
        ],
      }),
    );
    const answer = await sendClaudeCode();
    expect(answer.status).toBe(200);
    expect(answer.headers['x-account-email']).toBe(emailOf(kind));
    expect(answer.headers['content-type']).toContain('text/event-stream');
    const stream = checkAnthropicStream(answer.text);
    expect(stream.text).toContain('say hi');
    expect(stream.toolUses.map(({ name, input }) => ({ name, input }))).toEqual([
      { name: 'Bash', input: { command: 'ls -la' } },
      { name: 'Read', input: { file_path: '/tmp/notes.md' } },
    ]);
    expect(stream.stopReason).toBe('tool_use');
    expect(stream.usage.input_tokens).toBeGreaterThan(0);
    expect(stream.usage.output_tokens).toBeGreaterThan(0);
    CLAUDE_CODE_UPSTREAM[kind](lastUpstreamRequest(kind));
  });

  it('sends the tool-call ids of the answer back upstream in the next turn', async () => {
    setup.upstream.script(KEY[kind], ok({ toolCalls: [{ name: 'Bash', arguments: { command: 'pwd' } }] }));
    const first = checkAnthropicStream((await sendClaudeCode()).text);
    const [use] = first.toolUses;
    const next = JSON.parse(CLAUDE_CODE_BODY) as { messages: unknown[] };
    next.messages.push(
      { role: 'assistant', content: [{ type: 'tool_use', id: use?.id, name: 'Bash', input: use?.input }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use?.id, content: '/home/user' }] },
    );
    const second = await sendClaudeCode(JSON.stringify(next));
    expect(checkAnthropicStream(second.text).stopReason).toBe('end_turn');
    const sent = JSON.stringify(lastUpstreamRequest(kind).body);
    // Anthropic and OpenAI carry the id itself; Gemini pairs the result with its call by name.
    if (kind === 'gemini') {
      expect(sent).toContain('"functionCall":{"name":"Bash","args":{"command":"pwd"}}');
      expect(sent).toContain('"functionResponse":{"name":"Bash","response":{"output":"/home/user"}}');
    } else {
      expect(sent.split(String(use?.id)).length - 1).toBe(2);
    }
  });
});

describe.each(['openai', 'gemini'] as const)('Claude Code → %s account (translated)', (kind) => {
  beforeEach(() => setup.pin(kind));

  it('logs what it could not translate with the request id', async () => {
    const answer = await sendClaudeCode();
    checkAnthropicStream(answer.text);
    const warnings = logs.translationWarnings();
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((warning) => warning.requestId === answer.headers['x-request-id'])).toBe(true);
    const fields = warnings.map((warning) => warning.field);
    // Both cache prefixes by themselves; Gemini cannot place a system turn mid-conversation.
    expect(fields).toContain('cacheControl');
    if (kind === 'gemini') expect(fields).toContain('messages[1]');
    expect(fields).toContain('providerOptions.anthropic');
  });
});

/** What a valid upstream request of each kind looks like for the Codex fixture. */
const CODEX_UPSTREAM: Record<UpstreamKind, (body: Record<string, unknown>) => void> = {
  openai: (body) => {
    expect(body).toMatchObject({
      model: 'gpt-mock',
      stream: true,
      stream_options: { include_usage: true },
      tool_choice: 'auto',
      parallel_tool_calls: true,
      prompt_cache_key: codex.prompt_cache_key,
    });
    const messages = body.messages as Array<{ role: string; content: unknown }>;
    expect(messages[0]).toEqual({ role: 'system', content: CODEX_DEVELOPER_TEXTS.join('\n\n') });
    expect(messages.slice(1).map((message) => message.role)).toEqual(['user', 'user']);
    expect((body.tools as Array<{ type: string }>).every((tool) => tool.type === 'function')).toBe(true);
    for (const field of ['store', 'include', 'input', 'instructions', 'reasoning', 'client_metadata'])
      expect(body).not.toHaveProperty(field);
  },
  anthropic: (body) => {
    expect(body).toMatchObject({
      model: 'gpt-mock',
      stream: true,
      max_tokens: 64000,
      thinking: { type: 'adaptive' },
      tool_choice: { type: 'auto' },
    });
    expect(body.system).toEqual(CODEX_DEVELOPER_TEXTS.map((text) => ({ type: 'text', text })));
    const tools = body.tools as Array<Record<string, unknown>>;
    expect(tools.every((tool) => tool.type === undefined && 'input_schema' in tool)).toBe(true);
    expect(body).not.toHaveProperty('prompt_cache_key');
  },
  gemini: (body) => {
    expect(body.systemInstruction).toEqual({ parts: CODEX_DEVELOPER_TEXTS.map((text) => ({ text })) });
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    const tools = body.tools as Array<Record<string, unknown>>;
    expect(tools.map((tool) => Object.keys(tool))).toEqual([['functionDeclarations']]);
    expect(findKeys(body, '$schema')).toEqual([]);
    expect(body.generationConfig).toEqual({ thinkingConfig: { includeThoughts: true, thinkingBudget: -1 } });
  },
};

const upstreamToolNames = (kind: UpstreamKind, body: Record<string, unknown>): string[] =>
  kind === 'gemini'
    ? names((body.tools as Array<{ functionDeclarations: unknown }>)[0]?.functionDeclarations)
    : names(body.tools);

describe.each(UPSTREAM_KINDS)('Codex → %s account', (kind) => {
  beforeEach(() => setup.pin(kind));

  it('streams a valid Responses answer and calls a namespaced tool by the name Codex gave it', async () => {
    setup.upstream.script(
      KEY[kind],
      ok({ toolCalls: [{ name: 'multi_agent_v1__close_agent', arguments: { target: 'agent-7' } }] }),
    );
    const answer = await sendCodex();
    expect(answer.status).toBe(200);
    expect(answer.headers['x-account-email']).toBe(emailOf(kind));
    expect(answer.headers['content-type']).toContain('text/event-stream');
    const stream = checkResponsesStream(answer.text);
    expect(stream.response.status).toBe('completed');
    expect(stream.text).toContain('say hi');
    const calls = stream.items.filter((item) => item.type === 'function_call');
    expect(calls).toEqual([
      expect.objectContaining({
        name: 'close_agent',
        namespace: 'multi_agent_v1',
        arguments: '{"target":"agent-7"}',
      }),
    ]);
    expect(stream.response.usage?.input_tokens).toBeGreaterThan(0);

    const { body } = lastUpstreamRequest(kind);
    CODEX_UPSTREAM[kind](body);
    // Namespaced tools go upstream flattened; web_search, which only OpenAI runs, is not sent.
    expect(upstreamToolNames(kind, body)).toEqual(CODEX_UPSTREAM_TOOL_NAMES);
    expect(JSON.stringify(body)).not.toContain('web_search');
  });

  it('logs the dropped web_search tool as a warning with the request id', async () => {
    const answer = await sendCodex();
    expect(checkResponsesStream(answer.text).response.status).toBe('completed');
    const dropped = logs.translationWarnings().filter((warning) => warning.field === 'tools[8]');
    expect(dropped).toEqual([
      expect.objectContaining({
        type: 'unsupported',
        message: expect.stringContaining('"web_search"'),
        requestId: answer.headers['x-request-id'],
      }),
    ]);
  });

  it('keeps the call id and the flattened name when Codex sends the tool output back', async () => {
    setup.upstream.script(
      KEY[kind],
      ok({ toolCalls: [{ name: 'multi_agent_v1__wait_agent', arguments: { targets: ['a'] } }] }),
    );
    const first = checkResponsesStream((await sendCodex()).text);
    const call = first.items.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('no function call in the first answer');
    const next = JSON.parse(CODEX_BODY) as { input: unknown[] };
    next.input.push(
      {
        type: 'function_call',
        call_id: call.call_id,
        name: call.name,
        namespace: call.namespace,
        arguments: call.arguments,
      },
      { type: 'function_call_output', call_id: call.call_id, output: 'agent a finished' },
    );
    const second = checkResponsesStream((await sendCodex(JSON.stringify(next))).text);
    expect(second.response.status).toBe('completed');
    const sent = JSON.stringify(lastUpstreamRequest(kind).body);
    expect(sent).toContain('multi_agent_v1__wait_agent');
    expect(sent).toContain('agent a finished');
    if (kind !== 'gemini') expect(sent.split(call.call_id).length - 1).toBe(2);
  });
});

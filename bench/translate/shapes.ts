/**
 * Pathological request shapes for the translation benchmark and the linear-work test: bodies of
 * each client protocol whose size grows with one parameter `n`, each stressing one pattern a
 * converter could handle in more than linear time.
 */
import type { ClientProtocol } from '../../src/core/client-protocol.js';

export const SHAPES = [
  /** Baseline: n messages alternating user and assistant. */
  'alternating',
  /** n consecutive user messages (merged into one turn for Anthropic and Gemini). */
  'same-role-run',
  /** n user turns alternating text and tool results: one same-role run with tool results to reorder. */
  'mixed-user-run',
  /** One user message of n text parts. */
  'huge-array',
  /** n tool calls and results whose arguments are objects nested 32 deep. */
  'deep-nesting',
  /** One user message of one text of 64·n characters. */
  'long-string',
  /** n tool definitions with a small schema each. */
  'many-tools',
] as const;
export type Shape = (typeof SHAPES)[number];

export const CLIENT_PROTOCOLS: readonly ClientProtocol[] = [
  'openai-chat',
  'openai-responses',
  'anthropic-messages',
  'gemini',
];

type Body = Record<string, unknown>;

/** One conversation step, protocol-neutral; each protocol writes it in its own wire format. */
type Step =
  | { kind: 'user'; texts: string[] }
  | { kind: 'assistant'; text: string }
  | { kind: 'call'; id: string; input: unknown }
  | { kind: 'result'; id: string; output: string };

interface Conversation {
  steps: Step[];
  tools: number;
}

const TOOL = 'lookup';

/** An object nested `depth` levels deep: `{"a": {"a": … {"v": 1}}}`. */
function nested(depth: number): unknown {
  let value: unknown = { v: 1 };
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

function conversation(shape: Shape, n: number): Conversation {
  const word = (index: number) => `message ${index} with a few words of text`;
  const steps: Step[] = [];
  switch (shape) {
    case 'alternating':
      for (let index = 0; index < n; index++)
        steps.push(
          index % 2 === 0 ? { kind: 'user', texts: [word(index)] } : { kind: 'assistant', text: word(index) },
        );
      break;
    case 'same-role-run':
      for (let index = 0; index < n; index++) steps.push({ kind: 'user', texts: [word(index)] });
      break;
    case 'mixed-user-run':
      steps.push({ kind: 'call', id: 'call_0', input: {} });
      for (let index = 0; index < n; index++)
        steps.push(
          index % 2 === 0
            ? { kind: 'user', texts: [word(index)] }
            : { kind: 'result', id: 'call_0', output: word(index) },
        );
      break;
    case 'huge-array':
      steps.push({ kind: 'user', texts: Array.from({ length: n }, (_, index) => `part ${index}`) });
      break;
    case 'deep-nesting':
      steps.push({ kind: 'user', texts: ['start'] });
      for (let index = 0; index < n; index++) {
        steps.push({ kind: 'call', id: `call_${index}`, input: nested(32) });
        steps.push({ kind: 'result', id: `call_${index}`, output: 'done' });
      }
      break;
    case 'long-string':
      steps.push({ kind: 'user', texts: ['x'.repeat(64 * n)] });
      break;
    case 'many-tools':
      steps.push({ kind: 'user', texts: ['use the tools'] });
      return { steps, tools: n };
  }
  return { steps, tools: 1 };
}

function toolSchema(index: number): Body {
  return {
    type: 'object',
    properties: { query: { type: 'string', description: `query ${index}` } },
    required: ['query'],
  };
}

function chatMessage(step: Step): Body {
  switch (step.kind) {
    case 'user':
      return step.texts.length === 1
        ? { role: 'user', content: step.texts[0] }
        : { role: 'user', content: step.texts.map((text) => ({ type: 'text', text })) };
    case 'assistant':
      return { role: 'assistant', content: step.text };
    case 'call':
      return {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: step.id,
            type: 'function',
            function: { name: TOOL, arguments: JSON.stringify(step.input) },
          },
        ],
      };
    case 'result':
      return { role: 'tool', tool_call_id: step.id, content: step.output };
  }
}

function chatBody(conversationOf: Conversation): Body {
  const messages = conversationOf.steps.map(chatMessage);
  const tools = Array.from({ length: conversationOf.tools }, (_, index) => ({
    type: 'function',
    function: { name: index === 0 ? TOOL : `${TOOL}_${index}`, parameters: toolSchema(index) },
  }));
  return { model: 'bench-model', messages, tools };
}

function responsesItem(step: Step): Body {
  switch (step.kind) {
    case 'user':
      return { role: 'user', content: step.texts.map((text) => ({ type: 'input_text', text })) };
    case 'assistant':
      return { role: 'assistant', content: [{ type: 'output_text', text: step.text }] };
    case 'call':
      return { type: 'function_call', call_id: step.id, name: TOOL, arguments: JSON.stringify(step.input) };
    case 'result':
      return { type: 'function_call_output', call_id: step.id, output: step.output };
  }
}

function responsesBody(conversationOf: Conversation): Body {
  const input = conversationOf.steps.map(responsesItem);
  const tools = Array.from({ length: conversationOf.tools }, (_, index) => ({
    type: 'function',
    name: index === 0 ? TOOL : `${TOOL}_${index}`,
    parameters: toolSchema(index),
  }));
  return { model: 'bench-model', input, tools };
}

function anthropicMessage(step: Step): Body {
  switch (step.kind) {
    case 'user':
      return { role: 'user', content: step.texts.map((text) => ({ type: 'text', text })) };
    case 'assistant':
      return { role: 'assistant', content: [{ type: 'text', text: step.text }] };
    case 'call':
      return {
        role: 'assistant',
        content: [{ type: 'tool_use', id: step.id, name: TOOL, input: step.input }],
      };
    case 'result':
      return {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: step.id, content: step.output }],
      };
  }
}

function anthropicBody(conversationOf: Conversation): Body {
  const messages = conversationOf.steps.map(anthropicMessage);
  const tools = Array.from({ length: conversationOf.tools }, (_, index) => ({
    name: index === 0 ? TOOL : `${TOOL}_${index}`,
    input_schema: toolSchema(index),
  }));
  return { model: 'bench-model', max_tokens: 1024, messages, tools };
}

function geminiContent(step: Step): Body {
  switch (step.kind) {
    case 'user':
      return { role: 'user', parts: step.texts.map((text) => ({ text })) };
    case 'assistant':
      return { role: 'model', parts: [{ text: step.text }] };
    case 'call':
      return { role: 'model', parts: [{ functionCall: { id: step.id, name: TOOL, args: step.input } }] };
    case 'result':
      return {
        role: 'user',
        parts: [{ functionResponse: { id: step.id, name: TOOL, response: { output: step.output } } }],
      };
  }
}

function geminiBody(conversationOf: Conversation): Body {
  const contents = conversationOf.steps.map(geminiContent);
  const functionDeclarations = Array.from({ length: conversationOf.tools }, (_, index) => ({
    name: index === 0 ? TOOL : `${TOOL}_${index}`,
    parameters: toolSchema(index),
  }));
  return { contents, tools: [{ functionDeclarations }] };
}

const WRITERS: Record<ClientProtocol, (conversationOf: Conversation) => Body> = {
  'openai-chat': chatBody,
  'openai-responses': responsesBody,
  'anthropic-messages': anthropicBody,
  gemini: geminiBody,
};

/** The body of a `protocol` request of `shape` at size `n`. */
export function buildBody(protocol: ClientProtocol, shape: Shape, n: number): Body {
  return WRITERS[protocol](conversation(shape, n));
}

/**
 * The size parameter that gives a body of about `bytes` bytes (each shape grows linearly in n, so
 * one small probe tells the bytes per unit).
 */
export function sizeFor(protocol: ClientProtocol, shape: Shape, bytes: number): number {
  const probe = 256;
  const probeBytes = Buffer.byteLength(JSON.stringify(buildBody(protocol, shape, probe)));
  const emptyBytes = Buffer.byteLength(JSON.stringify(buildBody(protocol, shape, 0)));
  return Math.max(1, Math.round((bytes - emptyBytes) / ((probeBytes - emptyBytes) / probe)));
}

/** A request with one tool whose parameter schema nests `depth` objects (for depth scaling). */
export function deepSchemaBody(protocol: ClientProtocol, depth: number): Body {
  let schema: Body = { type: 'string' };
  for (let level = 0; level < depth; level++)
    schema = { type: 'object', properties: { inner: schema }, required: ['inner'] };
  const body = buildBody(protocol, 'many-tools', 1);
  const withSchema = (tool: Body): Body => {
    if (protocol === 'openai-chat') return { ...tool, function: { name: TOOL, parameters: schema } };
    if (protocol === 'anthropic-messages') return { ...tool, input_schema: schema };
    return { ...tool, parameters: schema };
  };
  if (protocol === 'gemini')
    return { ...body, tools: [{ functionDeclarations: [withSchema({ name: TOOL })] }] };
  return { ...body, tools: (body['tools'] as Body[]).map(withSchema) };
}

/**
 * The bytes the benchmark sends and the mock upstream answers: small, realistic OpenAI Chat
 * Completions and Anthropic Messages requests, answers and SSE streams, serialized once.
 */

/** The client protocols the benchmark can speak to a target. */
export type WireProtocol = 'openai' | 'anthropic';

/** Credential headers as each client protocol's SDK sends them. */
export function credentialHeaders(protocol: WireProtocol, key: string): Record<string, string> {
  return protocol === 'openai'
    ? { authorization: `Bearer ${key}` }
    : { 'x-api-key': key, 'anthropic-version': '2023-06-01' };
}

/** How many distinct conversations the requests rotate through (each has its own session id). */
export const CONVERSATIONS = 64;

const SYSTEM = 'You are a concise assistant. Answer in one short sentence.';

function userText(conversation: number): string {
  return `Benchmark conversation ${conversation}: please say hello and name one prime number.`;
}

/** One request body per conversation, for `protocol`, streamed or not. */
export function requestBodies(protocol: WireProtocol, stream: boolean): Buffer[] {
  return Array.from({ length: CONVERSATIONS }, (_, conversation) => {
    const body =
      protocol === 'openai'
        ? {
            model: 'gpt-4o-mini',
            messages: [
              { role: 'system', content: SYSTEM },
              { role: 'user', content: userText(conversation) },
            ],
            max_tokens: 32,
            temperature: 0,
            ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
          }
        : {
            model: 'claude-sonnet-4-5',
            system: SYSTEM,
            messages: [{ role: 'user', content: userText(conversation) }],
            max_tokens: 32,
            ...(stream ? { stream: true } : {}),
          };
    return Buffer.from(JSON.stringify(body));
  });
}

/** The endpoint path of `protocol`'s chat request. */
export function requestPath(protocol: WireProtocol): string {
  return protocol === 'openai' ? '/v1/chat/completions' : '/v1/messages';
}

const ANSWER_TEXT = 'Hello! Seven is a prime number.';
const USAGE_OPENAI = { prompt_tokens: 31, completion_tokens: 9, total_tokens: 40 };
const USAGE_ANTHROPIC = { input_tokens: 31, output_tokens: 9 };

export const OPENAI_ANSWER = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench0001',
    object: 'chat.completion',
    created: 1_767_225_600,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: ANSWER_TEXT, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: USAGE_OPENAI,
    system_fingerprint: 'fp_bench',
  }),
);

export const ANTHROPIC_ANSWER = Buffer.from(
  JSON.stringify({
    id: 'msg_bench0001',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text: ANSWER_TEXT }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: USAGE_ANTHROPIC,
  }),
);

function openaiChunk(
  delta: Record<string, unknown> | null,
  finish: string | null,
  usage: unknown = null,
): string {
  const chunk = {
    id: 'chatcmpl-bench0001',
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model: 'gpt-4o-mini-2024-07-18',
    // The usage chunk of `stream_options.include_usage` has no choices.
    choices: delta === null ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage,
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function anthropicEvent(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/**
 * A short SSE stream in two parts: `head` holds everything up to and including the first text delta
 * (written at once), `tail` the rest (written after a short pause, so a proxy that buffers the
 * stream shows it in its time to first byte).
 */
export interface StreamSample {
  head: Buffer;
  tail: Buffer;
}

export const OPENAI_STREAM: StreamSample = {
  head: Buffer.from(
    openaiChunk({ role: 'assistant', content: '' }, null) + openaiChunk({ content: 'Hello!' }, null),
  ),
  tail: Buffer.from(
    openaiChunk({ content: ' Seven is a prime number.' }, null) +
      openaiChunk({}, 'stop') +
      openaiChunk(null, null, USAGE_OPENAI) +
      'data: [DONE]\n\n',
  ),
};

export const ANTHROPIC_STREAM: StreamSample = {
  head: Buffer.from(
    anthropicEvent('message_start', {
      message: {
        id: 'msg_bench0001',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 31, output_tokens: 1 },
      },
    }) +
      anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
      anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello!' } }),
  ),
  tail: Buffer.from(
    anthropicEvent('content_block_delta', {
      index: 0,
      delta: { type: 'text_delta', text: ' Seven is a prime number.' },
    }) +
      anthropicEvent('content_block_stop', { index: 0 }) +
      anthropicEvent('message_delta', {
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 9 },
      }) +
      anthropicEvent('message_stop', {}),
  ),
};

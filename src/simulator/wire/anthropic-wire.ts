/** Anthropic Messages as the upstream speaks it: JSON, named SSE events, error envelopes, `anthropic-ratelimit-*`. */
import type { UpstreamError } from './behaviours.js';
import { tokensOf, type Usage } from './prompt.js';
import { anthropicRateLimitHeaders, retryHeaders } from './rate-limit-headers.js';
import { anthropicReasoningError, anthropicSignature } from './reasoning-signatures.js';
import type { Answer, JsonReply, Reply, StreamEvent, Wire, WireContext } from './reply.js';
import { argumentsObject, jsonReply, splitArguments } from './reply.js';

const DEFAULT_MODELS = ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5'];

// Anthropic's input_tokens counts only the uncached part of the prompt.
function usageOf(usage: Usage, outputTokens = usage.outputTokens) {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens),
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation: { ephemeral_5m_input_tokens: usage.cacheWriteTokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function headersOf(context: WireContext): Record<string, string> {
  return {
    'request-id': `req_mock_${context.sequence}`,
    ...anthropicRateLimitHeaders(context.behaviour.rateLimitHeaders, context.now),
    ...context.behaviour.headers,
  };
}

function contentBlocks(answer: Answer): unknown[] {
  const blocks: unknown[] = [];
  if (answer.thinking !== '') {
    blocks.push({
      type: 'thinking',
      thinking: answer.thinking,
      signature: anthropicSignature(answer.thinking),
    });
  }
  if (answer.text.length > 0) blocks.push({ type: 'text', text: answer.text });
  for (const call of answer.toolCalls) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: argumentsObject(call.arguments) });
  }
  return blocks;
}

function message(context: WireContext, answer: Answer, streaming: boolean) {
  return {
    id: `msg_mock_${context.sequence}`,
    type: 'message',
    role: 'assistant',
    model: answer.model,
    content: streaming ? [] : contentBlocks(answer),
    stop_reason: streaming ? null : stopReason(answer),
    stop_sequence: null,
    usage: usageOf(answer.usage, streaming ? 1 : answer.usage.outputTokens),
  };
}

function stopReason(answer: Answer): string {
  return answer.toolCalls.length > 0 ? 'tool_use' : 'end_turn';
}

function event(name: string, data: Record<string, unknown>, content = false): StreamEvent {
  return { name, data: { type: name, ...data }, content };
}

/** A thinking block as Anthropic streams it: empty start, thinking delta, then the signature. */
function thinkingEvents(thinking: string, index: number): StreamEvent[] {
  const start = { type: 'thinking', thinking: '', signature: '' };
  const signature = { type: 'signature_delta', signature: anthropicSignature(thinking) };
  return [
    event('content_block_start', { index, content_block: start }),
    event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } }, true),
    event('content_block_delta', { index, delta: signature }),
    event('content_block_stop', { index }),
  ];
}

function streamEvents(context: WireContext, answer: Answer): StreamEvent[] {
  const events = [event('message_start', { message: message(context, answer, true) })];
  let index = 0;
  if (answer.thinking !== '') events.push(...thinkingEvents(answer.thinking, index++));
  if (answer.textChunks.length > 0) {
    events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    events.push(event('ping', {}));
    for (const text of answer.textChunks) {
      events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }, true));
    }
    events.push(event('content_block_stop', { index }));
    index++;
  }
  for (const call of answer.toolCalls) {
    const block = { type: 'tool_use', id: call.id, name: call.name, input: {} };
    events.push(event('content_block_start', { index, content_block: block }, true));
    for (const partial of splitArguments(call.arguments)) {
      events.push(
        event(
          'content_block_delta',
          { index, delta: { type: 'input_json_delta', partial_json: partial } },
          true,
        ),
      );
    }
    events.push(event('content_block_stop', { index }));
    index++;
  }
  events.push(
    event('message_delta', {
      delta: { stop_reason: stopReason(answer), stop_sequence: null },
      usage: { output_tokens: answer.usage.outputTokens },
    }),
  );
  events.push(event('message_stop', {}));
  return events;
}

function ok(context: WireContext): Reply {
  switch (context.route.operation) {
    case 'list-models': {
      const ids = context.behaviour.models?.map((model) => model.id) ?? DEFAULT_MODELS;
      const data = ids.map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2025-01-01T00:00:00Z',
      }));
      return jsonReply(
        { data, has_more: false, first_id: ids[0] ?? null, last_id: ids[ids.length - 1] ?? null },
        headersOf(context),
      );
    }
    case 'count-tokens': {
      const characters = context.prompt.segments.reduce((sum, segment) => sum + segment.length, 0);
      return jsonReply({ input_tokens: Math.max(1, tokensOf(characters)) }, headersOf(context));
    }
    default: {
      const answer = context.answer();
      if (!context.route.stream) return jsonReply(message(context, answer, false), headersOf(context));
      return {
        kind: 'stream',
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8', ...headersOf(context) },
        framing: 'sse',
        events: streamEvents(context, answer),
      };
    }
  }
}

function envelope(type: string, message: string, context: WireContext) {
  return { type: 'error', error: { type, message }, request_id: `req_mock_${context.sequence}` };
}

function errorReply(status: number, body: unknown, headers: Record<string, string> = {}): JsonReply {
  return { kind: 'json', status, headers, body };
}

function error(failure: UpstreamError, context: WireContext): JsonReply {
  const requestId = { 'request-id': `req_mock_${context.sequence}` };
  switch (failure.kind) {
    case 'rate-limited': {
      const message =
        failure.message ??
        'This request would exceed the rate limit for your organization of 50 requests per minute.';
      const headers = {
        ...requestId,
        ...retryHeaders(failure, context.now),
        ...anthropicRateLimitHeaders(failure.resetHeaders, context.now),
      };
      return errorReply(429, envelope('rate_limit_error', message, context), headers);
    }
    case 'server-error': {
      const overloaded = failure.status === 529;
      const type = overloaded ? 'overloaded_error' : 'api_error';
      const message = failure.message ?? (overloaded ? 'Overloaded' : 'Internal server error');
      return errorReply(failure.status, envelope(type, message, context), requestId);
    }
    case 'unauthorized':
      return errorReply(
        401,
        envelope('authentication_error', failure.message ?? 'invalid x-api-key', context),
        requestId,
      );
    case 'forbidden': {
      const message =
        failure.message ??
        (failure.validationUrl
          ? `Verify your account to continue: ${failure.validationUrl}`
          : 'Your API key does not have permission to use the specified resource.');
      return errorReply(403, envelope('permission_error', message, context), requestId);
    }
    case 'invalid-grant':
      return errorReply(
        400,
        envelope('invalid_request_error', failure.description ?? 'invalid_grant', context),
        requestId,
      );
  }
}

/** Anthropic reports a mid-stream failure as `event: error` (typically `overloaded_error`). */
export const anthropicWire: Wire = {
  ok,
  error,
  rejectReasoning(context) {
    const message = anthropicReasoningError(context.body);
    return message === null ? null : errorReply(400, envelope('invalid_request_error', message, context));
  },
  streamError(message, context) {
    const body = envelope('overloaded_error', message ?? 'Overloaded', context);
    return { event: { name: 'error', data: body, content: false }, status: 529, body };
  },
};

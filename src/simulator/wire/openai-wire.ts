/** OpenAI Chat Completions as the upstream speaks it: JSON, SSE chunks, error objects, `x-ratelimit-*`. */
import { isJsonObject } from '../../core/json.js';
import type { UpstreamError } from './behaviours.js';
import type { Usage } from './prompt.js';
import { openaiRateLimitHeaders, retryHeaders } from './rate-limit-headers.js';
import type { Answer, JsonReply, Reply, StreamEvent, Wire, WireContext } from './reply.js';
import { jsonReply, splitArguments } from './reply.js';

const DEFAULT_MODELS = ['gpt-4o', 'gpt-4o-mini', 'o3-mini'];

function usageOf(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

function headersOf(context: WireContext): Record<string, string> {
  return {
    'x-request-id': `req_mock_${context.sequence}`,
    ...openaiRateLimitHeaders(context.behaviour.rateLimitHeaders),
    ...context.behaviour.headers,
  };
}

function finishReason(answer: Answer): string {
  return answer.toolCalls.length > 0 ? 'tool_calls' : 'stop';
}

function completion(context: WireContext, answer: Answer) {
  return {
    id: `chatcmpl-mock-${context.sequence}`,
    object: 'chat.completion',
    created: Math.floor(context.now / 1000),
    model: answer.model,
    system_fingerprint: 'fp_mock',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.text.length > 0 ? answer.text : null,
          ...(answer.thinking === '' ? {} : { reasoning_content: answer.thinking }),
          refusal: null,
          ...(answer.toolCalls.length > 0
            ? {
                tool_calls: answer.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: finishReason(answer),
      },
    ],
    usage: usageOf(answer.usage),
  };
}

function chunkEvents(context: WireContext, answer: Answer): StreamEvent[] {
  const streamOptions = isJsonObject(context.body) ? context.body['stream_options'] : undefined;
  const includeUsage = isJsonObject(streamOptions) && streamOptions['include_usage'] === true;
  const chunk = (delta: unknown, finish: string | null = null) => ({
    id: `chatcmpl-mock-${context.sequence}`,
    object: 'chat.completion.chunk',
    created: Math.floor(context.now / 1000),
    model: answer.model,
    system_fingerprint: 'fp_mock',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const events: StreamEvent[] = [
    { data: chunk({ role: 'assistant', content: '', refusal: null }), content: false },
  ];
  if (answer.thinking !== '')
    events.push({ data: chunk({ reasoning_content: answer.thinking }), content: true });
  for (const text of answer.textChunks) events.push({ data: chunk({ content: text }), content: true });
  answer.toolCalls.forEach((call, index) => {
    const start = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
    events.push({ data: chunk({ tool_calls: [start] }), content: true });
    for (const piece of splitArguments(call.arguments)) {
      events.push({
        data: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }),
        content: true,
      });
    }
  });
  events.push({ data: chunk({}, finishReason(answer)), content: false });
  if (includeUsage)
    events.push({ data: { ...chunk({}), choices: [], usage: usageOf(answer.usage) }, content: false });
  return events;
}

function ok(context: WireContext): Reply {
  if (context.route.operation === 'list-models') {
    const models = context.behaviour.models?.map((model) => model.id) ?? DEFAULT_MODELS;
    const data = models.map((id) => ({
      id,
      object: 'model',
      created: 1_700_000_000,
      owned_by: 'mock-upstream',
    }));
    return jsonReply({ object: 'list', data }, headersOf(context));
  }
  const answer = context.answer();
  if (!context.route.stream) return jsonReply(completion(context, answer), headersOf(context));
  return {
    kind: 'stream',
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', ...headersOf(context) },
    framing: 'sse',
    events: chunkEvents(context, answer),
    terminator: { data: '[DONE]', content: false },
  };
}

function errorBody(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

function error(failure: UpstreamError, context: WireContext): JsonReply {
  const headers = { 'x-request-id': `req_mock_${context.sequence}` };
  switch (failure.kind) {
    case 'rate-limited': {
      const quota = failure.openaiCode === 'insufficient_quota';
      const message =
        failure.message ??
        (quota
          ? 'You exceeded your current quota, please check your plan and billing details.'
          : `Rate limit reached for requests per min (RPM). Please try again in ${failure.retryAfter ?? '20'}s.`);
      return {
        kind: 'json',
        status: 429,
        headers: {
          ...headers,
          ...retryHeaders(failure, context.now),
          ...openaiRateLimitHeaders(failure.resetHeaders),
        },
        body: errorBody(
          message,
          quota ? 'insufficient_quota' : 'requests',
          failure.openaiCode ?? 'rate_limit_exceeded',
        ),
      };
    }
    case 'server-error':
      return {
        kind: 'json',
        status: failure.status,
        headers,
        body: errorBody(
          failure.message ?? 'The server had an error while processing your request.',
          'server_error',
          null,
        ),
      };
    case 'unauthorized':
      return {
        kind: 'json',
        status: 401,
        headers,
        body: errorBody(
          failure.message ?? 'Incorrect API key provided.',
          'invalid_request_error',
          'invalid_api_key',
        ),
      };
    case 'forbidden': {
      const message =
        failure.message ??
        (failure.validationUrl
          ? `Verify your account to continue: ${failure.validationUrl}`
          : 'Country, region, or territory not supported');
      return {
        kind: 'json',
        status: 403,
        headers,
        body: errorBody(message, 'request_forbidden', 'unsupported_country_region_territory'),
      };
    }
    case 'invalid-grant':
      return {
        kind: 'json',
        status: 400,
        headers,
        body: errorBody(failure.description ?? 'invalid_grant', 'invalid_request_error', 'invalid_grant'),
      };
  }
}

/** OpenAI sends a mid-stream failure as a `data:` line holding an error object, then closes. */
export const openaiWire: Wire = {
  ok,
  error,
  streamError(message) {
    const body = errorBody(
      message ?? 'The server had an error while processing your request.',
      'server_error',
      null,
    );
    return { event: { data: body, content: false }, status: 500, body };
  },
};

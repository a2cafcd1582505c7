/** The Generative Language API as the upstream speaks it: JSON, SSE or JSON-array streams, Google error objects. */
import type { UpstreamError } from './behaviours.js';
import { tokensOf, type Usage } from './prompt.js';
import { formatRfc3339, retryHeaders } from './rate-limit-headers.js';
import { googleReasoningError, googleSignature } from './reasoning-signatures.js';
import type { Answer, JsonReply, Reply, StreamEvent, Wire, WireContext } from './reply.js';
import { argumentsObject, jsonReply } from './reply.js';

const DEFAULT_MODELS = ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash'];

function usageMetadata(usage: Usage, final: boolean) {
  return {
    promptTokenCount: usage.inputTokens,
    ...(final ? { candidatesTokenCount: usage.outputTokens } : {}),
    totalTokenCount: usage.inputTokens + (final ? usage.outputTokens : 0),
    ...(usage.cacheReadTokens > 0 ? { cachedContentTokenCount: usage.cacheReadTokens } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.inputTokens }],
  };
}

function candidateResponse(options: {
  context: WireContext;
  answer: Answer;
  parts: unknown[];
  final: boolean;
}) {
  const { answer, final } = options;
  return {
    candidates: [
      {
        content: { parts: options.parts, role: 'model' },
        ...(final ? { finishReason: 'STOP' } : {}),
        index: 0,
      },
    ],
    usageMetadata: usageMetadata(answer.usage, final),
    modelVersion: answer.model,
    responseId: `mock-response-${options.context.sequence}`,
  };
}

function toolParts(answer: Answer): unknown[] {
  return answer.toolCalls.map((call) => ({
    functionCall: { name: call.name, args: argumentsObject(call.arguments) },
  }));
}

/** The answer's thought part, signed for this response; none without thinking. */
function thoughtParts(context: WireContext, answer: Answer): unknown[] {
  if (answer.thinking === '') return [];
  return [{ text: answer.thinking, thought: true, thoughtSignature: googleSignature(context.sequence) }];
}

/** The chunks of a streamed answer; the last one carries `finishReason` and the full usage. */
function streamPayloads(context: WireContext, answer: Answer): StreamEvent[] {
  const partsList: unknown[][] = thoughtParts(context, answer).map((part) => [part]);
  for (const text of answer.textChunks) partsList.push([{ text }]);
  for (const part of toolParts(answer)) partsList.push([part]);
  if (partsList.length === 0) partsList.push([{ text: '' }]);
  return partsList.map((parts, index) => ({
    data: candidateResponse({ context, answer, parts, final: index === partsList.length - 1 }),
    content: true,
  }));
}

/**
 * A generation answer, each payload passed through `wrap` (Code Assist wraps them in `{response}`).
 */
export function generateReply(context: WireContext, wrap: (payload: unknown) => unknown): Reply {
  const answer = context.answer();
  const headers = context.behaviour.headers ?? {};
  if (!context.route.stream) {
    const parts = [
      ...thoughtParts(context, answer),
      ...(answer.text.length > 0 ? [{ text: answer.text }] : []),
      ...toolParts(answer),
    ];
    return jsonReply(wrap(candidateResponse({ context, answer, parts, final: true })), headers);
  }
  const sse = context.route.framing !== 'json-array';
  return {
    kind: 'stream',
    status: 200,
    headers: { 'content-type': sse ? 'text/event-stream' : 'application/json; charset=UTF-8', ...headers },
    framing: context.route.framing,
    events: streamPayloads(context, answer).map((event) => ({ ...event, data: wrap(event.data) })),
  };
}

/** Total prompt tokens, for the countTokens endpoints. */
export function promptTokens(context: WireContext): number {
  return Math.max(1, tokensOf(context.prompt.segments.reduce((sum, segment) => sum + segment.length, 0)));
}

function ok(context: WireContext): Reply {
  const headers = context.behaviour.headers ?? {};
  switch (context.route.operation) {
    case 'list-models': {
      const ids = context.behaviour.models?.map((model) => model.id) ?? DEFAULT_MODELS;
      const models = ids.map((id) => ({
        name: `models/${id}`,
        version: '001',
        displayName: id,
        description: '',
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: ['generateContent', 'countTokens', 'streamGenerateContent'],
      }));
      return jsonReply({ models }, headers);
    }
    case 'count-tokens': {
      const totalTokens = promptTokens(context);
      return jsonReply(
        { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] },
        headers,
      );
    }
    default:
      return generateReply(context, (payload) => payload);
  }
}

/** Seconds of a Google duration such as `"3h2m1s"`, `"1.5s"` or `"250ms"`; null when it does not parse. */
export function parseGoogleDuration(text: string): number | null {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return null;
  return parts.reduce((sum, part) => sum + Number(part[1]) * (units[part[2] ?? 's'] ?? 0), 0);
}

function googleBody(options: { code: number; status: string; message: string; details?: unknown[] }) {
  const { code, status, message, details } = options;
  return { error: { code, message, status, ...(details && details.length > 0 ? { details } : {}) } };
}

function rateLimitDetails(
  failure: Extract<UpstreamError, { kind: 'rate-limited' }>,
  context: WireContext,
  domain: string,
) {
  const model = context.route.pathModel ?? context.prompt.model ?? 'unknown';
  const reason =
    failure.googleReason ?? (failure.quotaResetDelay ? 'QUOTA_EXHAUSTED' : 'RATE_LIMIT_EXCEEDED');
  const resetSeconds = failure.quotaResetDelay ? parseGoogleDuration(failure.quotaResetDelay) : null;
  const metadata: Record<string, string> = { model };
  if (failure.quotaResetDelay) metadata['quotaResetDelay'] = failure.quotaResetDelay;
  if (resetSeconds !== null)
    metadata['quotaResetTimeStamp'] = formatRfc3339(context.now + resetSeconds * 1000);
  const details: unknown[] = [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata },
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: `${domain}/generate_content_requests`,
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
          quotaDimensions: { location: 'global', model },
        },
      ],
    },
  ];
  if (failure.googleRetryDelay) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: failure.googleRetryDelay,
    });
  }
  const message =
    failure.message ??
    (reason === 'QUOTA_EXHAUSTED'
      ? `You have exhausted your capacity on this model. Your quota will reset after ${failure.quotaResetDelay ?? '1h'}.`
      : reason === 'MODEL_CAPACITY_EXHAUSTED'
        ? `No capacity available for model ${model} on the server`
        : 'Resource has been exhausted (e.g. check quota).');
  return { details, message };
}

const SERVER_STATUS: Record<number, { status: string; message: string }> = {
  500: { status: 'INTERNAL', message: 'Internal error encountered.' },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' },
};

/** A failure in Google's `{error: {code, message, status, details}}` shape; `domain` goes in ErrorInfo. */
export function googleError(failure: UpstreamError, context: WireContext, domain: string): JsonReply {
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): JsonReply => ({
    kind: 'json',
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
    body,
  });
  switch (failure.kind) {
    case 'rate-limited': {
      const { details, message } = rateLimitDetails(failure, context, domain);
      const body = googleBody({ code: 429, status: 'RESOURCE_EXHAUSTED', message, details });
      return reply(429, body, retryHeaders(failure, context.now));
    }
    case 'server-error': {
      const known = SERVER_STATUS[failure.status] ?? {
        status: 'UNAVAILABLE',
        message: 'The service is currently unavailable.',
      };
      const message = failure.message ?? known.message;
      return reply(failure.status, googleBody({ code: failure.status, status: known.status, message }));
    }
    case 'unauthorized': {
      const message =
        failure.message ??
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';
      return reply(401, googleBody({ code: 401, status: 'UNAUTHENTICATED', message }));
    }
    case 'forbidden': {
      if (!failure.validationUrl) {
        const message = failure.message ?? 'The caller does not have permission';
        return reply(403, googleBody({ code: 403, status: 'PERMISSION_DENIED', message }));
      }
      const details = [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'VALIDATION_REQUIRED',
          domain,
          metadata: { validation_url: failure.validationUrl },
        },
      ];
      const message = failure.message ?? 'Verify your account to continue.';
      return reply(403, googleBody({ code: 403, status: 'PERMISSION_DENIED', message, details }));
    }
    case 'invalid-grant': {
      const message = failure.description ?? 'invalid_grant';
      return reply(400, googleBody({ code: 400, status: 'INVALID_ARGUMENT', message }));
    }
  }
}

/** Google ends a failing stream with a bare error object. */
export function googleStreamError(message: string | undefined) {
  const body = googleBody({
    code: 503,
    status: 'UNAVAILABLE',
    message: message ?? SERVER_STATUS[503]!.message,
  });
  return { event: { data: body, content: false }, status: 503, body };
}

/** A 400 for thought signatures Google did not issue (`request` is the Gemini request body). */
export function rejectGoogleReasoning(request: unknown): JsonReply | null {
  const message = googleReasoningError(request);
  if (message === null) return null;
  const body = googleBody({ code: 400, status: 'INVALID_ARGUMENT', message });
  return { kind: 'json', status: 400, headers: { 'content-type': 'application/json; charset=UTF-8' }, body };
}

export const geminiWire: Wire = {
  ok,
  error: (failure, context) => googleError(failure, context, 'generativelanguage.googleapis.com'),
  rejectReasoning: (context) => rejectGoogleReasoning(context.body),
  streamError: (message) => googleStreamError(message),
};

import type { Account } from '../core/account.js';
import { SwitchyardError } from '../core/errors.js';
import { toHeaderValue } from '../core/header-value.js';
import type { SignatureFamily } from '../core/model/replayed-reasoning.js';
import { clientProtocol } from '../protocols/registry.js';
import type { CommittedAttempt, FailedAttempt } from './attempt.js';
import { toJsonArrayStream } from './json-array-stream.js';
import type { ProxyRequest, ProxyResponse } from './proxy-request.js';
import type { ReasoningReplay } from './reasoning/reasoning-replay.js';
import type { RequestTrace } from './request-trace.js';

/**
 * The client's answer from the attempt that committed: a buffered body as is, a stream relayed as
 * it arrives (a Gemini stream asked without `alt=sse` re-framed as a JSON array). The reasoning
 * signatures are recorded and the trace finished once the whole body has gone out; a stream that
 * breaks off ends with the protocol's error event.
 */
export function committedAnswer(options: {
  account: Account;
  model: string;
  request: ProxyRequest;
  trace: RequestTrace;
  reasoning: ReasoningReplay;
  /** The signature family of the account's adapter. */
  family: SignatureFamily;
  outcome: CommittedAttempt;
}): ProxyResponse {
  const { account, model, request, trace, reasoning, family, outcome } = options;
  const streamed = !Buffer.isBuffer(outcome.body);
  // A Gemini stream asked without `alt=sse` is a JSON array: re-framed from the SSE built here.
  const jsonArray = streamed && clientProtocol(request.protocol).streamsAsJsonArray?.(request.query) === true;
  const contentType = jsonArray ? 'application/json' : outcome.contentType;
  const headers = answerHeaders({ account, model, contentType, streamed });
  if (Buffer.isBuffer(outcome.body)) {
    reasoning.record(family, outcome.signatures);
    trace.succeed({ account, status: outcome.status, usage: outcome.usage, responseBody: outcome.body });
    return { status: outcome.status, headers, body: outcome.body };
  }
  const relay = outcome.body;
  async function* stream(): AsyncGenerator<Buffer> {
    let failure: unknown = null;
    try {
      yield* outcome.buffered;
      yield* relay.rest((error) => {
        failure = error;
        const broken = new SwitchyardError(
          'upstream_error',
          'The upstream stream broke off before it finished',
        );
        return outcome.failureEvent?.(broken.message) ?? request.streamErrorEvent(broken);
      });
    } finally {
      reasoning.record(family, relay.signatures());
      trace.succeed({ account, status: outcome.status, usage: relay.usage(), streamError: failure });
    }
  }
  trace.firstByte();
  return {
    status: outcome.status,
    headers,
    body: jsonArray ? toJsonArrayStream(stream()) : stream(),
  };
}

/** The upstream's own answer to a request it refused as the client's fault, passed on untranslated. */
export function clientErrorAnswer(options: {
  account: Account;
  model: string;
  outcome: FailedAttempt;
  trace: RequestTrace;
}): ProxyResponse {
  const { account, model, outcome, trace } = options;
  const contentType = String(outcome.upstreamHeaders['content-type'] ?? 'application/json');
  const body = Buffer.from(typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body));
  trace.succeed({ account, status: outcome.status, usage: null, responseBody: body });
  return {
    status: outcome.status,
    headers: answerHeaders({ account, model, contentType, streamed: false }),
    body,
  };
}

/** The answer's headers, built once per answer; a stream's also tell caches and proxies not to hold it. */
function answerHeaders(options: {
  account: Account;
  model: string;
  contentType: string;
  streamed: boolean;
}): Record<string, string> {
  const { account, model, contentType } = options;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-account-email': toHeaderValue(account.email),
    'x-mapped-model': toHeaderValue(model),
  };
  if (options.streamed) {
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
  }
  return headers;
}

import type { Account } from '../core/account.js';
import type { Clock } from '../core/clock.js';
import type { JsonObject } from '../core/json.js';
import type { Usage } from '../core/model/index.js';
import type { AuthorizedCredential, ProviderAdapter } from '../providers/provider-adapter.js';
import { AttemptAbort } from './attempt-abort.js';
import type { UpstreamAnswer, UpstreamPort } from './gateway-ports.js';
import type { ProxyRequest } from './proxy-request.js';
import { parseBody, readBounded } from './read-body.js';
import { StreamRelay, TRUNCATED_STREAM_STATUS } from './stream-relay.js';
import type { Translation } from './translation/translation.js';

/** The upstream answered with output (or a valid empty answer): the request is committed to it. */
export interface CommittedAttempt {
  kind: 'committed';
  status: number;
  upstreamHeaders: Record<string, string | string[] | undefined>;
  contentType: string;
  /** The whole body (JSON) or the stream from the commit point on. */
  body: Buffer | StreamRelay;
  buffered: Buffer[];
  /** Usage for JSON answers; for streams, read it from the relay's observer at the end. */
  usage: Usage | null;
  /** Reasoning signatures of a JSON answer; for streams, read them from the relay at the end. */
  signatures: readonly string[];
  /** Translated streams: the client protocol's error event for a stream that breaks after the commit point. */
  failureEvent?: (message: string) => string;
}

/** The upstream failed before anything was sent to the client. */
export interface FailedAttempt {
  kind: 'failed';
  /** HTTP status, or 0 for connection errors and timeouts. */
  status: number;
  upstreamHeaders: Record<string, string | string[] | undefined>;
  body: unknown;
  /** A short description for logs and the final error, never containing secrets. */
  message: string;
  /** The account's credential could not be obtained (OAuth refresh failed); nothing was sent. */
  credentialFailure?: boolean;
  /** Status 0 only: the upstream sent nothing in time (rather than not being reachable at all). */
  timedOut?: boolean;
}

export type AttemptOutcome = CommittedAttempt | FailedAttempt;

export interface AttemptOptions {
  account: Account;
  adapter: ProviderAdapter;
  credential: AuthorizedCredential;
  model: string;
  request: ProxyRequest;
  upstream: UpstreamPort;
  clock: Clock;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  observer: ReturnType<ProviderAdapter['createStreamObserver']>;
  /** Set when the upstream speaks another protocol than the client. */
  translation?: Translation | undefined;
  /** Pass-through: the body to send instead of the client's (its reasoning was adapted to the account). */
  body?: JsonObject | null;
  /**
   * Called as soon as the upstream's status and headers arrive, before the body is read: rate-limit
   * headers are acted on at the earliest moment, while other requests are being scheduled.
   */
  onResponseHead?: (head: { status: number; headers: UpstreamHeaders }) => void;
}

type UpstreamHeaders = Record<string, string | string[] | undefined>;

function describeNetworkError(error: unknown): { message: string; timedOut: boolean } {
  const failure = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = failure.code ?? failure.cause?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return { message: 'upstream did not answer in time (first_byte_timeout)', timedOut: true };
  if (code === 'UND_ERR_BODY_TIMEOUT')
    return { message: 'upstream stopped sending (request_timeout)', timedOut: true };
  return { message: `upstream connection failed${code ? ` (${code})` : ''}`, timedOut: false };
}

function isEventStream(contentType: string): boolean {
  return contentType.toLowerCase().includes('text/event-stream');
}

/**
 * A complete (non-stream) answer. A 200 whose JSON does not parse was cut short (the upstream ended
 * mid-body): a failed attempt, as for a translated request, never relayed as a success.
 */
async function readJsonAnswer(options: {
  response: UpstreamAnswer;
  contentType: string;
  adapter: ProviderAdapter;
  translation: Translation | undefined;
}): Promise<AttemptOutcome> {
  const { response, contentType, adapter, translation } = options;
  const raw = await response.body.bytes();
  const native = adapter.rewriteJsonResponse ? adapter.rewriteJsonResponse(raw) : raw;
  const json = parseBody(native);
  if (typeof json === 'string' && contentType.toLowerCase().includes('json')) {
    return {
      kind: 'failed',
      status: TRUNCATED_STREAM_STATUS,
      upstreamHeaders: response.headers,
      body: null,
      message: 'upstream answer is not complete JSON (cut short)',
    };
  }
  return {
    kind: 'committed',
    status: response.status,
    upstreamHeaders: response.headers,
    contentType,
    body: translation ? translation.translateJson(json) : native,
    buffered: [],
    usage: adapter.usageFromJson(json),
    signatures: adapter.signaturesFromJson?.(json) ?? [],
  };
}

/** Sends one request to one account and reads it up to the commit point. */
export async function attemptUpstream(options: AttemptOptions): Promise<AttemptOutcome> {
  const { request, adapter, translation } = options;
  const upstreamRequest = adapter.passThrough({
    account: options.account,
    credential: options.credential,
    operation: request.operation,
    model: options.model,
    stream: request.stream,
    ...(translation
      ? { body: translation.takeBody(), rawBody: null, clientHeaders: {}, query: '' }
      : {
          body: options.body ?? request.body,
          rawBody: options.body ? null : request.rawBody,
          clientHeaders: request.headers,
          query: request.query,
        }),
  });
  // One cancel signal per attempt, aborted by its own timer or by the client going away. Linked by
  // hand: AbortSignal.any keeps combined signals alive far longer (nodejs/node#54614).
  const attemptAbort = new AttemptAbort();
  const signal = attemptAbort;
  // Never unlinked: a committed stream is still read through this signal after the attempt returns.
  watchClient(request, attemptAbort);
  // Non-streamed answers come all at once after generation: only streams get the short first-byte limit.
  const firstOutputMs = request.stream ? options.firstByteTimeoutMs : options.idleTimeoutMs;
  let timedOut = false;
  const cancelTimer = options.clock.after(firstOutputMs, () => {
    timedOut = true;
    attemptAbort.abort(new Error('no output in time'));
  });
  try {
    const response = await options.upstream.send(upstreamRequest, {
      signal,
      headersTimeoutMs: firstOutputMs,
      bodyTimeoutMs: options.idleTimeoutMs,
    });
    options.onResponseHead?.({ status: response.status, headers: response.headers });
    const contentType = String(response.headers['content-type'] ?? 'application/json');
    if (response.status >= 400) {
      const body = parseBody(await readBounded(response.body));
      return {
        kind: 'failed',
        status: response.status,
        upstreamHeaders: response.headers,
        body,
        message: `upstream answered ${response.status}`,
      };
    }
    if (!isEventStream(contentType))
      return await readJsonAnswer({ response, contentType, adapter, translation });
    const translator = translation?.createStreamTranslator();
    const rewrite = translator
      ? translator.event
      : (upstreamRequest.rewriteStreamEvent ?? adapter.rewriteStreamEvent?.bind(adapter));
    const relay = new StreamRelay(response.body, options.observer, rewrite, translator?.end);
    const peeked = await relay.peek();
    if (peeked.kind === 'error') {
      await relay.cancel();
      return {
        kind: 'failed',
        status: peeked.status,
        upstreamHeaders: response.headers,
        body: peeked.body,
        message: peeked.message,
      };
    }
    return {
      kind: 'committed',
      status: response.status,
      upstreamHeaders: response.headers,
      contentType,
      body: relay,
      buffered: peeked.buffered,
      usage: null,
      signatures: [],
      ...(translator ? { failureEvent: translator.fail } : {}),
    };
  } catch (error) {
    if (clientIsGone(request)) throw request.clientGone?.reason ?? request.signal.reason ?? error;
    const network = timedOut
      ? {
          message: `upstream sent no output within ${firstOutputMs / 1000} s (${request.stream ? 'first_byte_timeout' : 'request_timeout'})`,
          timedOut: true,
        }
      : describeNetworkError(error);
    return { kind: 'failed', status: 0, upstreamHeaders: {}, body: null, ...network };
  } finally {
    cancelTimer();
  }
}

/**
 * Aborts `controller` when the client goes away (at once when it already has). Uses the request's
 * `clientGone` when it has one, so that the request's own AbortSignal is never created on the
 * common path.
 */
function watchClient(request: ProxyRequest, controller: AttemptAbort): void {
  const gone = request.clientGone;
  if (gone) {
    if (gone.reason !== undefined) controller.abort(gone.reason);
    else gone.subscribe((reason) => controller.abort(reason));
    return;
  }
  const onAbort = () => controller.abort(request.signal.reason);
  if (request.signal.aborted) onAbort();
  else request.signal.addEventListener('abort', onAbort, { once: true });
}

/** True once the client has gone away. */
function clientIsGone(request: ProxyRequest): boolean {
  return request.clientGone ? request.clientGone.reason !== undefined : request.signal.aborted;
}

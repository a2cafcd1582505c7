import type { Account } from '../core/account.js';
import type { Clock } from '../core/clock.js';
import type { Usage } from '../core/model/index.js';
import type { AuthorizedCredential, ProviderAdapter } from '../providers/provider-adapter.js';
import type { UpstreamClient } from '../providers/upstream-client.js';
import type { ProxyRequest } from './proxy-request.js';
import { parseBody, readBounded } from './read-body.js';
import { StreamRelay } from './stream-relay.js';
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
}

export type AttemptOutcome = CommittedAttempt | FailedAttempt;

export interface AttemptOptions {
  account: Account;
  adapter: ProviderAdapter;
  credential: AuthorizedCredential;
  model: string;
  request: ProxyRequest;
  upstream: UpstreamClient;
  clock: Clock;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  observer: ReturnType<ProviderAdapter['createStreamObserver']>;
  /** Set when the upstream speaks another protocol than the client. */
  translation?: Translation | undefined;
  /**
   * Called as soon as the upstream's status and headers arrive, before the body is read: rate-limit
   * headers are acted on at the earliest moment, while other requests are being scheduled.
   */
  onResponseHead?: (head: { status: number; headers: UpstreamHeaders }) => void;
}

type UpstreamHeaders = Record<string, string | string[] | undefined>;

function describeNetworkError(error: unknown): string {
  const failure = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = failure.code ?? failure.cause?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'upstream did not answer in time (first_byte_timeout)';
  if (code === 'UND_ERR_BODY_TIMEOUT') return 'upstream stopped sending (request_timeout)';
  return `upstream connection failed${code ? ` (${code})` : ''}`;
}

function isEventStream(contentType: string): boolean {
  return contentType.toLowerCase().includes('text/event-stream');
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
      ? { body: translation.body, rawBody: null, clientHeaders: {}, query: '' }
      : {
          body: request.body,
          rawBody: request.rawBody,
          clientHeaders: request.headers,
          query: request.query,
        }),
  });
  // One controller per attempt, aborted by its own timer or by the client going away. Linked by
  // hand: AbortSignal.any keeps combined signals alive far longer (nodejs/node#54614).
  const attemptAbort = new AbortController();
  const signal = attemptAbort.signal;
  const onClientGone = () => attemptAbort.abort(request.signal.reason);
  if (request.signal.aborted) onClientGone();
  else request.signal.addEventListener('abort', onClientGone, { once: true });
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
    if (!isEventStream(contentType)) {
      const raw = Buffer.from(await response.body.arrayBuffer());
      const native = adapter.rewriteJsonResponse ? adapter.rewriteJsonResponse(raw) : raw;
      const json = parseBody(native);
      const usage = adapter.usageFromJson(json);
      const body = translation ? translation.translateJson(json) : native;
      return {
        kind: 'committed',
        status: response.status,
        upstreamHeaders: response.headers,
        contentType,
        body,
        buffered: [],
        usage,
      };
    }
    const translator = translation?.createStreamTranslator();
    const rewrite = translator ? translator.event : adapter.rewriteStreamEvent?.bind(adapter);
    const relay = new StreamRelay(response.body, options.observer, rewrite, translator?.end);
    const peeked = await relay.peek();
    if (peeked.kind === 'error') {
      await relay.cancel();
      return {
        kind: 'failed',
        status: peeked.status,
        upstreamHeaders: response.headers,
        body: peeked.body,
        message: `upstream stream reported an error before any output (${peeked.status})`,
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
      ...(translator ? { failureEvent: translator.fail } : {}),
    };
  } catch (error) {
    if (request.signal.aborted) throw request.signal.reason ?? error;
    const message = timedOut
      ? `upstream sent no output within ${firstOutputMs / 1000} s (${request.stream ? 'first_byte_timeout' : 'request_timeout'})`
      : describeNetworkError(error);
    return { kind: 'failed', status: 0, upstreamHeaders: {}, body: null, message };
  } finally {
    cancelTimer();
  }
}

import { type Dispatcher, util as undiciUtil } from 'undici';

/** Bytes queued unread before the socket is paused (undici's own Readable pauses at 64 KiB too). */
const HIGH_WATER_BYTES = 64 * 1024;

/** What `dump` reads at most before it gives the connection up instead (undici's default). */
const DUMP_LIMIT_BYTES = 128 * 1024;

/** The reason a body stopped by its reader gives undici (it aborts the request with it). */
function readerStopped(): Error {
  const error = new Error('upstream body abandoned by its reader');
  error.name = 'AbortError';
  return error;
}

/**
 * An upstream answer's body as undici's dispatch handler delivers it: chunks queue here until they
 * are read, with no Readable stream in between (a Readable per answer was one of the larger costs
 * of a proxied request). Read it once: whole (`bytes`, `text`), chunk by chunk (`for await`),
 * or not at all (`dump`). Back-pressure as a stream's: past `HIGH_WATER_BYTES` unread, undici stops
 * reading the socket until the reader catches up. A failure (timeout, abort, connection lost) is
 * thrown to the reader once the chunks before it are read; a reader that stops early (`break`,
 * `return()`) aborts the request.
 */
export class UpstreamBody implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: { error: unknown } | null = null;
  /** Set while the socket is paused: undici's function to continue. */
  private paused: (() => void) | null = null;
  /** The reader waiting for the next chunk, the end or a failure. */
  private waiting: (() => void) | null = null;
  private used = false;
  /** Set when the reader stopped: chunks arriving after it are dropped. */
  private stopped = false;

  constructor(private readonly abort: (reason: Error) => void) {}

  /** Handler side: a chunk arrived. False asks undici to pause until `resume` is called. */
  push(chunk: Buffer, resume: () => void): boolean {
    if (this.stopped) return true;
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
    this.notify();
    if (this.queuedBytes < HIGH_WATER_BYTES) return true;
    this.paused = resume;
    return false;
  }

  /** Handler side: the body is complete. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** Handler side: the body failed; the reader gets `error` after the chunks already queued. */
  fail(error: unknown): void {
    if (this.ended || this.failure) return;
    this.failure = { error };
    this.notify();
  }

  /** The whole body as UTF-8 text; rejects with the body's failure. */
  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  /**
   * Reads and drops the body so the connection can serve another request, or aborts the request
   * when the body turns out longer than `DUMP_LIMIT_BYTES` (reading on would cost more than a new
   * connection). Never rejects.
   */
  async dump(): Promise<void> {
    let read = 0;
    try {
      for await (const chunk of this) {
        read += chunk.length;
        if (read > DUMP_LIMIT_BYTES) break;
      }
    } catch {
      // a failed body is as good as dumped
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    this.claim();
    return {
      next: () => this.next(),
      return: async () => {
        this.stop();
        return { done: true, value: undefined };
      },
    };
  }

  /** The whole body (no copy when it came in one chunk); rejects with the body's failure. */
  async bytes(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this) parts.push(chunk);
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  private claim(): void {
    if (this.used) throw new TypeError('the upstream body was already read');
    this.used = true;
  }

  private async next(): Promise<IteratorResult<Buffer>> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.queuedBytes -= chunk.length;
        if (this.paused && this.queuedBytes < HIGH_WATER_BYTES) {
          const resume = this.paused;
          this.paused = null;
          resume();
        }
        return { done: false, value: chunk };
      }
      if (this.failure) throw this.failure.error;
      if (this.ended || this.stopped) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  /** The reader stopped before the end: the rest is not wanted, the request is aborted. */
  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.chunks.length = 0;
    this.queuedBytes = 0;
    this.paused = null;
    if (!this.ended && !this.failure) this.abort(readerStopped());
  }

  private notify(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }
}

/** An upstream answer as `UpstreamClient` returns it: status, headers and the unread body. */
export interface DispatchedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

/** What cancels a dispatched request (see `CancelSignal` in upstream-client.ts). */
interface Cancel {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}

/**
 * undici's dispatch handler for one upstream request: resolves with the answer's head as soon as it
 * arrives (1xx heads are skipped) and feeds the body into an `UpstreamBody`; rejects with undici's
 * error (timeouts, connection failures) or the signal's reason when it fires first. The signal
 * aborts the request at any point until the body ends.
 */
export class DispatchedRequest implements Dispatcher.DispatchHandler {
  private abortRequest: ((reason: Error) => void) | null = null;
  private body: UpstreamBody | null = null;
  private settled = false;
  private readonly onAbort = () => this.cancel(this.signal.reason);

  constructor(
    private readonly signal: Cancel,
    private readonly resolve: (answer: DispatchedAnswer) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortRequest = abort;
    if (this.signal.aborted) this.cancel(this.signal.reason);
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (status < 200) return true;
    this.resume = resume;
    const body = new UpstreamBody((reason) => this.abortRequest?.(reason));
    this.body = body;
    this.settled = true;
    const headers = undiciUtil.parseHeaders(rawHeaders) as DispatchedAnswer['headers'];
    this.resolve({ status, headers, body });
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.body ? this.body.push(chunk, this.resume) : true;
  }

  onComplete(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.body?.end();
  }

  onError(error: Error): void {
    this.signal.removeEventListener('abort', this.onAbort);
    if (this.body) this.body.fail(error);
    else if (!this.settled) {
      this.settled = true;
      this.reject(error);
    }
  }

  private resume: () => void = () => {};

  private cancel(reason: unknown): void {
    // undici reports the abort through onError with this reason, once it has a request to abort.
    this.abortRequest?.(asError(reason));
  }
}

import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';
import type { SseEvent, StreamObserver } from '../providers/provider-adapter.js';

/** What the gateway learns by reading a stream up to its commit point. */
export type PeekResult =
  /** Output has started: the request is committed to this account. */
  | { kind: 'content'; buffered: Buffer[] }
  /**
   * The upstream reported an error before any output, or its stream ended before the protocol's
   * end (a cut-short answer): a failover-eligible failure, never relayed as success.
   */
  | { kind: 'error'; status: number; body: unknown; message: string }
  /** The stream reached its protocol's end without output (a valid, empty answer). */
  | { kind: 'ended'; buffered: Buffer[] };

/** Status recorded for a stream that ended cleanly before the protocol's end, as a bad gateway answer. */
export const TRUNCATED_STREAM_STATUS = 502;
const TRUNCATED_MESSAGE = 'upstream stream ended before the answer was complete';

/**
 * Watches an upstream SSE body: parses events with a maintained parser (never regexes on strings),
 * hands each to the provider's observer, and lets the gateway read up to the first content event
 * before deciding to commit, then relay the rest byte for byte.
 */
export class StreamRelay {
  private readonly decoder = new StringDecoder('utf8');
  private readonly pending: SseEvent[] = [];
  private readonly parser = createParser({ onEvent: (event) => this.pending.push(event) });
  private readonly iterator: AsyncIterator<Buffer>;
  private done = false;

  /**
   * @param rewrite turns each upstream event into the SSE text the client gets (upstreams that wrap
   *   the client's protocol); without it the upstream bytes pass through untouched.
   */
  constructor(
    body: AsyncIterable<Buffer>,
    private readonly observer: StreamObserver,
    private readonly rewrite?: (event: SseEvent) => string,
    private readonly end?: () => string,
  ) {
    this.iterator = body[Symbol.asyncIterator]();
  }

  /**
   * Feeds one chunk through the parser: the first in-band error, whether content appeared, and the
   * bytes to send on for this chunk.
   */
  private inspect(chunk: Buffer): {
    content: boolean;
    error: { status: number; body: unknown } | null;
    output: Buffer;
  } {
    this.parser.feed(this.decoder.write(chunk));
    let content = false;
    let rewritten = '';
    for (const event of this.pending.splice(0)) {
      const observation = this.observer.observe(event);
      if (observation.error) return { content, error: observation.error, output: chunk };
      content ||= observation.content;
      if (this.rewrite) rewritten += this.rewrite(event);
    }
    return { content, error: null, output: this.rewrite ? Buffer.from(rewritten) : chunk };
  }

  /** Reads until the commit point. Throws what the upstream body throws (drop, timeout, abort). */
  async peek(): Promise<PeekResult> {
    const buffered: Buffer[] = [];
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        if (!this.observer.finished()) {
          const body = { error: { message: TRUNCATED_MESSAGE } };
          return { kind: 'error', status: TRUNCATED_STREAM_STATUS, body, message: TRUNCATED_MESSAGE };
        }
        const closing = this.end?.();
        if (closing) buffered.push(Buffer.from(closing));
        return { kind: 'ended', buffered };
      }
      const seen = this.inspect(Buffer.from(next.value));
      if (seen.error) {
        const { status, body } = seen.error;
        const message = `upstream stream reported an error before any output (${status})`;
        return { kind: 'error', status, body, message };
      }
      if (seen.output.length > 0) buffered.push(seen.output);
      if (seen.content) return { kind: 'content', buffered };
    }
  }

  /**
   * The rest of the stream after the commit point, observed for usage and in-band errors as it
   * passes. An upstream failure after commit is reported through `onFailure`, which returns the
   * protocol-shaped error event to end the client's stream cleanly. A stream that ends before the
   * protocol's end without a closing translation (pass-through) is such a failure too: it ends with
   * the error event, exactly as a translated stream does, never as if it were complete.
   */
  async *rest(onFailure: (error: unknown) => string): AsyncGenerator<Buffer> {
    if (this.done) return;
    try {
      for (;;) {
        const next = await this.iterator.next();
        if (next.done) {
          const closing = this.end?.();
          if (closing) yield Buffer.from(closing);
          else if (!this.end && !this.observer.finished())
            yield Buffer.from(onFailure(new Error(TRUNCATED_MESSAGE)));
          break;
        }
        const { output } = this.inspect(Buffer.from(next.value));
        if (output.length > 0) yield output;
      }
    } catch (error) {
      yield Buffer.from(onFailure(error));
    } finally {
      this.done = true;
      await this.iterator.return?.();
    }
  }

  /** Usage the provider reported in the stream so far. */
  usage() {
    return this.observer.usage();
  }

  /** Reasoning signatures the provider issued in the stream so far. */
  signatures(): readonly string[] {
    return this.observer.signatures?.() ?? [];
  }

  /** Stops reading (the client went away, or the gateway moves to another account). */
  async cancel(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.iterator.return?.();
    } catch {
      // the upstream body is being torn down anyway
    }
  }
}

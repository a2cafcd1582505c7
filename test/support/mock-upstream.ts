/**
 * A fake upstream for gateway tests: a real HTTP server on 127.0.0.1 (ephemeral port) that speaks
 * the wire formats the gateway talks to, answers per credential as scripted, and records every
 * request.
 *
 * Endpoints (paths relative to `url`):
 * - OpenAI: `POST /v1/chat/completions` (JSON or SSE with `stream: true`), `GET /v1/models`
 *   (Anthropic's list format when the request has `x-api-key` or `anthropic-version`);
 * - Anthropic: `POST /v1/messages` (JSON or SSE), `POST /v1/messages/count_tokens`;
 * - Gemini: `POST /v1beta/models/{model}:generateContent|streamGenerateContent|countTokens`
 *   (streams are SSE with `?alt=sse`, else a JSON array), `GET /v1beta/models`;
 * - Code Assist: `POST /v1internal:generateContent|streamGenerateContent|countTokens|loadCodeAssist|fetchAvailableModels`;
 * - OAuth: `POST /oauth/token` (also `/token`), keyed by the refresh token (or authorization code);
 *   `GET /oauth/authorize` (redirects back with a code, checks PKCE at the exchange), keyed by
 *   `client_id`; `GET /oauth/userinfo`, keyed by the access token.
 *
 * A request's key is its credential: `Authorization: Bearer X`, `x-api-key`, `x-goog-api-key` or
 * `?key=`. Each request consumes the next behaviour scripted for its key (then for `*`), else the
 * key's default (then `*`'s), else `ok`. A normal answer echoes the last user message
 * (`echo: <text>`), echoes the requested model and reports usage of about one token per four
 * characters. Cache reads are simulated per key: sending a prompt whose prefix this key has sent
 * before reports that prefix as cached (Anthropic only up to its last `cache_control` marker).
 *
 * ```ts
 * import { rateLimited, startMockUpstream } from '../support/mock-upstream.js';
 *
 * const upstream = await startMockUpstream();
 * upstream.script('sk-a', rateLimited({ retryAfter: '7' }));   // first request with sk-a → 429
 * // ... point an account at `${upstream.url}/v1` with key sk-a, another with sk-b, send a request ...
 * expect(upstream.hits('sk-a')).toBe(1);
 * expect(upstream.requestsFor('sk-b')[0]?.body).toMatchObject({ model: 'gpt-4o' });
 * await upstream.close();
 * ```
 *
 * Delays use real (unref'd) timers; `close()` cancels them and destroys open sockets, including
 * those held by `hang()`.
 *
 * The server and the wire formats live in `src/simulator/` (`upstream-server.ts`, `wire/`), shared
 * with `switchyard demo`; this module adds what tests need on top: scripts per key and recording.
 */
import type { Clock } from '../../src/core/clock.js';
import {
  startUpstreamServer,
  type UpstreamConnections,
  type UpstreamRequest,
  type UpstreamServer,
} from '../../src/simulator/upstream-server.js';
import type { Behaviour } from '../../src/simulator/wire/behaviours.js';
import type { UpstreamProtocol } from '../../src/simulator/wire/reply.js';
import { type BehaviourChooser, ScriptBook } from './mock-upstream/script-book.js';

export type { UpstreamConnections, UpstreamRequest } from '../../src/simulator/upstream-server.js';
export * from '../../src/simulator/wire/behaviours.js';
export type { RateLimitHeaders } from '../../src/simulator/wire/rate-limit-headers.js';
export type { UpstreamProtocol } from '../../src/simulator/wire/reply.js';
export { ANY_KEY, type BehaviourChooser } from './mock-upstream/script-book.js';

/** One request the mock received. */
export interface RecordedRequest {
  /** Arrival time from the mock's clock (epoch ms). */
  time: number;
  method: string;
  /** Path with query string, e.g. `/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The credential it carried (see the module comment), or null. */
  key: string | null;
  /** Parsed JSON, form fields as an object, raw text, or null when empty. */
  body: unknown;
  /** The body exactly as received (UTF-8), '' when empty: for byte-for-byte pass-through checks. */
  rawBody: string;
  protocol: UpstreamProtocol;
  /** The behaviour that answered it. */
  behaviour: Behaviour;
}

/** A running mock upstream. */
export interface MockUpstream {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Every request to a known endpoint, in arrival order. */
  readonly requests: RecordedRequest[];
  /** How many requests carried `key`. */
  hits(key: string): number;
  /** The requests that carried `key`, in arrival order. */
  requestsFor(key: string): RecordedRequest[];
  /** Queues behaviours for the next requests carrying `key` (`*`: any key), one per request. */
  script(key: string, ...steps: Behaviour[]): void;
  /**
   * What requests carrying `key` (`*`: any key) get once their queue is empty: one behaviour, or a
   * function choosing one per request (from its body, path or headers).
   */
  setDefault(key: string, behaviour: Behaviour | BehaviourChooser): void;
  /** Steps still queued for `key`. */
  pending(key: string): number;
  /** Sockets open now, answers still being written, answers the client abandoned (since `reset()`). */
  connections(): UpstreamConnections;
  /** Forgets scripts, defaults, recorded requests, abandoned answers and the simulated prompt cache. */
  reset(): void;
  /** Stops the server, cancels pending delays and destroys open connections. */
  close(): Promise<void>;
}

export interface MockUpstreamOptions {
  /** Time of recorded requests, `created` fields and reset timestamps; default the system clock. */
  clock?: Clock;
}

class ScriptedUpstream implements MockUpstream {
  readonly requests: RecordedRequest[] = [];
  private readonly book = new ScriptBook();
  private server: UpstreamServer | null = null;

  get url(): string {
    return this.server?.url ?? '';
  }

  /** Takes the next scripted behaviour for the request's key and records the request. */
  answer(request: UpstreamRequest): Behaviour {
    const behaviour = this.book.next(request);
    const { time, method, path, headers, key, body, rawBody, protocol } = request;
    this.requests.push({ time, method, path, headers, key, body, rawBody, protocol, behaviour });
    return behaviour;
  }

  async listen(clock: Clock | undefined): Promise<void> {
    this.server = await startUpstreamServer({ clock, answer: (request) => this.answer(request) });
  }

  hits(key: string): number {
    return this.requestsFor(key).length;
  }

  requestsFor(key: string): RecordedRequest[] {
    return this.requests.filter((request) => request.key === key);
  }

  script(key: string, ...steps: Behaviour[]): void {
    this.book.script(key, steps);
  }

  setDefault(key: string, behaviour: Behaviour | BehaviourChooser): void {
    this.book.setDefault(key, behaviour);
  }

  connections(): UpstreamConnections {
    return this.server?.connections() ?? { open: 0, busy: 0, abandoned: 0 };
  }

  pending(key: string): number {
    return this.book.pending(key);
  }

  reset(): void {
    this.book.clear();
    this.server?.reset();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}

/** Starts a mock upstream on 127.0.0.1 with an ephemeral port. Close it in `afterEach`/`afterAll`. */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const upstream = new ScriptedUpstream();
  await upstream.listen(options.clock);
  return upstream;
}

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
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { anthropicWire } from './mock-upstream/anthropic-wire.js';
import type { Behaviour, OkBehaviour } from './mock-upstream/behaviours.js';
import { codeAssistWire } from './mock-upstream/code-assist-wire.js';
import { geminiWire } from './mock-upstream/gemini-wire.js';
import {
  credentialOf,
  type Incoming,
  promptOf,
  readIncoming,
  resolveRoute,
} from './mock-upstream/incoming.js';
import { oauthWire } from './mock-upstream/oauth-wire.js';
import { openaiWire } from './mock-upstream/openai-wire.js';
import { applyUsageOverride, PromptCache } from './mock-upstream/prompt.js';
import type { Answer, Route, UpstreamProtocol, Wire, WireContext } from './mock-upstream/reply.js';
import { splitText } from './mock-upstream/reply.js';
import { dropConnection, untilAborted, writeJson, writeReply } from './mock-upstream/responder.js';
import { ScriptBook } from './mock-upstream/script-book.js';

export * from './mock-upstream/behaviours.js';
export type { RateLimitHeaders } from './mock-upstream/rate-limit-headers.js';
export type { UpstreamProtocol } from './mock-upstream/reply.js';
export { ANY_KEY } from './mock-upstream/script-book.js';

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
  /** What requests carrying `key` (`*`: any key) get once their queue is empty. */
  setDefault(key: string, behaviour: Behaviour): void;
  /** Steps still queued for `key`. */
  pending(key: string): number;
  /** Forgets scripts, defaults, recorded requests and the simulated prompt cache. */
  reset(): void;
  /** Stops the server, cancels pending delays and destroys open connections. */
  close(): Promise<void>;
}

export interface MockUpstreamOptions {
  /** Time of recorded requests, `created` fields and reset timestamps; default the system clock. */
  clock?: Clock;
}

const WIRES: Record<UpstreamProtocol, Wire> = {
  openai: openaiWire,
  anthropic: anthropicWire,
  gemini: geminiWire,
  'code-assist': codeAssistWire,
  oauth: oauthWire,
};

const TOOL_ID_PREFIX: Partial<Record<UpstreamProtocol, string>> = {
  openai: 'call_mock',
  anthropic: 'toolu_mock',
};

/** Per-request state shared by the behaviour handlers. */
interface Exchange {
  route: Route;
  context: WireContext;
  response: ServerResponse;
  signal: AbortSignal;
}

class MockUpstreamServer implements MockUpstream {
  readonly requests: RecordedRequest[] = [];
  url = '';
  private readonly book = new ScriptBook();
  private readonly cache = new PromptCache();
  private readonly closing = new AbortController();
  private sequence = 0;

  constructor(
    private readonly server: Server,
    private readonly clock: Clock,
  ) {}

  hits(key: string): number {
    return this.requestsFor(key).length;
  }

  requestsFor(key: string): RecordedRequest[] {
    return this.requests.filter((request) => request.key === key);
  }

  script(key: string, ...steps: Behaviour[]): void {
    this.book.script(key, steps);
  }

  setDefault(key: string, behaviour: Behaviour): void {
    this.book.setDefault(key, behaviour);
  }

  pending(key: string): number {
    return this.book.pending(key);
  }

  reset(): void {
    this.book.clear();
    this.cache.clear();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.closing.abort();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Entry point of every request. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const gone = new AbortController();
    response.on('close', () => gone.abort());
    const signal = AbortSignal.any([this.closing.signal, gone.signal]);
    try {
      const incoming = await readIncoming(request);
      const route = resolveRoute(incoming);
      if (route === null) {
        const body = {
          error: { message: `mock-upstream: no endpoint for ${incoming.method} ${incoming.pathname}` },
        };
        await writeJson({ kind: 'json', status: 404, headers: {}, body }, { response, signal });
        return;
      }
      const key = credentialOf(incoming, route);
      const behaviour = this.record({ incoming, route, key });
      const context = this.contextFor({ incoming, route, key, behaviour });
      await this.perform(behaviour, { route, context, response, signal });
    } catch (error) {
      if (response.headersSent) dropConnection(response);
      else
        response
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`mock-upstream failed: ${String(error)}`);
    }
  }

  private record(options: { incoming: Incoming; route: Route; key: string | null }): Behaviour {
    const { incoming, route, key } = options;
    const behaviour = this.book.next(key);
    const { method, path, headers, body, rawBody } = incoming;
    this.requests.push({
      time: this.clock.now(),
      method,
      path,
      headers,
      key,
      body,
      rawBody,
      protocol: route.protocol,
      behaviour,
    });
    return behaviour;
  }

  private contextFor(options: {
    incoming: Incoming;
    route: Route;
    key: string | null;
    behaviour: Behaviour;
  }): WireContext {
    const { incoming, route, key } = options;
    const behaviour: OkBehaviour = options.behaviour.type === 'ok' ? options.behaviour : { type: 'ok' };
    const prompt = promptOf(route, incoming.body);
    const sequence = ++this.sequence;
    let answer: Answer | undefined;
    return {
      route,
      behaviour,
      body: incoming.body,
      query: incoming.query,
      prompt,
      key,
      callNumber: this.requests.filter((request) => request.key === key).length,
      sequence,
      now: this.clock.now(),
      answer: () => {
        answer ??= this.compose({ route, behaviour, context: { key, prompt, sequence } });
        return answer;
      },
    };
  }

  /** The content of an ok answer; warms this key's simulated prompt cache. */
  private compose(options: {
    route: Route;
    behaviour: OkBehaviour;
    context: Pick<WireContext, 'key' | 'prompt' | 'sequence'>;
  }): Answer {
    const { route, behaviour } = options;
    const { key, prompt, sequence } = options.context;
    const text = behaviour.text ?? `echo: ${prompt.lastUserText}`;
    const prefix = TOOL_ID_PREFIX[route.protocol] ?? 'call_mock';
    const toolCalls = (behaviour.toolCalls ?? []).map((call, index) => ({
      id: `${prefix}_${sequence}_${index}`,
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    }));
    const outputCharacters = toolCalls.reduce(
      (sum, call) => sum + call.name.length + call.arguments.length,
      text.length,
    );
    const usage = this.cache.usage({ key, prompt, outputCharacters });
    return {
      model: route.pathModel ?? prompt.model ?? 'mock-model',
      text,
      textChunks: splitText(text, behaviour.chunks ?? 3),
      toolCalls,
      usage: applyUsageOverride(usage, behaviour.usage),
    };
  }

  private async perform(behaviour: Behaviour, exchange: Exchange): Promise<void> {
    const { route, context, response, signal } = exchange;
    const wire = WIRES[route.protocol];
    switch (behaviour.type) {
      case 'ok':
        return writeReply(wire.ok(context), {
          response,
          signal,
          firstByteDelayMs: behaviour.firstByteDelayMs,
          chunkDelayMs: behaviour.chunkDelayMs,
        });
      case 'status': {
        const reply = { kind: 'json' as const, status: behaviour.status, headers: behaviour.headers ?? {} };
        return writeJson({ ...reply, body: behaviour.body }, { response, signal });
      }
      case 'error': {
        const reply = wire.error(behaviour.error, context);
        return writeJson(
          { ...reply, headers: { ...reply.headers, ...behaviour.headers } },
          { response, signal },
        );
      }
      case 'drop-before-first-byte':
        return dropConnection(response);
      case 'drop-mid-stream':
        return writeReply(wire.ok(context), {
          response,
          signal,
          fault: { type: 'drop', afterChunks: behaviour.afterChunks },
        });
      case 'hang':
        return untilAborted(signal);
      case 'in-stream-error': {
        const failure = wire.streamError(behaviour.message, context);
        if (!route.stream) {
          return writeJson(
            { kind: 'json', status: failure.status, headers: {}, body: failure.body },
            { response, signal },
          );
        }
        const fault = {
          type: 'error' as const,
          beforeContent: behaviour.beforeContent,
          event: failure.event,
        };
        return writeReply(wire.ok(context), { response, signal, fault });
      }
    }
  }
}

/** Starts a mock upstream on 127.0.0.1 with an ephemeral port. Close it in `afterEach`/`afterAll`. */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const server = createServer();
  const upstream = new MockUpstreamServer(server, options.clock ?? systemClock);
  server.on('request', (request, response) => void upstream.handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  upstream.url = `http://127.0.0.1:${port}`;
  return upstream;
}

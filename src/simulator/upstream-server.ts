/**
 * A simulated upstream: a real HTTP server that speaks the wire formats the gateway talks to
 * (OpenAI, Anthropic, Gemini, Code Assist, OAuth; see `wire/incoming.ts` for the endpoints) and
 * answers each request with a `Behaviour` chosen by its owner: the test rig's scriptable mock
 * (`test/support/mock-upstream.ts`) or the demo's per-account policies (`simulated-upstream.ts`).
 * One implementation of the wire formats serves both.
 *
 * For each request to a known endpoint the server reads the body, finds its credential (the
 * request's key), asks `answer` what to do, then renders that behaviour in the shape of the
 * endpoint hit: a normal answer echoes the last user message and the requested model, reports
 * usage of about one token per four characters and simulates a prompt cache per key; an error is
 * described by meaning (`rateLimited`, `serverError`, …, see `wire/behaviours.ts`) and rendered as
 * that upstream would send it. An unknown path gets a 404 and is not shown to `answer`.
 *
 * Delays (first byte, between stream events) use real, unref'd timers; `close()` cancels them and
 * destroys every open socket.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Clock, systemClock } from '../core/clock.js';
import { anthropicWire } from './wire/anthropic-wire.js';
import type { Behaviour, OkBehaviour } from './wire/behaviours.js';
import { codeAssistWire } from './wire/code-assist-wire.js';
import { geminiWire } from './wire/gemini-wire.js';
import { credentialOf, type Incoming, promptOf, readIncoming, resolveRoute } from './wire/incoming.js';
import { oauthWire } from './wire/oauth-wire.js';
import { openaiWire } from './wire/openai-wire.js';
import { applyUsageOverride, PromptCache } from './wire/prompt.js';
import type { Answer, Operation, Route, UpstreamProtocol, Wire, WireContext } from './wire/reply.js';
import { splitText } from './wire/reply.js';
import { dropConnection, untilAborted, writeJson, writeReply } from './wire/responder.js';

/** One request to a known endpoint, as the `answer` function sees it. */
export interface UpstreamRequest {
  /** Arrival time from the server's clock (epoch ms). */
  time: number;
  method: string;
  /** Path with query string, e.g. `/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /**
   * The credential it carried: `Authorization: Bearer`, `x-api-key`, `x-goog-api-key`, then
   * `?key=`; at the OAuth token endpoint the refresh token (or authorization code), at the
   * authorization endpoint the `client_id`. Null when there is none.
   */
  key: string | null;
  /** Parsed JSON, form fields as an object, raw text, or null when empty. */
  body: unknown;
  /** The body exactly as received (UTF-8), '' when empty. */
  rawBody: string;
  protocol: UpstreamProtocol;
  /** What the endpoint does: `generate`, `count-tokens`, `list-models`, `token`, … */
  operation: Operation;
}

export interface UpstreamServerOptions {
  /** Chooses the behaviour that answers one request; called once per request, in arrival order. */
  answer(request: UpstreamRequest): Behaviour;
  /** Arrival times, `created` fields and reset timestamps in headers. Default: the system clock. */
  clock?: Clock;
  /** Port on 127.0.0.1; default 0 (an ephemeral port). */
  port?: number;
}

/** The server's connections right now, as the server sees them. */
export interface UpstreamConnections {
  /** Sockets open to the server (idle keep-alive ones included). */
  open: number;
  /** Requests whose answer is still being written: a slow, hanging or streaming answer in progress. */
  busy: number;
  /** Requests whose client closed the connection before the answer was complete, since the start or `reset()`. */
  abandoned: number;
}

/** A running simulated upstream. */
export interface UpstreamServer {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Open sockets, answers in progress and answers the client gave up on (see `UpstreamConnections`). */
  connections(): UpstreamConnections;
  /** Forgets the per-key call counts, the simulated prompt cache and the count of abandoned answers. */
  reset(): void;
  /** Stops the server, cancels pending delays and destroys open connections. */
  close(): Promise<void>;
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

class SimulatedUpstreamServer implements UpstreamServer {
  url = '';
  private readonly cache = new PromptCache();
  private readonly calls = new Map<string | null, number>();
  private readonly closing = new AbortController();
  private sequence = 0;
  private openSockets = 0;
  private busy = 0;
  private abandoned = 0;

  constructor(
    private readonly server: Server,
    private readonly options: UpstreamServerOptions & { clock: Clock },
  ) {}

  connections(): UpstreamConnections {
    return { open: this.openSockets, busy: this.busy, abandoned: this.abandoned };
  }

  reset(): void {
    this.cache.clear();
    this.calls.clear();
    this.abandoned = 0;
  }

  /** Counts a socket from its connection to its close. */
  track(socket: Socket): void {
    this.openSockets++;
    socket.once('close', () => this.openSockets--);
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
    let dropsByDesign = false;
    this.busy++;
    response.on('close', () => {
      this.busy--;
      // Closed before the answer was complete, and not by a fault this server acted out itself.
      if (!response.writableFinished && !dropsByDesign && !this.closing.signal.aborted) this.abandoned++;
      gone.abort();
    });
    const signal = AbortSignal.any([this.closing.signal, gone.signal]);
    try {
      const incoming = await readIncoming(request);
      const route = resolveRoute(incoming);
      if (route === null) {
        const message = `mock-upstream: no endpoint for ${incoming.method} ${incoming.pathname}`;
        await writeJson(
          { kind: 'json', status: 404, headers: {}, body: { error: { message } } },
          { response, signal },
        );
        return;
      }
      const key = credentialOf(incoming, route);
      const behaviour = this.options.answer(this.describe({ incoming, route, key }));
      dropsByDesign = behaviour.type === 'drop-before-first-byte' || behaviour.type === 'drop-mid-stream';
      const context = this.contextFor({ incoming, route, key, behaviour });
      await this.perform(behaviour, { route, context, response, signal });
    } catch (error) {
      dropsByDesign = true;
      if (response.headersSent) dropConnection(response);
      else
        response
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`mock-upstream failed: ${String(error)}`);
    } finally {
      // An answer cut short because the client went away: close its half-open connection too.
      if (!response.writableEnded) response.destroy();
    }
  }

  private describe(options: { incoming: Incoming; route: Route; key: string | null }): UpstreamRequest {
    const { incoming, route, key } = options;
    const { method, path, headers, body, rawBody } = incoming;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    const time = this.options.clock.now();
    const { protocol, operation } = route;
    return { time, method, path, headers, key, body, rawBody, protocol, operation };
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
      path: incoming.pathname,
      query: incoming.query,
      prompt,
      key,
      callNumber: this.calls.get(key) ?? 1,
      sequence,
      now: this.options.clock.now(),
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
      thinking: behaviour.thinking ?? '',
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
      case 'ok': {
        const rejection =
          behaviour.verifySignatures && route.operation === 'generate'
            ? wire.rejectReasoning?.(context)
            : null;
        if (rejection) return writeJson(rejection, { response, signal });
        return writeReply(wire.ok(context), {
          response,
          signal,
          firstByteDelayMs: behaviour.firstByteDelayMs,
          chunkDelayMs: behaviour.chunkDelayMs,
        });
      }
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
      case 'end-early':
        return writeReply(wire.ok(context), {
          response,
          signal,
          fault: { type: 'end-early', afterChunks: behaviour.afterChunks },
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

/** Starts a simulated upstream on 127.0.0.1 (ephemeral port unless `port` is given). Close it when done. */
export async function startUpstreamServer(options: UpstreamServerOptions): Promise<UpstreamServer> {
  const server = createServer();
  const upstream = new SimulatedUpstreamServer(server, { ...options, clock: options.clock ?? systemClock });
  server.on('connection', (socket: Socket) => upstream.track(socket));
  server.on('request', (request, response) => void upstream.handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  upstream.url = `http://127.0.0.1:${port}`;
  return upstream;
}

import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { BodyBudget, type BodyLease } from './body-budget.js';
import { MemoryReclaimer } from './memory-reclaimer.js';

/** How often Node checks connections against `headersTimeout` and `requestTimeout`, ms. */
export const CONNECTION_CHECK_INTERVAL_MS = 1000;

/** What the server tracks about one request's body. */
interface BodyState {
  lease: BodyLease | null;
  /** The response is over (sent, or the client left): a lease acquired later is given back at once. */
  closed: boolean;
  /** The request's reply; null for a body no `onRequest` hook saw (then no state is kept either). */
  reply: FastifyReply | null;
}

/**
 * The answer will carry `Connection: close`: the rest of an unread body is not worth reading. Set
 * on the reply at once (the error handler keeps the header) rather than by an `onSend` hook, which
 * Fastify would run for every answer.
 */
function closeConnection(state: BodyState): void {
  state.reply?.header('connection', 'close');
}

declare module 'fastify' {
  interface FastifyRequest {
    bodyState: BodyState | null;
  }
}

export interface RequestBodiesOptions {
  config: {
    get(): Readonly<SwitchyardConfig>;
    subscribe(listener: (event: { current: Readonly<SwitchyardConfig> }) => void): () => void;
  };
  clock: Clock;
  /** Full garbage collection after a burst of large bodies (see `MemoryReclaimer`); V8's by default. */
  collect?: () => void;
}

/** Parses a body read in full (one buffer); same contract as a Fastify `parseAs: 'buffer'` parser. */
export type BufferParser = (
  request: FastifyRequest,
  body: Buffer,
  done: (error: Error | null, body?: unknown) => void,
) => void;

export interface RequestBodies {
  /** A Fastify content-type parser that reads the body under the budget and timeout, then calls `parse`. */
  parser(
    parse: BufferParser,
  ): (request: FastifyRequest, payload: Readable, done: Parameters<BufferParser>[2]) => void;
}

/** The error for a body above `proxy.max_body_bytes`. */
export function tooLarge(limit: number): SwitchyardError {
  return new SwitchyardError(
    'payload_too_large',
    `Request body is larger than the limit of ${limit} bytes (proxy.max_body_bytes)`,
  );
}

/**
 * Request bodies under a memory budget and time limits:
 * - the bytes of all bodies being read or held (until their response ends) stay within
 *   `proxy.max_body_bytes_in_flight`; a body that does not fit waits briefly, then gets 503 with
 *   `Retry-After` in the route's error shape (see `BodyBudget`);
 * - a body must arrive within `proxy.body_timeout` seconds once reading starts: 408 in the route's
 *   error shape, and the connection is closed;
 * - the headers must arrive within `proxy.headers_timeout` (Node's `headersTimeout`), and Node's
 *   `requestTimeout` closes any request still incomplete after both, as a backstop;
 * - a body with `Content-Length` is read straight into one buffer of that size: no list of socket
 *   chunks and second copy as Fastify's own reader makes;
 * - after a burst of large bodies, the memory is given back once the gateway is idle (`MemoryReclaimer`).
 */
export function installRequestBodies(app: FastifyInstance, options: RequestBodiesOptions): RequestBodies {
  const { config, clock } = options;
  const reclaimer = new MemoryReclaimer({ clock, inFlight: () => budget.inFlight, collect: options.collect });
  const budget = new BodyBudget({
    clock,
    maxBytes: () => config.get().proxy.max_body_bytes_in_flight,
    waitMs: () => config.get().proxy.body_budget_wait_seconds * 1000,
    onRelease: (bytes) => reclaimer.released(bytes),
  });
  applyServerTimeouts(app, config.get());
  const unsubscribe = config.subscribe((event) => applyServerTimeouts(app, event.current));
  app.addHook('onClose', (_instance, done) => {
    unsubscribe();
    reclaimer.close();
    done();
  });
  app.decorateRequest('bodyState', null);
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    const state: BodyState = { lease: null, closed: false, reply };
    request.bodyState = state;
    reply.raw.once('close', () => {
      state.closed = true;
      state.lease?.release();
    });
    done();
  });
  return {
    parser: (parse) => (request, payload, done) => {
      readBody({ request, payload, budget, config: config.get().proxy, clock }).then(
        (body) => parse(request, body, done),
        (error: Error) => done(error),
      );
    },
  };
}

function applyServerTimeouts(app: FastifyInstance, config: Readonly<SwitchyardConfig>): void {
  const { headers_timeout: headers, body_timeout: body } = config.proxy;
  app.server.headersTimeout = headers * 1000;
  // A backstop behind the body timeout (which answers in the protocol's shape): Node closes whatever
  // is still incomplete a little later, including bodies no parser reads.
  app.server.requestTimeout = (headers + body + 5) * 1000;
}

interface ReadOptions {
  request: FastifyRequest;
  payload: Readable;
  budget: BodyBudget;
  config: Readonly<SwitchyardConfig['proxy']>;
  clock: Clock;
}

/**
 * Reads the body under a lease of the budget. Not `async`: a body that fits the budget now (the
 * common case) is read without waiting on the budget's promise first.
 */
function readBody(options: ReadOptions): Promise<Buffer> {
  const { request, budget, config } = options;
  const state = request.bodyState ?? { lease: null, closed: false, reply: null };
  const declared = declaredLength(request);
  if (declared === 0) return Promise.resolve(Buffer.alloc(0));
  if (declared !== null && declared > config.max_body_bytes) {
    return Promise.reject(tooLarge(config.max_body_bytes));
  }
  const lease = budget.tryAcquire(declared ?? 0);
  if (lease) return receiveUnder(options, { state, lease, declared });
  return budget.acquire(declared ?? 0).then((waited) => {
    if (!waited) {
      closeConnection(state);
      throw serverBusy(config.body_budget_wait_seconds);
    }
    return receiveUnder(options, { state, lease: waited, declared });
  });
}

interface Reading {
  state: BodyState;
  lease: BodyLease;
  declared: number | null;
}

/** Reads the body once it holds its lease (given back at once when the response is already over). */
function receiveUnder(options: ReadOptions, reading: Reading): Promise<Buffer> {
  reading.state.lease = reading.lease;
  if (reading.state.closed) reading.lease.release();
  return receive(options, reading);
}

function declaredLength(request: FastifyRequest): number | null {
  const header = request.headers['content-length'];
  if (header === undefined) return null;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

/**
 * Reads the body: into one buffer of the declared size, or chunk by chunk (growing the lease).
 * `reading` is separate from `options` rather than spread into a copy of it: one object less per request.
 */
function receive(options: ReadOptions, reading: Reading): Promise<Buffer> {
  const { payload, config } = options;
  const { declared, lease, state } = reading;
  const limit = config.max_body_bytes;
  const target = declared === null ? null : Buffer.allocUnsafe(declared);
  const chunks: Buffer[] = [];
  let received = 0;
  return new Promise((resolve, reject) => {
    const fail = (error: SwitchyardError) => {
      cleanUp();
      closeConnection(state);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (target) {
        if (received + chunk.length > target.length) return fail(lengthMismatch());
        chunk.copy(target, received);
      } else {
        if (received + chunk.length > limit) return fail(tooLarge(limit));
        if (!lease.grow(chunk.length)) return fail(serverBusy(config.body_budget_wait_seconds));
        chunks.push(chunk);
      }
      received += chunk.length;
    };
    const onEnd = () => {
      cleanUp();
      if (target && received !== target.length) reject(lengthMismatch());
      else resolve(target ?? Buffer.concat(chunks, received));
    };
    const onError = () => fail(new SwitchyardError('invalid_request', 'The request body could not be read'));
    const onClose = () =>
      fail(new SwitchyardError('invalid_request', 'The client closed the request body early'));
    const cancelTimer = options.clock.after(config.body_timeout * 1000, () =>
      fail(
        new SwitchyardError(
          'request_timeout',
          `The request body did not arrive within ${config.body_timeout} s (proxy.body_timeout)`,
        ),
      ),
    );
    const cleanUp = () => {
      cancelTimer();
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
      payload.off('close', onClose);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.on('close', onClose);
    payload.resume();
  });
}

function lengthMismatch(): SwitchyardError {
  return new SwitchyardError('invalid_request', 'The request body does not match its Content-Length');
}

function serverBusy(waitSeconds: number): SwitchyardError {
  return new SwitchyardError(
    'server_busy',
    'The gateway is reading as many request bodies as its memory budget allows (proxy.max_body_bytes_in_flight); retry in a moment',
    { retryAfterSeconds: Math.max(1, waitSeconds) },
  );
}

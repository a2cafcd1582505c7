import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientKey } from '../core/client-key.js';
import type { ClientProtocol, ErrorDialect, Operation } from '../core/client-protocol.js';
import { SwitchyardError } from '../core/errors.js';
import { toHeaderValue } from '../core/header-value.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import type { Gateway } from '../gateway/gateway.js';
import type { ProxyRequest, ProxyResponse } from '../gateway/proxy-request.js';
import { clientProtocol } from '../protocols/registry.js';
import { extractSessionId } from '../session/index.js';
import { ClientConnection } from './client-connection.js';
import { checkClientIds, checkModelName } from './client-input-limits.js';
import { renderError } from './error-response.js';
import type { RoutePolicy } from './route-policy.js';
import { streamErrorEvent } from './stream-error-event.js';

export function proxyRoute(protocol: ClientProtocol): { config: { policy: RoutePolicy } } {
  return { config: { policy: { dialect: clientProtocol(protocol).errorDialect, auth: 'proxy' } } };
}

export interface ProxyCall {
  protocol: ClientProtocol;
  operation: Operation;
  /** For Gemini the model comes from the URL; otherwise from the body's `model`. */
  model?: string;
  stream?: boolean;
}

/** Why upstream work stops when the client goes away; logged quietly, never as a failure of ours. */
function clientClosed(): SwitchyardError {
  return new SwitchyardError('client_closed_request', 'The client closed the connection before the answer');
}

function requireBody(request: FastifyRequest): JsonObject {
  if (!isJsonObject(request.body)) {
    throw new SwitchyardError('invalid_request', 'Request body must be a JSON object');
  }
  return request.body;
}

/**
 * The gateway's view of a server request: model, stream flag, session id, disconnect signal. A
 * class, so the lazy `signal` and `streamErrorEvent` are methods of its prototype rather than an
 * accessor and a closure defined on every request's object.
 */
class ServedRequest implements ProxyRequest {
  readonly id: string;
  readonly protocol: ClientProtocol;
  readonly operation: Operation;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly clientModel: string;
  readonly stream: boolean;
  readonly body: JsonObject;
  readonly rawBody: Buffer | null;
  readonly headers: FastifyRequest['headers'];
  readonly sessionId: string | null;
  readonly clientKey: ClientKey | null;
  /** The response closing before it finished means the client went away: cancel upstream work. */
  readonly clientGone: ClientConnection;
  private readonly dialect: ErrorDialect;

  constructor(
    request: FastifyRequest,
    reply: FastifyReply,
    call: ProxyCall,
    readonly receivedAt: number,
  ) {
    const body = requireBody(request);
    this.clientModel = checkModelName(call.model ?? body['model']);
    checkClientIds({ headers: request.headers, body });
    this.clientGone = new ClientConnection(reply.raw, clientClosed);
    const { url } = request;
    const mark = url.indexOf('?');
    this.path = mark < 0 ? url : url.slice(0, mark);
    this.query = mark < 0 ? '' : url.slice(mark + 1);
    const descriptor = clientProtocol(call.protocol);
    this.dialect = descriptor.errorDialect;
    this.id = request.id;
    this.protocol = call.protocol;
    this.operation = call.operation;
    this.method = request.method;
    this.stream = call.stream ?? body['stream'] === true;
    this.body = body;
    this.rawBody = request.rawBody;
    this.headers = request.headers;
    this.sessionId = extractSessionId({ rule: descriptor.session, headers: request.headers, body });
    this.clientKey = request.clientKey;
  }

  get signal(): AbortSignal {
    return this.clientGone.signal;
  }

  streamErrorEvent(error: SwitchyardError): string {
    return streamErrorEvent(error, this.dialect);
  }
}

/** Builds the gateway's view of a request: model, stream flag, session id, disconnect signal. */
export function toProxyRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  call: ProxyCall,
  receivedAt: number,
): ProxyRequest {
  return new ServedRequest(request, reply, call, receivedAt);
}

/** Writes the gateway's answer; streams are sent as they arrive, with backpressure. */
export function sendProxyResponse(reply: FastifyReply, response: ProxyResponse): FastifyReply {
  reply.status(response.status).headers(response.headers);
  if (Buffer.isBuffer(response.body)) return reply.send(response.body);
  // Each upstream chunk is written as it arrives (Fastify pipes with backpressure).
  return reply.send(Readable.from(response.body, { objectMode: false }));
}

/** Runs one proxied call; on error the headers that identify the request still go out. */
export async function runProxyCall(options: {
  gateway: Gateway;
  request: FastifyRequest;
  reply: FastifyReply;
  call: ProxyCall;
  now: number;
}): Promise<FastifyReply> {
  const { gateway, request, reply, call } = options;
  const proxyRequest = toProxyRequest(request, reply, call, options.now);
  try {
    return sendProxyResponse(reply, await gateway.handle(proxyRequest));
  } catch (error) {
    // The error handler logs what went wrong; an answer to a client that left would go nowhere.
    if (!(error instanceof SwitchyardError) || error.code === 'client_closed_request') throw error;
    const rendered = renderError(error, clientProtocol(call.protocol).errorDialect);
    return reply
      .status(rendered.status)
      .headers({
        ...rendered.headers,
        'x-mapped-model': toHeaderValue(gateway.mappedModel(proxyRequest.clientModel)),
      })
      .send(rendered.body);
  }
}

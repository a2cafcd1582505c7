import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientProtocol, Operation } from '../core/client-protocol.js';
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

/** Builds the gateway's view of a request: model, stream flag, session id, disconnect signal. */
export function toProxyRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  call: ProxyCall,
  receivedAt: number,
): ProxyRequest {
  const body = requireBody(request);
  const model = checkModelName(call.model ?? body['model']);
  checkClientIds({ headers: request.headers, body });
  // The response closing before it finished means the client went away: cancel upstream work.
  const connection = new ClientConnection(reply.raw, clientClosed);
  const [path, query = ''] = request.url.split('?', 2);
  const descriptor = clientProtocol(call.protocol);
  return {
    id: request.id,
    receivedAt,
    protocol: call.protocol,
    operation: call.operation,
    method: request.method,
    path: path ?? request.url,
    query,
    clientModel: model,
    stream: call.stream ?? body['stream'] === true,
    body,
    rawBody: request.rawBody,
    headers: request.headers,
    sessionId: extractSessionId({ rule: descriptor.session, headers: request.headers, body }),
    clientKey: request.clientKey,
    get signal() {
      return connection.signal;
    },
    clientGone: connection,
    streamErrorEvent: (error) => streamErrorEvent(error, descriptor.errorDialect),
  };
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

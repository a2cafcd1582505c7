import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SwitchyardError } from '../core/errors.js';
import { dialectForPath, renderError, toSwitchyardError } from './error-response.js';

/**
 * Fastify's `frameworkErrors` hook: errors the router raises before any route or hook runs — a
 * malformed percent-encoding (400) and an overlong path parameter (414) — answered in the error
 * shape of the path's protocol instead of Fastify's own.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const rendered = renderError(toSwitchyardError(error), dialectForPath(request.url));
  reply.status(rendered.status).headers(rendered.headers).send(rendered.body);
}

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses before Fastify sees them — a
 * request line too long (414), headers too large (431), a request not received in time (408), or
 * bytes that are not HTTP (400) — answered in the error shape of the path in the request line when
 * there is one, then the connection is closed.
 */
export function answerClientError(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node hands over the bytes read so far as a Buffer (typed otherwise by Fastify).
  const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined;
  const requestLine = packet?.toString('latin1').split('\r\n', 2);
  const path = requestLine?.[0]?.split(' ')[1] ?? '/';
  const failure = describeClientError(error.code, requestLine !== undefined && requestLine.length < 2);
  const rendered = renderError(failure, dialectForPath(path));
  const body = JSON.stringify(rendered.body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status] ?? 'Error'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function describeClientError(code: string | undefined, requestLineCut: boolean): SwitchyardError {
  if (code === 'HPE_HEADER_OVERFLOW' && requestLineCut) {
    return new SwitchyardError('uri_too_long', 'The URL is too long');
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new SwitchyardError('headers_too_large', 'The request headers are too large');
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new SwitchyardError('request_timeout', 'The request was not received in time');
  }
  return new SwitchyardError('invalid_request', 'The request is not valid HTTP');
}

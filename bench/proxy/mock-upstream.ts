import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../../src/core/clock.js';
import {
  ANTHROPIC_ANSWER,
  ANTHROPIC_STREAM,
  OPENAI_ANSWER,
  OPENAI_STREAM,
  type StreamSample,
} from './wire-samples.js';

export interface MockUpstreamOptions {
  clock: Clock;
  /** Pause between a stream's first text delta and the rest of it (default 5 ms). */
  streamPauseMs?: number;
}

/**
 * The fastest upstream worth measuring against: answers `POST …/chat/completions` (OpenAI) and
 * `POST …/messages` (Anthropic) with one fixed small answer, or a short SSE stream when the body
 * asks for `stream: true`, whatever the credential, model or prompt. Everything else is a 404.
 */
export function createMockUpstream(options: MockUpstreamOptions): Server {
  const pauseMs = options.streamPauseMs ?? 5;
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer({ request, response, body: Buffer.concat(chunks) }));
  });

  function answer(exchange: { request: IncomingMessage; response: ServerResponse; body: Buffer }): void {
    const { request, response } = exchange;
    const path = (request.url ?? '').split('?')[0] ?? '';
    const protocol = path.endsWith('/chat/completions')
      ? 'openai'
      : path.endsWith('/messages')
        ? 'anthropic'
        : null;
    if (request.method !== 'POST' || protocol === null) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    let stream: boolean;
    try {
      stream = (JSON.parse(exchange.body.toString('utf8')) as { stream?: unknown }).stream === true;
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid json"}');
      return;
    }
    if (stream) {
      writeStream(response, protocol === 'openai' ? OPENAI_STREAM : ANTHROPIC_STREAM);
      return;
    }
    const body = protocol === 'openai' ? OPENAI_ANSWER : ANTHROPIC_ANSWER;
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    response.end(body);
  }

  function writeStream(response: ServerResponse, sample: StreamSample): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write(sample.head);
    options.clock.after(pauseMs, () => response.end(sample.tail));
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Dispatcher, Pool } from 'undici';

/**
 * The bare proxy of `bare-proxy.ts` without streams on either side: the request body read from its
 * `data` events, the upstream called with undici's `dispatch` and a plain handler (no response body
 * stream), the answer collected and sent in one write with its length. What the stream layers cost
 * a proxy that needs the whole answer anyway.
 */
export function createBareDispatchProxy(upstreamOrigin: string): Server {
  const pool = new Pool(upstreamOrigin, { connections: 128 });
  const server = createServer((request, response) => {
    readWhole(request, (incoming) => {
      let body: string;
      try {
        body = JSON.stringify(JSON.parse(incoming.toString('utf8')));
      } catch (error) {
        response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      const options: Dispatcher.DispatchOptions = {
        method: 'POST',
        path: request.url ?? '/',
        headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' },
        body,
      };
      pool.dispatch(options, new AnswerCollector(response));
    });
  });
  server.on('close', () => void pool.close());
  return server;
}

function readWhole(request: IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
}

/** Collects the upstream's answer and relays it whole (undici's handler callbacks). */
class AnswerCollector implements Dispatcher.DispatchHandler {
  private status = 502;
  private contentType = 'application/json';
  private readonly chunks: Buffer[] = [];

  constructor(private readonly response: ServerResponse) {}

  onConnect(): void {}

  onHeaders(status: number, headers: Buffer[]): boolean {
    this.status = status;
    for (let index = 0; index < headers.length; index += 2) {
      if (headers[index]?.toString('latin1').toLowerCase() === 'content-type') {
        this.contentType = headers[index + 1]?.toString('latin1') ?? this.contentType;
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const answer = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.response.writeHead(this.status, {
      'content-type': this.contentType,
      'content-length': answer.length,
    });
    this.response.end(answer);
  }

  onError(error: Error): void {
    if (this.response.headersSent) this.response.destroy();
    else this.response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
  }
}

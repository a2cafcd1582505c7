import { createServer, type Server } from 'node:http';
import { Pool } from 'undici';

/**
 * The practical ceiling for a Node proxy: parse the JSON body, serialize it again, forward it with
 * an undici Pool and relay the answer. No auth, scheduling, logging or error mapping.
 */
export function createBareProxy(upstreamOrigin: string): Server {
  const pool = new Pool(upstreamOrigin, { connections: 128 });
  const server = createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      const upstream = await pool.request({
        method: 'POST',
        path: request.url ?? '/',
        headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' },
        body,
      });
      const type = upstream.headers['content-type'];
      response.writeHead(upstream.statusCode, typeof type === 'string' ? { 'content-type': type } : {});
      for await (const chunk of upstream.body) response.write(chunk);
      response.end();
    } catch (error) {
      if (response.headersSent) response.destroy();
      else response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  server.on('close', () => void pool.close());
  return server;
}

import Fastify, { type FastifyInstance } from 'fastify';
import { Pool } from 'undici';

/**
 * The bare proxy of `bare-proxy.ts` written on Fastify instead of node:http: one route, the body
 * read as a Buffer, parsed and serialized again, forwarded with an undici Pool, the answer read
 * whole and sent. What Fastify itself adds to a proxy, with none of Switchyard's work.
 */
export function createBareFastifyProxy(upstreamOrigin: string): FastifyInstance {
  const pool = new Pool(upstreamOrigin, { connections: 128 });
  const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/*', async (request, reply) => {
    try {
      const body = JSON.stringify(JSON.parse((request.body as Buffer).toString('utf8')));
      const upstream = await pool.request({
        method: 'POST',
        path: request.url,
        headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' },
        body,
      });
      const answer = Buffer.from(await upstream.body.arrayBuffer());
      const type = upstream.headers['content-type'];
      reply.code(upstream.statusCode);
      if (typeof type === 'string') reply.header('content-type', type);
      return answer;
    } catch (error) {
      return reply.code(502).type('text/plain').send(String(error));
    }
  });
  app.addHook('onClose', async () => {
    await pool.close();
  });
  return app;
}

/**
 * Child-process entry for the benchmark's own servers, so each runs alone in its process:
 * `node dist/bench/proxy/serve.js mock`, `node dist/bench/proxy/serve.js bare-proxy <upstream origin>`,
 * `node dist/bench/proxy/serve.js bare-fastify-proxy <upstream origin>` or
 * `node dist/bench/proxy/serve.js bare-dispatch-proxy <upstream origin>`.
 * Listens on 127.0.0.1 with an ephemeral port, prints `listening on http://127.0.0.1:<port>` and
 * stops on SIGTERM or SIGINT.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/core/clock.js';
import { createBareDispatchProxy } from './bare-dispatch-proxy.js';
import { createBareFastifyProxy } from './bare-fastify-proxy.js';
import { createBareProxy } from './bare-proxy.js';
import { createMockUpstream } from './mock-upstream.js';

const USAGE =
  'usage: serve.js mock | serve.js bare-proxy|bare-fastify-proxy|bare-dispatch-proxy <upstream origin>';

/** The server and how to stop it. */
interface Served {
  server: Server;
  close(done: () => void): void;
}

async function build(kind: string | undefined, upstream: string | undefined): Promise<Served> {
  const plain: Record<string, () => Server> = {
    mock: () => createMockUpstream({ clock: systemClock }),
    'bare-proxy': () => createBareProxy(upstream ?? ''),
    'bare-dispatch-proxy': () => createBareDispatchProxy(upstream ?? ''),
  };
  const create = kind === undefined ? undefined : plain[kind];
  if (create && (kind === 'mock' || upstream)) {
    const server = create();
    server.keepAliveTimeout = 60_000;
    return { server, close: (done) => server.close(() => done()) };
  }
  if (kind === 'bare-fastify-proxy' && upstream) {
    const app = createBareFastifyProxy(upstream);
    await app.ready();
    return { server: app.server, close: (done) => void app.close().then(done, done) };
  }
  throw new Error(USAGE);
}

const served = await build(process.argv[2], process.argv[3]);
served.server.listen(0, '127.0.0.1', () => {
  const { port } = served.server.address() as AddressInfo;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    served.close(() => process.exit(0));
    served.server.closeAllConnections();
  });
}

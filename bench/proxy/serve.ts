/**
 * Child-process entry for the benchmark's own servers, so each runs alone in its process:
 * `node dist/bench/proxy/serve.js mock` or `node dist/bench/proxy/serve.js bare-proxy <upstream origin>`.
 * Listens on 127.0.0.1 with an ephemeral port, prints `listening on http://127.0.0.1:<port>` and
 * stops on SIGTERM or SIGINT.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/core/clock.js';
import { createBareProxy } from './bare-proxy.js';
import { createMockUpstream } from './mock-upstream.js';

function build(kind: string | undefined, upstream: string | undefined): Server {
  if (kind === 'mock') return createMockUpstream({ clock: systemClock });
  if (kind === 'bare-proxy' && upstream) return createBareProxy(upstream);
  throw new Error('usage: serve.js mock | serve.js bare-proxy <upstream origin>');
}

const server = build(process.argv[2], process.argv[3]);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

/**
 * Minimal forward proxies for tests of `proxy.upstream_proxy`: a SOCKS5 server (RFC 1928, no
 * authentication, CONNECT only) and an HTTP CONNECT proxy. Both listen on 127.0.0.1 (ephemeral
 * port), record every target they were asked for as `host:port` — the host exactly as the client
 * sent it, so a test can tell a name resolved by the proxy from an address resolved by the client —
 * and map host names through `hosts` before dialling (a name missing there is dialled as is).
 */
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export interface ForwardProxy {
  /** e.g. `socks5://127.0.0.1:40123` or `http://127.0.0.1:40123`. */
  readonly url: string;
  /** `host:port` of every tunnel requested, in order. */
  readonly targets: string[];
  close(): Promise<void>;
}

export interface ForwardProxyOptions {
  /** Host name → address to dial instead (the proxy's own "DNS"). */
  hosts?: Record<string, string>;
}

/** Connects to `host:port` (mapped through `hosts`) for `client`; null (and `client` closed) when that fails. */
function tunnel(options: { client: Socket; host: string; port: number; hosts: Record<string, string> }) {
  return new Promise<Socket | null>((resolve) => {
    const upstream = connect(options.port, options.hosts[options.host] ?? options.host);
    upstream.once('connect', () => resolve(upstream));
    upstream.once('error', () => {
      resolve(null);
      options.client.destroy();
    });
    options.client.once('error', () => upstream.destroy());
    options.client.once('close', () => upstream.destroy());
  });
}

function trackSockets(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** The target of a SOCKS5 CONNECT request in `buffer`, or null while it is incomplete. */
function parseSocksRequest(buffer: Buffer): { host: string; port: number; length: number } | null {
  if (buffer.length < 5) return null;
  const type = buffer[3];
  let host: string;
  let offset: number;
  if (type === 0x01) {
    if (buffer.length < 10) return null;
    host = [...buffer.subarray(4, 8)].join('.');
    offset = 8;
  } else if (type === 0x03) {
    const size = buffer[4] ?? 0;
    if (buffer.length < 5 + size + 2) return null;
    host = buffer.subarray(5, 5 + size).toString('utf8');
    offset = 5 + size;
  } else {
    throw new Error(`address type ${type} is not supported by the test proxy`);
  }
  return { host, port: buffer.readUInt16BE(offset), length: offset + 2 };
}

/** A SOCKS5 proxy without authentication. */
export async function startSocks5Proxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const targets: string[] = [];
  const server = createServer((client) => {
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'request' | 'open' = 'greeting';
    client.on('data', async (chunk: Buffer) => {
      if (stage === 'open') return;
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'greeting') {
        if (buffer.length < 2 || buffer.length < 2 + (buffer[1] ?? 0)) return;
        buffer = buffer.subarray(2 + (buffer[1] ?? 0));
        stage = 'request';
        client.write(Buffer.from([0x05, 0x00]));
      }
      const request = parseSocksRequest(buffer);
      if (!request) return;
      stage = 'open';
      client.pause();
      targets.push(`${request.host}:${request.port}`);
      const upstream = await tunnel({ client, ...request, hosts: options.hosts ?? {} });
      if (!upstream) return;
      client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
      const rest = buffer.subarray(request.length);
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  });
  const close = trackSockets(server);
  const port = await listen(server);
  return { url: `socks5://127.0.0.1:${port}`, targets, close };
}

/** An HTTP proxy that answers CONNECT (the only way undici uses an HTTP proxy by default). */
export async function startConnectProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const targets: string[] = [];
  const server = createHttpServer((_request, response) => response.writeHead(405).end());
  server.on('connect', async (request, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    targets.push(target);
    const separator = target.lastIndexOf(':');
    const host = target.slice(0, separator);
    const upstream = await tunnel({
      client,
      host,
      port: Number(target.slice(separator + 1)),
      hosts: options.hosts ?? {},
    });
    if (!upstream) return;
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream).pipe(client);
  });
  const close = trackSockets(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, targets, close };
}

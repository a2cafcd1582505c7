import { createReadStream, existsSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePolicy } from './route-policy.js';

/** Where the web UI is served from. */
export interface StaticUiOptions {
  /** The built UI (`vite build` output, normally `<package>/dist/ui`), holding `index.html` and `assets/`. */
  root: string;
}

/** Paths that belong to the gateway itself: never answered with the UI, whatever the method. */
const RESERVED_PREFIXES = ['/api', '/v1', '/v1beta', '/healthz', '/health', '/metrics'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** Vite names every file under `assets/` by its content hash, so a URL never changes meaning. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchyard</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>Switchyard is running</h1>
<p>The web UI has not been built yet. Run <code>npm run build</code> in the Switchyard directory
(it builds the UI into <code>dist/ui</code>), then reload this page.</p>
<p>The proxy and the admin API under <code>/api</code> work without it.</p>
</body></html>
`;

const publicRoute = { config: { policy: { dialect: 'admin', auth: 'public' } satisfies RoutePolicy } };

/**
 * The built UI inside the package: `dist/ui` next to the nearest `package.json` above this module,
 * which is the same directory whether the gateway runs from `src/` (tests) or `dist/src/` (built).
 */
export function defaultUiRoot(moduleUrl: string = import.meta.url): string {
  let directory = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`No package.json above ${fileURLToPath(moduleUrl)}`);
    directory = parent;
  }
  return join(directory, 'dist', 'ui');
}

/**
 * Serves the web UI: files under `/assets/` (cached for a year: their names carry a content hash),
 * other files of the root (revalidated), and `index.html` for `/` and every other GET that is not a
 * gateway path (`/api`, `/v1`, `/v1beta`, `/healthz`, `/health`, `/metrics`), so client-side routes
 * survive a reload. No authentication: the UI holds no data; it signs in to the admin API itself.
 * When the UI is not built, those pages say how to build it. A path can never leave `root`.
 */
export async function registerStaticUi(app: FastifyInstance, options: StaticUiOptions): Promise<void> {
  const root = resolve(options.root);
  app.get('/', publicRoute, (_request, reply) => sendIndex(reply, root));
  app.get('/*', publicRoute, (request, reply) => serve({ request, reply, root }));
}

async function serve(options: { request: FastifyRequest; reply: FastifyReply; root: string }) {
  const { request, reply, root } = options;
  const path = decodePath(request.url);
  if (path === null) return reply.callNotFound();
  if (RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)))
    return reply.callNotFound();
  const file = insideRoot(root, path);
  if (file === null) return reply.callNotFound();
  const found = await regularFile(file);
  if (found !== null) {
    const immutable = path.startsWith('/assets/');
    return sendFile({ reply, file, stats: found, cacheControl: immutable ? IMMUTABLE : REVALIDATE });
  }
  // A missing asset is a stale or mistyped URL: answering with the HTML page would break the loader.
  if (path.startsWith('/assets/') || extname(path) !== '') return reply.callNotFound();
  return sendIndex(reply, root);
}

async function sendIndex(reply: FastifyReply, root: string) {
  const file = join(root, 'index.html');
  const found = await regularFile(file);
  if (found === null) {
    return reply
      .status(200)
      .header('content-type', CONTENT_TYPES['.html'])
      .header('cache-control', REVALIDATE)
      .send(NOT_BUILT_PAGE);
  }
  return sendFile({ reply, file, stats: found, cacheControl: REVALIDATE });
}

function sendFile(options: { reply: FastifyReply; file: string; stats: Stats; cacheControl: string }) {
  const { reply, file, stats, cacheControl } = options;
  return reply
    .status(200)
    .header('content-type', CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
    .header('content-length', stats.size)
    .header('cache-control', cacheControl)
    .header('last-modified', stats.mtime.toUTCString())
    .header('x-content-type-options', 'nosniff')
    .send(createReadStream(file));
}

/**
 * The URL's decoded path, or null when it cannot be decoded (overlong or broken UTF-8) or holds a
 * NUL, a backslash or a `%` (still encoded after one decoding: a double-encoded `%252e%252e` is
 * refused, so no later decoding step can turn it into `..`).
 */
function decodePath(url: string): string | null {
  const raw = url.split(/[?#]/, 1)[0] ?? '/';
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return /[\0\\%]/.test(path) ? null : path;
}

/** The file for `path` under `root`, or null when the path would lead outside it (`..`, dot files). */
function insideRoot(root: string, path: string): string | null {
  if (path.split('/').some((segment) => segment.startsWith('.'))) return null;
  const file = resolve(root, `.${path}`);
  return file.startsWith(`${root}${sep}`) ? file : null;
}

async function regularFile(file: string): Promise<Stats | null> {
  try {
    const found = await stat(file);
    return found.isFile() ? found : null;
  } catch {
    return null;
  }
}

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../core/errors.js';
import { renderError } from './error-response.js';
import { defaultUiRoot, registerStaticUi } from './static-ui.js';

const INDEX = '<!doctype html><title>Switchyard UI</title><div id="root"></div>';
const SCRIPT = 'console.log("app");';

let workDir: string;
let root: string;
let app: FastifyInstance;

/** A bare app with the gateway's not-found rendering, a few gateway routes, and the UI. */
async function buildApp(uiRoot: string): Promise<FastifyInstance> {
  const instance = Fastify({ logger: false });
  instance.setNotFoundHandler((request, reply) => {
    const rendered = renderError(new SwitchyardError('not_found', 'No route'), 'admin');
    return reply.status(404).send({ ...rendered.body, path: request.url });
  });
  instance.get('/api/accounts', async () => ({ accounts: [] }));
  instance.get('/v1/models', async () => ({ data: [] }));
  instance.get('/healthz', async () => ({ status: 'ok' }));
  await registerStaticUi(instance, { root: uiRoot });
  return instance;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'switchyard-static-'));
  root = join(workDir, 'ui');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), INDEX);
  await writeFile(join(root, 'assets', 'index-3f9a1c.js'), SCRIPT);
  await writeFile(join(root, 'assets', 'index-77aa00.css'), 'body{}');
  await writeFile(join(root, 'assets', 'font-1234.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(root, '.env'), 'SECRET=1');
  await writeFile(join(workDir, 'secret.txt'), 'outside the root');
  await writeFile(join(workDir, 'ui-secret.txt'), 'next to the root');
  app = await buildApp(root);
});

afterAll(async () => {
  await app.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('registerStaticUi', () => {
  it.each(['/', '/accounts', '/proxy', '/monitor/', '/settings?tab=logging', '/some/deep/client/route'])(
    'answers %s with index.html, revalidated on every load',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(INDEX);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
    },
  );

  it.each([
    { url: '/assets/index-3f9a1c.js', type: 'text/javascript; charset=utf-8', body: SCRIPT },
    { url: '/assets/index-77aa00.css', type: 'text/css; charset=utf-8', body: 'body{}' },
    { url: '/assets/font-1234.woff2', type: 'font/woff2', body: 'wOF2' },
  ])('serves $url as $type, cached for a year as immutable', async ({ url, type, body }) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toBe(body);
  });

  it('serves other files of the root with their type, revalidated', async () => {
    const response = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('answers HEAD like GET without a body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/assets/index-3f9a1c.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.body).toBe('');
  });

  it.each(['/assets/index-000000.js', '/assets/missing', '/robots.txt'])(
    'answers 404 for the missing file %s instead of the HTML page',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('Switchyard UI');
    },
  );

  it.each([
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%2fui-secret.txt',
    '/..%5csecret.txt',
    '/.env',
    '/assets/%2e%2e/.env',
    '/index.html%00.js',
    '/%E0%A4%A',
    // Upper-case and mixed escapes, double encoding, overlong UTF-8, encoded backslashes and NULs.
    '/%2E%2E/secret.txt',
    '/.%2e/secret.txt',
    '/assets/%2E./%2e%2E/secret.txt',
    '/%252e%252e/secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/assets/%252e%252e%252f%252e%252e%252fsecret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/%c0%ae%c0%ae%c0%afsecret.txt',
    '/%e0%80%ae%e0%80%ae/secret.txt',
    '/..%255csecret.txt',
    '/..%5c..%5csecret.txt',
    '/%2e%2e%5csecret.txt',
    '/index.html%2500',
    '/%uff0e%uff0e/secret.txt',
    '/\uff0e\uff0e/secret.txt',
    '/assets/..;/..;/secret.txt',
    '//..//secret.txt',
    '/assets/./../../secret.txt',
  ])('never serves a file outside the root or a dot file: %s', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.body).not.toContain('outside the root');
    expect(response.body).not.toContain('next to the root');
    expect(response.body).not.toContain('SECRET');
    // Fastify itself rejects a URL it cannot decode (400); everything else is not found.
    expect([400, 404]).toContain(response.statusCode);
  });

  it.each(['/api/unknown', '/api', '/v1/unknown', '/v1beta/models', '/metrics', '/healthz/extra'])(
    'leaves the gateway path %s to the gateway (404 in its own shape, not the UI)',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' }, path: url });
    },
  );

  it('does not shadow gateway routes', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/accounts' })).json()).toEqual({ accounts: [] });
    expect((await app.inject({ method: 'GET', url: '/v1/models' })).json()).toEqual({ data: [] });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('answers only GET and HEAD: other methods on UI paths are 404', async () => {
    const response = await app.inject({ method: 'POST', url: '/accounts', payload: {} });
    expect(response.statusCode).toBe(404);
  });

  it('explains how to build the UI when it has not been built, and serves it once it is', async () => {
    const later = join(workDir, 'not-yet-built');
    const unbuilt = await buildApp(later);
    try {
      for (const url of ['/', '/monitor']) {
        const response = await unbuilt.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(response.body).toContain('npm run build');
      }
      await mkdir(later, { recursive: true });
      await writeFile(join(later, 'index.html'), INDEX);
      expect((await unbuilt.inject({ method: 'GET', url: '/' })).body).toBe(INDEX);
    } finally {
      await unbuilt.close();
    }
  });
});

describe('defaultUiRoot', () => {
  it('finds dist/ui next to the package.json above the module, from src/ or dist/src/', async () => {
    const packageDir = join(workDir, 'package');
    await mkdir(join(packageDir, 'dist', 'src', 'server'), { recursive: true });
    await mkdir(join(packageDir, 'src', 'server'), { recursive: true });
    await writeFile(join(packageDir, 'package.json'), '{}');
    for (const module of ['src/server/static-ui.ts', 'dist/src/server/static-ui.js']) {
      const url = pathToFileURL(join(packageDir, module)).href;
      expect(defaultUiRoot(url)).toBe(join(packageDir, 'dist', 'ui'));
    }
  });
});

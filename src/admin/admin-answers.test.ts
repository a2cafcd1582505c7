import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ADMIN_ANSWERS, adminRouteOf } from './admin-answers.js';
import { type AdminDependencies, adminRoutes } from './register-admin-routes.js';

/** Every `/api` route the admin registrars add (every optional part present), as `METHOD /path`. */
async function registeredAdminRoutes(): Promise<string[]> {
  const app = Fastify();
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD' && route.url.startsWith('/api')) routes.push(`${method} ${route.url}`);
    }
  });
  // Registering only stores the handlers: the dependencies are read when a request comes.
  const deps = { keys: {}, accountServices: {}, logs: {} } as unknown as AdminDependencies;
  await app.register(adminRoutes, deps);
  await app.ready();
  await app.close();
  return routes;
}

describe('ADMIN_ANSWERS', () => {
  it('lists the answer of every registered admin route, and no route that is not registered', async () => {
    const registered = await registeredAdminRoutes();
    // `/api/health` is registered by the app itself, beside the admin routes.
    const listed = Object.keys(ADMIN_ANSWERS).filter((route) => route !== 'GET /api/health');
    expect(registered.length).toBeGreaterThan(30);
    expect([...registered].sort()).toEqual([...listed].sort());
  });
});

describe('adminRouteOf', () => {
  it.each([
    { method: 'GET', url: '/api/accounts/acc_1', route: 'GET /api/accounts/:id' },
    { method: 'post', url: '/api/accounts/export', route: 'POST /api/accounts/export' },
    { method: 'GET', url: '/api/accounts/oauth/abc', route: 'GET /api/accounts/oauth/:state' },
    { method: 'GET', url: '/api/logs/stream?token=x', route: 'GET /api/logs/stream' },
    { method: 'GET', url: '/api/logs/req_1', route: 'GET /api/logs/:id' },
    { method: 'GET', url: '/api/usage?by=model', route: 'GET /api/usage' },
    { method: 'PUT', url: '/api/accounts', route: null },
  ])('$method $url is $route', ({ method, url, route }) => {
    expect(adminRouteOf(method, url)).toBe(route);
  });
});

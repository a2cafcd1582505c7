import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type AdminDependencies, adminRoutes } from '../admin/register-admin-routes.js';
import type { ClientKey } from '../core/client-key.js';
import type { ErrorDialect } from '../core/client-protocol.js';
import { SwitchyardError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { registerAdminOriginGuard } from './admin-origin-guard.js';
import type { AppDependencies } from './app-dependencies.js';
import { identifyProxyCaller } from './auth.js';
import { registerCorsPreflight } from './cors-preflight.js';
import { dialectForPath, renderError, toSwitchyardError } from './error-response.js';
import { answerClientError, answerFrameworkError } from './framework-errors.js';
import { registerHostGuard } from './host-guard.js';
import { jsonDepthError } from './json-depth.js';
import { registerMetricsRoute } from './metrics-route.js';
import { registerProxyRoutes } from './register-proxy-routes.js';
import { CONNECTION_CHECK_INTERVAL_MS, installRequestBodies, tooLarge } from './request-bodies.js';
import { checkAdminAuth, declaredPolicy, effectiveAuthMode, type RoutePolicy } from './route-policy.js';
import { defaultUiRoot, registerStaticUi } from './static-ui.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received (JSON routes), for byte-for-byte pass-through. */
    rawBody: Buffer | null;
    /** The client key a proxy route request was made with; null for the owner's key or no key. */
    clientKey: ClientKey | null;
  }
}

/** Fastify's own ceiling; the configured `proxy.max_body_bytes` is enforced below it, hot. */
const HARD_BODY_LIMIT = 1024 * 1024 * 1024;

/** The policy of a route that declares none, by the dialect of its path: one object per dialect. */
const PATH_POLICIES: Readonly<Record<ErrorDialect, RoutePolicy>> = {
  openai: { dialect: 'openai', auth: 'proxy' },
  anthropic: { dialect: 'anthropic', auth: 'proxy' },
  gemini: { dialect: 'gemini', auth: 'proxy' },
  admin: { dialect: 'admin', auth: 'admin' },
};

function policyOf(request: FastifyRequest): RoutePolicy {
  return declaredPolicy(request) ?? PATH_POLICIES[dialectForPath(request.url)];
}

/**
 * `X-Request-Id` on every answer of a proxy route (and of unrouted paths outside the admin API),
 * set before anything can refuse the request — bad JSON, a missing key, a body too large — so the
 * errors raised before the gateway runs carry it too. The one place the header is set.
 */
function installRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (policyOf(request).dialect !== 'admin') reply.header('x-request-id', request.id);
    done();
  });
}

function installBodyParsing(app: FastifyInstance, deps: AppDependencies): void {
  const bodies = installRequestBodies(app, { config: deps.config, clock: deps.clock });
  app.decorateRequest('rawBody', null);
  // Hooks take `done` rather than returning promises: one promise less per request and hook.
  app.addHook('onRequest', (request, _reply, done) => {
    const limit = deps.config.get().proxy.max_body_bytes;
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) return done(tooLarge(limit));
    done();
  });
  app.addContentTypeParser(
    'application/json',
    bodies.parser((request, buffer, done) => {
      request.rawBody = buffer;
      if (buffer.length === 0) return done(null, undefined);
      const tooDeep = jsonDepthError(buffer);
      if (tooDeep) return done(tooDeep);
      try {
        done(null, JSON.parse(buffer.toString('utf8')));
      } catch (error) {
        done(
          new SwitchyardError('invalid_json', `Request body is not valid JSON: ${(error as Error).message}`),
        );
      }
    }),
  );
}

function installAuth(app: FastifyInstance, deps: AppDependencies): void {
  app.decorateRequest('clientKey', null);
  app.addHook('preHandler', (request, _reply, done) => {
    const policy = policyOf(request);
    if (policy.auth === 'public') return done();
    const { proxy } = deps.config.get();
    if (policy.auth === 'admin') {
      const outcome = checkAdminAuth({
        adminPassword: proxy.admin_password,
        apiKey: proxy.api_key,
        headers: request.headers,
      });
      return done(outcome.ok ? undefined : new SwitchyardError('unauthorized', outcome.message));
    }
    const caller = identifyProxyCaller({
      mode: effectiveAuthMode(proxy.auth_mode, deps.runtime.boundAddress()?.host ?? '127.0.0.1'),
      apiKey: proxy.api_key,
      path: request.url.split('?')[0] ?? request.url,
      headers: request.headers,
      query: request.query as Record<string, unknown>,
      clientKeys: deps.keys?.store,
      now: deps.clock.now(),
    });
    if (!caller.ok) return done(new SwitchyardError('unauthorized', caller.message));
    request.clientKey = caller.clientKey;
    done();
  });
}

function installErrorHandling(app: FastifyInstance, deps: AppDependencies): void {
  app.setErrorHandler((error, request, reply) => {
    const failure = toSwitchyardError(error);
    // The path only: Gemini clients may send the API key as `?key=`.
    const path = request.url.split('?')[0];
    if (failure.status === 500) deps.logger.error({ err: error, path }, 'request failed');
    if (failure.code === 'client_closed_request') deps.logger.debug({ path }, failure.message);
    const rendered = renderError(failure, policyOf(request).dialect);
    return reply.status(rendered.status).headers(rendered.headers).send(rendered.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const failure = new SwitchyardError(
      'not_found',
      `No route for ${request.method} ${request.url.split('?')[0]}`,
    );
    const rendered = renderError(failure, dialectForPath(request.url));
    return reply.status(rendered.status).send(rendered.body);
  });
}

/** What the admin plugin reads, from the app's dependencies. */
function adminDependencies(deps: AppDependencies): AdminDependencies {
  const { observability } = deps;
  return {
    ...deps,
    logs: {
      store: observability.requestLogStore,
      writer: observability.writer,
      feed: observability.feed,
      storeReads: deps.storeReads,
      clock: deps.clock,
      adminCredentials: () => {
        const { proxy } = deps.config.get();
        return { adminPassword: proxy.admin_password, apiKey: proxy.api_key };
      },
    },
  };
}

/**
 * Builds the gateway's HTTP application without listening, so tests can `inject()` requests.
 * Nothing happens at import time; every dependency comes in through `deps`.
 */
export async function createApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: HARD_BODY_LIMIT,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    genReqId: () => deps.ids.requestId(),
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // Node checks header and request timeouts this often (default 30 s): see request-bodies.ts.
    http: { connectionsCheckingInterval: CONNECTION_CHECK_INTERVAL_MS },
  });
  app.decorateRequest('declaredPolicy', null);
  installRequestIdHeader(app);
  registerHostGuard(app, {
    boundHost: () => deps.runtime.boundAddress()?.host ?? null,
    allowedHosts: () => deps.config.get().proxy.allowed_hosts,
  });
  registerAdminOriginGuard(app);
  installBodyParsing(app, deps);
  installAuth(app, deps);
  installErrorHandling(app, deps);

  // Still `ok` (200) while the store database or the shared state is down: the instance serves
  // requests from memory, so a load balancer keeps it.
  const health = () => ({
    status: 'ok',
    version: VERSION,
    store_degraded: deps.storeHealth?.().degraded ?? false,
    state_degraded: deps.stateHealth?.().degraded ?? false,
  });
  // Health goes through proxy auth: open in `off` and `all_except_health`, guarded in `strict`.
  app.get('/healthz', { config: { policy: { dialect: 'openai', auth: 'proxy' } } }, async () => health());
  app.get('/health', { config: { policy: { dialect: 'openai', auth: 'proxy' } } }, async () => health());
  app.get('/api/health', { config: { policy: { dialect: 'admin', auth: 'public' } } }, async () => health());
  await app.register(adminRoutes, adminDependencies(deps));
  const { observability } = deps;
  registerMetricsRoute(app, { metrics: observability.metrics });
  registerCorsPreflight(app);
  registerProxyRoutes(app, {
    gateway: deps.gateway,
    clock: deps.clock,
    accounts: deps.accounts,
  });
  // Last: the web UI answers every other GET (SPA routes fall back to index.html).
  await registerStaticUi(app, { root: defaultUiRoot() });
  return app;
}

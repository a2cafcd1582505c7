import type { FastifyInstance } from 'fastify';
import { SwitchyardError } from '../core/errors.js';
import { dialectForPath, renderError } from './error-response.js';
import type { RoutePolicy } from './route-policy.js';

const policy: RoutePolicy = { dialect: 'openai', auth: 'public' };

/**
 * Answers every `OPTIONS` request (a browser's CORS preflight) with 405 in the error shape of the
 * path's protocol and no `Access-Control-*` header: Switchyard grants no cross-origin access, so a
 * web page on another origin can neither call its routes with JSON nor read their answers. The web
 * UI is served from the gateway itself and needs no CORS.
 */
export function registerCorsPreflight(app: FastifyInstance): void {
  app.options('/*', { config: { policy } }, async (request, reply) => {
    const refusal = new SwitchyardError(
      'method_not_allowed',
      'Cross-origin requests are not allowed: Switchyard answers no CORS preflight. Call it from a ' +
        'program or from its own web UI.',
    );
    const rendered = renderError(refusal, dialectForPath(request.url));
    return reply.status(rendered.status).send(rendered.body);
  });
}

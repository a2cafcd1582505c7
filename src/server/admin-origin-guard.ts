import type { FastifyInstance } from 'fastify';
import { SwitchyardError } from '../core/errors.js';
import { type HeaderBag, headerValue } from '../core/headers.js';
import { declaredPolicy } from './route-policy.js';

/** Methods that change nothing; everything else on an admin route is state-changing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a state-changing admin request must be refused as possibly coming from a web page on
 * another origin, or null when it may pass. Such a request must
 * - carry no `Origin`, or the gateway's own (`Origin` host and port equal to `Host`): browsers send
 *   `Origin` with every cross-origin POST, PUT, PATCH and DELETE; and
 * - carry `Content-Type: application/json`, `Authorization` or `x-api-key`: none of them can be
 *   set by a "simple" cross-origin request, so a page would need a CORS preflight, which
 *   Switchyard never grants.
 */
export function crossOriginRefusal(headers: HeaderBag): string | null {
  const origin = headerValue(headers, 'origin');
  if (origin !== undefined && !isOwnOrigin(origin, headerValue(headers, 'host'))) {
    return `Admin requests from another origin (${origin.slice(0, 100)}) are refused`;
  }
  const contentType = headerValue(headers, 'content-type')?.toLowerCase() ?? '';
  const json = contentType.split(';')[0]?.trim() === 'application/json';
  if (json || headerValue(headers, 'authorization') || headerValue(headers, 'x-api-key')) return null;
  return 'State-changing admin requests need Content-Type: application/json or an Authorization header';
}

function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined || !URL.canParse(origin)) return false;
  const url = new URL(origin);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
}

/**
 * Guards every admin route (`/api/*`) against cross-site request forgery: a state-changing request
 * that `crossOriginRefusal` refuses gets a 403 in the admin error shape before authentication runs.
 */
export function registerAdminOriginGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (declaredPolicy(request)?.dialect !== 'admin' || SAFE_METHODS.has(request.method)) {
      return done();
    }
    const refusal = crossOriginRefusal(request.headers);
    done(refusal === null ? undefined : new SwitchyardError('forbidden', refusal));
  });
}

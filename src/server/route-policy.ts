import { hash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { ErrorDialect } from '../core/client-protocol.js';
import { type HeaderBag, headerValue } from '../core/headers.js';

/**
 * Who may call a route and how it answers errors: what the HTTP server and the admin plugin both
 * need. A leaf: it imports nothing from `src/server`, `src/admin` or `src/cli`, so the admin routes
 * depend on it and on nothing else of the server.
 */

/** How a route is guarded and which error shape it speaks. Set as Fastify route `config`. */
export interface RoutePolicy {
  dialect: ErrorDialect;
  auth: 'public' | 'proxy' | 'admin';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    /** The route's `config.policy` once read (see `declaredPolicy`). */
    declaredPolicy: RoutePolicy | undefined | null;
  }
}

/**
 * The policy the request's route declares, or undefined (an unrouted path). Read once per request
 * and kept: Fastify builds a new `routeOptions` object on every read, and several hooks ask. The
 * app decorates requests with `declaredPolicy: null`.
 */
export function declaredPolicy(request: FastifyRequest): RoutePolicy | undefined {
  request.declaredPolicy ??= request.routeOptions.config.policy;
  return request.declaredPolicy;
}

export type AuthMode = 'off' | 'strict' | 'all_except_health' | 'auto';
export type EffectiveAuthMode = Exclude<AuthMode, 'auto'>;

/** True for 127.0.0.0/8, ::1, and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** `auto` means off while bound to loopback only, `all_except_health` as soon as the LAN can reach us. */
export function effectiveAuthMode(mode: AuthMode, boundHost: string): EffectiveAuthMode {
  if (mode !== 'auto') return mode;
  return isLoopbackHost(boundHost) ? 'off' : 'all_except_health';
}

/**
 * Compares two secrets in constant time: both are hashed (SHA-256) and the digests compared with
 * `timingSafeEqual`, so neither the content nor the length of the expected secret shows in the
 * time taken. Every key and password check of the gateway goes through here.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), expectedDigest(expected));
}

function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

/**
 * Digests of the expected secrets (the owner's key, the admin password), computed once rather than
 * on every request. Keyed by the configured secrets only — never by what a client presented — and
 * emptied when it grows past a handful (the secrets were changed in the configuration).
 */
const expectedDigests = new Map<string, Buffer>();
const EXPECTED_DIGESTS_KEPT = 8;

function expectedDigest(expected: string): Buffer {
  let digest = expectedDigests.get(expected);
  if (digest === undefined) {
    if (expectedDigests.size >= EXPECTED_DIGESTS_KEPT) expectedDigests.clear();
    digest = sha256(expected);
    expectedDigests.set(expected, digest);
  }
  return digest;
}

export type AuthOutcome = { ok: true } | { ok: false; message: string };

/** Admin routes: the admin password when one is set, otherwise the proxy API key. Always enforced. */
export function checkAdminAuth(options: {
  adminPassword: string | null;
  apiKey: string;
  headers: HeaderBag;
}): AuthOutcome {
  const expected = options.adminPassword ? options.adminPassword : options.apiKey;
  const authorization = headerValue(options.headers, 'authorization');
  const bearer = authorization ? /^bearer\s+(.+)$/i.exec(authorization.trim())?.[1]?.trim() : undefined;
  const key = bearer ?? headerValue(options.headers, 'x-api-key')?.trim();
  if (!key)
    return { ok: false, message: 'Admin API requires Authorization: Bearer <admin password or API key>' };
  return secretsEqual(key, expected) ? { ok: true } : { ok: false, message: 'Invalid admin credentials' };
}

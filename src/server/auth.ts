import { hash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { type ClientKey, clientKeyState } from '../core/client-key.js';
import { type HeaderBag, headerValue } from '../core/headers.js';

export type AuthMode = 'off' | 'strict' | 'all_except_health' | 'auto';
export type EffectiveAuthMode = Exclude<AuthMode, 'auto'>;

/** Paths open without a key in `all_except_health` mode. */
const HEALTH_PATHS = new Set(['/healthz', '/health', '/api/health']);

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
 * The key a client presented, from the first of: `Authorization` (a `Bearer ` prefix is removed,
 * otherwise the raw value is used), `x-api-key`, `x-goog-api-key`, the `key` query parameter
 * (Gemini's REST convention).
 */
export function presentedKey(headers: HeaderBag, query?: Record<string, unknown>): string | undefined {
  const authorization = headerValue(headers, 'authorization');
  if (authorization) {
    const match = /^bearer\s+(.+)$/i.exec(authorization.trim());
    return match ? match[1]?.trim() : authorization.trim();
  }
  const fromHeader = headerValue(headers, 'x-api-key') ?? headerValue(headers, 'x-goog-api-key');
  if (fromHeader) return fromHeader.trim();
  const fromQuery = query?.['key'];
  return typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined;
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

/** The client keys the gateway knows, held in memory (`ClientKeyStore`). */
export interface ClientKeyLookup {
  /**
   * The key whose secret is `secret` — revoked and expired keys included, so the answer can say
   * why — or undefined. Hashes `secret` and does one map lookup: no database read, and no
   * comparison of secrets that could stop early at the first differing character.
   */
  findBySecret(secret: string): ClientKey | undefined;
}

/** Who is calling a proxy route: the owner or anonymous (`clientKey: null`), or a client key. */
export type ProxyCaller = { ok: true; clientKey: ClientKey | null } | { ok: false; message: string };

/**
 * Decides whether a proxy route request may pass under `mode`, and with which client key.
 * - The owner's key (`apiKey`) passes in every mode, as no client key.
 * - A known client key is honoured in every mode, `off` included (its limits apply, its usage is
 *   counted), or refused in every mode when it is revoked or expired.
 * - No key or an unknown key passes only where no key is needed (`off`, health paths in
 *   `all_except_health`), as anonymous.
 */
export function identifyProxyCaller(options: {
  mode: EffectiveAuthMode;
  apiKey: string;
  path: string;
  headers: HeaderBag;
  query?: Record<string, unknown>;
  clientKeys?: ClientKeyLookup;
  /** Epoch ms, for key expiry. */
  now: number;
}): ProxyCaller {
  const { mode, apiKey, path } = options;
  if (mode === 'all_except_health' && HEALTH_PATHS.has(path)) return { ok: true, clientKey: null };
  const key = presentedKey(options.headers, options.query);
  if (key !== undefined) {
    if (secretsEqual(key, apiKey)) return { ok: true, clientKey: null };
    const clientKey = options.clientKeys?.findBySecret(key);
    if (clientKey) return clientKeyOutcome(clientKey, options.now);
  }
  if (mode === 'off') return { ok: true, clientKey: null };
  if (key === undefined) {
    return {
      ok: false,
      message: 'Missing API key: send it as Authorization: Bearer <key>, x-api-key or x-goog-api-key',
    };
  }
  return { ok: false, message: 'Invalid API key' };
}

function clientKeyOutcome(clientKey: ClientKey, now: number): ProxyCaller {
  const state = clientKeyState(clientKey, now);
  if (state === 'revoked') return { ok: false, message: `API key ${clientKey.hint} has been revoked` };
  if (state === 'expired') {
    const at = new Date(clientKey.expiresAt ?? now).toISOString();
    return { ok: false, message: `API key ${clientKey.hint} expired at ${at}` };
  }
  return { ok: true, clientKey };
}

/** Decides whether a proxy route request may pass under `mode` with the owner's key alone. */
export function checkProxyAuth(options: {
  mode: EffectiveAuthMode;
  apiKey: string;
  path: string;
  headers: HeaderBag;
  query?: Record<string, unknown>;
}): AuthOutcome {
  const caller = identifyProxyCaller({ ...options, now: 0 });
  return caller.ok ? { ok: true } : caller;
}

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

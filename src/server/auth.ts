import { type ClientKey, clientKeyState } from '../core/client-key.js';
import { type HeaderBag, headerValue } from '../core/headers.js';
import { type AuthOutcome, type EffectiveAuthMode, secretsEqual } from './route-policy.js';

/** Paths open without a key in `all_except_health` mode. */
const HEALTH_PATHS = new Set(['/healthz', '/health', '/api/health']);

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

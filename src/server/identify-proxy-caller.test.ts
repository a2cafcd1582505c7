import { describe, expect, it } from 'vitest';
import { type ClientKey, clientKeyHint, hashClientKeySecret } from '../core/client-key.js';
import { type ClientKeyLookup, identifyProxyCaller } from './auth.js';
import type { EffectiveAuthMode } from './route-policy.js';

const OWNER = 'sk-0123456789abcdef0123456789abcdef';
const NOW = Date.UTC(2026, 0, 1);

function clientKey(secret: string, overrides: Partial<ClientKey> = {}): ClientKey {
  return {
    id: `key-${secret}`,
    name: secret,
    owner: null,
    secretHash: hashClientKeySecret(secret),
    hint: clientKeyHint(secret),
    createdAt: NOW,
    rotatedAt: NOW,
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    models: [],
    accountId: null,
    accountGroup: null,
    limits: {},
    ...overrides,
  };
}

const KEYS = [
  clientKey('sk-sy-active'),
  clientKey('sk-sy-revoked', { revokedAt: NOW - 1 }),
  clientKey('sk-sy-expired', { expiresAt: NOW }),
];
const lookup: ClientKeyLookup = {
  findBySecret: (secret) => KEYS.find((key) => key.secretHash === hashClientKeySecret(secret)),
};

function identify(mode: EffectiveAuthMode, secret?: string, path = '/v1/messages') {
  return identifyProxyCaller({
    mode,
    apiKey: OWNER,
    path,
    headers: secret === undefined ? {} : { 'x-api-key': secret },
    clientKeys: lookup,
    now: NOW,
  });
}

describe('identifyProxyCaller', () => {
  it.each<EffectiveAuthMode>(['off', 'strict', 'all_except_health'])(
    'in %s mode: the owner key passes as no client key, an active client key as itself',
    (mode) => {
      expect(identify(mode, OWNER)).toEqual({ ok: true, clientKey: null });
      expect(identify(mode, 'sk-sy-active')).toEqual({ ok: true, clientKey: KEYS[0] });
    },
  );

  it.each<EffectiveAuthMode>(['off', 'strict', 'all_except_health'])(
    'in %s mode: a revoked or expired key is refused, saying which and why',
    (mode) => {
      expect(identify(mode, 'sk-sy-revoked')).toEqual({
        ok: false,
        message: 'API key sk-sy-…oked has been revoked',
      });
      expect(identify(mode, 'sk-sy-expired')).toEqual({
        ok: false,
        message: 'API key sk-sy-…ired expired at 2026-01-01T00:00:00.000Z',
      });
    },
  );

  it('with auth off, no key or an unknown key is anonymous', () => {
    expect(identify('off')).toEqual({ ok: true, clientKey: null });
    expect(identify('off', 'sk-unknown')).toEqual({ ok: true, clientKey: null });
  });

  it('with auth on, no key or an unknown key is refused', () => {
    expect(identify('strict')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Missing API key'),
    });
    expect(identify('all_except_health', 'sk-unknown')).toEqual({ ok: false, message: 'Invalid API key' });
  });

  it('leaves health paths open in all_except_health without looking at the key', () => {
    expect(identify('all_except_health', 'sk-sy-revoked', '/healthz')).toEqual({ ok: true, clientKey: null });
  });
});

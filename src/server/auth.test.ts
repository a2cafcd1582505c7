import { describe, expect, it } from 'vitest';
import { checkProxyAuth, presentedKey } from './auth.js';
import { checkAdminAuth, effectiveAuthMode, isLoopbackHost, secretsEqual } from './route-policy.js';

const KEY = 'sk-0123456789abcdef0123456789abcdef';

describe('effectiveAuthMode', () => {
  it.each([
    ['auto', '127.0.0.1', 'off'],
    ['auto', 'localhost', 'off'],
    ['auto', '::1', 'off'],
    ['auto', '0.0.0.0', 'all_except_health'],
    ['auto', '192.168.1.10', 'all_except_health'],
    ['strict', '127.0.0.1', 'strict'],
    ['off', '0.0.0.0', 'off'],
    ['all_except_health', '127.0.0.1', 'all_except_health'],
  ] as const)('%s bound to %s is %s', (mode, host, expected) => {
    expect(effectiveAuthMode(mode, host)).toBe(expected);
  });

  it('treats only loopback addresses as loopback', () => {
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('::')).toBe(false);
  });
});

describe('presentedKey', () => {
  it.each([
    [{ authorization: `Bearer ${KEY}` }, KEY],
    [{ authorization: `bearer   ${KEY}` }, KEY],
    [{ authorization: KEY }, KEY],
    [{ 'x-api-key': KEY }, KEY],
    [{ 'x-goog-api-key': KEY }, KEY],
    [{ authorization: `Bearer ${KEY}`, 'x-api-key': 'other' }, KEY],
  ])('reads %o', (headers, expected) => {
    expect(presentedKey(headers)).toBe(expected);
  });

  it('falls back to the Gemini ?key= query parameter', () => {
    expect(presentedKey({}, { key: KEY })).toBe(KEY);
  });

  it('returns undefined when no key is present', () => {
    expect(presentedKey({})).toBeUndefined();
  });
});

describe('checkProxyAuth', () => {
  const base = { apiKey: KEY, path: '/v1/chat/completions' };

  it('lets everything through when off', () => {
    expect(checkProxyAuth({ ...base, mode: 'off', headers: {} }).ok).toBe(true);
  });

  it('requires the key in strict mode, health included', () => {
    expect(checkProxyAuth({ ...base, mode: 'strict', path: '/healthz', headers: {} }).ok).toBe(false);
    expect(checkProxyAuth({ ...base, mode: 'strict', headers: { 'x-api-key': KEY } }).ok).toBe(true);
  });

  it('exempts only health routes in all_except_health', () => {
    expect(checkProxyAuth({ ...base, mode: 'all_except_health', path: '/healthz', headers: {} }).ok).toBe(
      true,
    );
    expect(checkProxyAuth({ ...base, mode: 'all_except_health', headers: {} }).ok).toBe(false);
  });

  it('rejects a wrong key with a message that does not echo it', () => {
    const outcome = checkProxyAuth({
      ...base,
      mode: 'strict',
      headers: { authorization: 'Bearer sk-wrong' },
    });
    expect(outcome).toEqual({ ok: false, message: 'Invalid API key' });
  });
});

describe('checkAdminAuth', () => {
  it('accepts the API key when no admin password is set', () => {
    expect(
      checkAdminAuth({ adminPassword: null, apiKey: KEY, headers: { authorization: `Bearer ${KEY}` } }).ok,
    ).toBe(true);
  });

  it('accepts only the admin password once one is set', () => {
    const options = { adminPassword: 'hunter22', apiKey: KEY };
    expect(checkAdminAuth({ ...options, headers: { authorization: `Bearer ${KEY}` } }).ok).toBe(false);
    expect(checkAdminAuth({ ...options, headers: { 'x-api-key': 'hunter22' } }).ok).toBe(true);
  });

  it('rejects a missing credential', () => {
    expect(checkAdminAuth({ adminPassword: null, apiKey: KEY, headers: {} }).ok).toBe(false);
  });
});

describe('secretsEqual', () => {
  it('compares by value, including different lengths', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });

  it('compares against the expected secret in force, also after it changed many times', () => {
    for (let version = 0; version < 20; version++) {
      expect(secretsEqual(`sk-${version}`, `sk-${version}`)).toBe(true);
      expect(secretsEqual(`sk-${version - 1}`, `sk-${version}`)).toBe(false);
    }
    expect(secretsEqual('sk-3', 'sk-3')).toBe(true);
  });
});

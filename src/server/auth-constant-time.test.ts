import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { checkProxyAuth } from './auth.js';
import { checkAdminAuth, secretsEqual } from './route-policy.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const compared = vi.mocked(crypto.timingSafeEqual);
const KEY = 'sk-0123456789abcdef0123456789abcdef';

/** The byte lengths of every pair `timingSafeEqual` compared. */
function comparedLengths(): number[][] {
  return compared.mock.calls.map(([left, right]) => [left.byteLength, right.byteLength]);
}

beforeEach(() => {
  compared.mockClear();
});

describe('key comparison in constant time', () => {
  it('compares fixed-size digests whatever the lengths of the secrets', () => {
    for (const presented of ['', 'x', KEY, `${KEY}-longer`, 'ü'.repeat(300)]) secretsEqual(presented, KEY);
    expect(comparedLengths()).toEqual(Array.from({ length: 5 }, () => [32, 32]));
  });

  it('is what proxy auth, admin auth and the admin password use', () => {
    checkProxyAuth({ mode: 'strict', apiKey: KEY, path: '/v1/models', headers: { 'x-api-key': 'short' } });
    checkProxyAuth({ mode: 'strict', apiKey: KEY, path: '/v1/models', headers: {}, query: { key: KEY } });
    checkAdminAuth({ adminPassword: null, apiKey: KEY, headers: { authorization: 'Bearer nope' } });
    checkAdminAuth({
      adminPassword: 'correct horse',
      apiKey: KEY,
      headers: { 'x-api-key': 'correct horse' },
    });
    expect(comparedLengths()).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { crossOriginRefusal } from './admin-origin-guard.js';

const HOST = '127.0.0.1:8045';

describe('crossOriginRefusal', () => {
  it.each([
    [
      'the UI itself (same origin, JSON)',
      { origin: 'http://127.0.0.1:8045', 'content-type': 'application/json' },
    ],
    ['a program (no Origin) with a bearer token', { authorization: 'Bearer k' }],
    ['a program (no Origin) with x-api-key', { 'x-api-key': 'k' }],
    ['JSON with a charset', { 'content-type': 'Application/JSON; charset=utf-8' }],
    [
      'an IPv6 same origin',
      { origin: 'http://[::1]:8045', 'content-type': 'application/json', host: '[::1]:8045' },
    ],
  ])('lets %s through', (_name, headers) => {
    expect(crossOriginRefusal({ host: HOST, ...headers })).toBeNull();
  });

  it.each([
    ['another origin', { origin: 'http://evil.example', 'content-type': 'application/json' }],
    ['another port of the same host', { origin: 'http://127.0.0.1:3000', authorization: 'Bearer k' }],
    ['an opaque origin (sandboxed frame)', { origin: 'null', 'content-type': 'application/json' }],
    ['a form post (simple request)', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a text/plain post (simple request)', { 'content-type': 'text/plain' }],
    ['a request without any of them', {}],
  ])('refuses %s', (_name, headers) => {
    expect(crossOriginRefusal({ host: HOST, ...headers })).toMatch(/another origin|need Content-Type/);
  });
});

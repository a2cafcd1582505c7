import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Case, checkCase, NOW } from './classify-failure.cases.js';
import { classifyFailure } from './classify-failure.js';
import { decideLock } from './decide-lock.js';
import * as bodies from './upstream-errors.fixtures.js';

describe('classifyFailure: by status', () => {
  it.each<Case>([
    ['500', 500, {}, undefined, { reason: 'ServerError', retryable: true, retryAfterMs: null }],
    [
      '502 HTML page',
      502,
      {},
      bodies.cloudflareBadGateway,
      { reason: 'ServerError', message: 'upstream 502' },
    ],
    ['503', 503, {}, 'Service Unavailable', { reason: 'ServerError' }],
    ['504', 504, {}, undefined, { reason: 'ServerError' }],
    [
      '503 keeps its Retry-After',
      503,
      { 'Retry-After': '120' },
      undefined,
      { reason: 'ServerError', retryAfterMs: 120_000 },
    ],
    ['408 timeout', 408, {}, undefined, { reason: 'ServerError', retryable: true }],
    ['404 (model missing on this account)', 404, {}, undefined, { reason: 'ServerError', retryable: true }],
    ['no response at all', 0, {}, undefined, { reason: 'ServerError', message: 'no upstream response' }],
    ['402 payment required', 402, {}, undefined, { reason: 'QuotaExhausted', retryable: true }],
    ['400', 400, {}, undefined, { reason: 'Unknown', retryable: false }],
    ['409', 409, {}, undefined, { reason: 'Unknown', retryable: false }],
    ['413', 413, {}, undefined, { reason: 'Unknown', retryable: false }],
    ['422', 422, {}, undefined, { reason: 'Unknown', retryable: false }],
    [
      '400 keeps a Retry-After',
      400,
      { 'retry-after': '9' },
      undefined,
      { retryable: false, retryAfterMs: 9_000 },
    ],
    [
      '429 without body: a rate limit',
      429,
      {},
      undefined,
      { reason: 'RateLimitExceeded', retryAfterMs: null },
    ],
    [
      '429 with Retry-After only',
      429,
      { 'retry-after': '20' },
      '',
      { reason: 'RateLimitExceeded', retryAfterMs: 20_000 },
    ],
    [
      '429 with an HTTP-date Retry-After',
      429,
      { 'retry-after': new Date(NOW + 90_000).toUTCString() },
      undefined,
      { retryAfterMs: 90_000 },
    ],
    [
      '429 with numeric error.retry_after (seconds)',
      429,
      {},
      { error: { message: 'Too many requests', retry_after: 7 } },
      { reason: 'RateLimitExceeded', retryAfterMs: 7_000 },
    ],
    [
      '429 with "retry after N seconds" in words',
      429,
      {},
      { error: { message: 'Too many requests, retry after 30 seconds' } },
      { reason: 'RateLimitExceeded', retryAfterMs: 30_000 },
    ],
    [
      '429 saying only "exhausted": quota',
      429,
      {},
      { error: { message: 'Credits exhausted for this key' } },
      { reason: 'QuotaExhausted' },
    ],
    ['429 "overloaded" text: capacity', 429, {}, 'Model is overloaded', { reason: 'ModelCapacityExhausted' }],
    [
      '200 with an unknown error body',
      200,
      {},
      { error: { message: 'stream broke' } },
      { reason: 'Unknown', retryable: true },
    ],
  ])('%s', (...testCase) => checkCase(testCase));
});

describe('classifyFailure message', () => {
  it('redacts keys the upstream echoes back', () => {
    const { message } = classifyFailure({
      status: 401,
      headers: {},
      body: bodies.openaiInvalidKey,
      now: NOW,
    });
    expect(message).toContain('upstream 401: Incorrect API key provided: [redacted]');
    expect(message).not.toContain('AbCdEf1234567890');
  });

  it.each([
    'key=AIzaSyA1234567890abcdefghijklmnop',
    'token ya29.a0AfH6SMBx-abc.def',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload',
  ])('redacts %s', (secretMessage) => {
    const { message } = classifyFailure({
      status: 401,
      headers: {},
      body: { error: { message: secretMessage } },
      now: NOW,
    });
    expect(message).toContain('[redacted]');
    expect(message).not.toMatch(/AIzaSy|ya29\.|eyJhbGci/);
  });

  it('is a single line of at most 200 characters', () => {
    const { message } = classifyFailure({
      status: 500,
      headers: {},
      body: { error: { message: `first line\nsecond line ${'x'.repeat(500)}` } },
      now: NOW,
    });
    expect(message.length).toBeLessThanOrEqual(200);
    expect(message).not.toContain('\n');
    expect(message.startsWith('upstream 500: first line second line')).toBe(true);
  });
});

describe('classifyFailure robustness', () => {
  it('never throws and always returns a known reason', () => {
    const headers = fc.dictionary(
      fc.constantFrom(
        'retry-after',
        'retry-after-ms',
        'x-ratelimit-reset-tokens',
        'x-ratelimit-remaining-tokens',
        'anthropic-ratelimit-tokens-reset',
      ),
      fc.oneof(fc.string(), fc.array(fc.string())),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 599 }),
        headers,
        fc.oneof(fc.jsonValue(), fc.string(), fc.anything()),
        (status, headerBag, body) => {
          const result = classifyFailure({ status, headers: headerBag, body, now: NOW });
          expect([
            'QuotaExhausted',
            'RateLimitExceeded',
            'ModelCapacityExhausted',
            'ServerError',
            'AuthError',
            'Unknown',
          ]).toContain(result.reason);
          expect(result.retryAfterMs === null || result.retryAfterMs > 0).toBe(true);
        },
      ),
    );
  });
});

describe('a 404 that names the model', () => {
  it.each([
    [
      'OpenAI model_not_found',
      { error: { message: 'The model `x` does not exist', code: 'model_not_found' } },
    ],
    ['Anthropic not_found_error', { type: 'error', error: { type: 'not_found_error', message: 'model: x' } }],
    [
      'Google NOT_FOUND',
      { error: { code: 404, message: 'models/x is not found for API version v1beta', status: 'NOT_FOUND' } },
    ],
  ])('%s is ModelNotFound and locks nothing', (_name, body) => {
    const classification = classifyFailure({ status: 404, headers: {}, body, now: 0 });
    expect(classification).toMatchObject({ reason: 'ModelNotFound', retryable: true });
    const decision = decideLock({
      classification,
      accountId: 'a',
      model: 'x',
      failureCount: 0,
      backoffSteps: [60],
      maxLockSeconds: 3600,
      now: 0,
    });
    expect(decision).toMatchObject({ lock: null, countsAsFailure: false, escalatesBackoff: false });
  });

  it('a bare 404 (a wrong URL) stays a server error that locks the account', () => {
    const classification = classifyFailure({ status: 404, headers: {}, body: 'Not Found', now: 0 });
    expect(classification.reason).toBe('ServerError');
  });
});

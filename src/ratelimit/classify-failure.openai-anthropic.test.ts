import { describe, it } from 'vitest';
import { type Case, checkCase, iso } from './classify-failure.cases.js';
import * as bodies from './upstream-errors.fixtures.js';

describe('classifyFailure: OpenAI', () => {
  const tokensExhausted = {
    'x-ratelimit-limit-requests': '5000',
    'x-ratelimit-remaining-requests': '4999',
    'x-ratelimit-reset-requests': '12ms',
    'x-ratelimit-limit-tokens': '30000',
    'x-ratelimit-remaining-tokens': '0',
    'x-ratelimit-reset-tokens': '6m0s',
  };
  it.each<Case>([
    [
      'rate_limit_exceeded: the "try again in" of the message',
      429,
      tokensExhausted,
      bodies.openaiTokensRateLimit,
      { reason: 'RateLimitExceeded', retryable: true, retryAfterMs: 1_200 },
    ],
    [
      'rate_limit_exceeded without a hint: the reset of the exhausted dimension',
      429,
      tokensExhausted,
      bodies.openaiRateLimitWithoutHint,
      { reason: 'RateLimitExceeded', retryAfterMs: 360_000 },
    ],
    [
      'requests exhausted: reset-requests in ms',
      429,
      { ...tokensExhausted, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '25000' },
      bodies.openaiRateLimitWithoutHint,
      { reason: 'RateLimitExceeded', retryAfterMs: 12 },
    ],
    [
      'reset headers without remaining counts: the latest reset',
      429,
      { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' },
      bodies.openaiRateLimitWithoutHint,
      { retryAfterMs: 360_000 },
    ],
    [
      'no dimension at zero: the reset headers are not the reason',
      429,
      { ...tokensExhausted, 'x-ratelimit-remaining-tokens': '100' },
      bodies.openaiRateLimitWithoutHint,
      { reason: 'RateLimitExceeded', retryAfterMs: null },
    ],
    [
      'retry-after-ms wins over the body',
      429,
      { ...tokensExhausted, 'retry-after-ms': '800' },
      bodies.openaiTokensRateLimit,
      { retryAfterMs: 800 },
    ],
    [
      'insufficient_quota: quota exhausted, rate-limit resets ignored',
      429,
      tokensExhausted,
      bodies.openaiInsufficientQuota,
      { reason: 'QuotaExhausted', retryable: true, retryAfterMs: null },
    ],
    [
      'context too long: the caller\u2019s error',
      400,
      {},
      bodies.openaiContextTooLong,
      { reason: 'Unknown', retryable: false },
    ],
  ])('%s', (...testCase) => checkCase(testCase));
});

describe('classifyFailure: Anthropic', () => {
  const inputTokensExhausted = {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '49',
    'anthropic-ratelimit-requests-reset': iso(5_000),
    'anthropic-ratelimit-input-tokens-limit': '80000',
    'anthropic-ratelimit-input-tokens-remaining': '0',
    'anthropic-ratelimit-input-tokens-reset': iso(30_000),
  };
  it.each<Case>([
    [
      'rate_limit_error with retry-after',
      429,
      { ...inputTokensExhausted, 'retry-after': '23' },
      bodies.anthropicRateLimit,
      { reason: 'RateLimitExceeded', retryable: true, retryAfterMs: 23_000 },
    ],
    [
      'rate_limit_error without retry-after: the RFC 3339 reset of the exhausted dimension',
      429,
      inputTokensExhausted,
      bodies.anthropicRateLimit,
      { reason: 'RateLimitExceeded', retryAfterMs: 30_000 },
    ],
    [
      'a reset already past gives no delay',
      429,
      { 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': iso(-1_000) },
      bodies.anthropicRateLimit,
      { retryAfterMs: null },
    ],
    [
      '529 overloaded_error',
      529,
      {},
      bodies.anthropicOverloaded,
      { reason: 'ModelCapacityExhausted', retryable: true },
    ],
    ['529 without body', 529, {}, undefined, { reason: 'ModelCapacityExhausted' }],
    [
      'overloaded_error inside a 200 stream',
      200,
      {},
      bodies.anthropicOverloaded,
      { reason: 'ModelCapacityExhausted', retryable: true },
    ],
    [
      'rate_limit_error inside a 200 stream',
      200,
      {},
      bodies.anthropicRateLimit,
      { reason: 'RateLimitExceeded' },
    ],
    ['api_error inside a 200 stream', 200, {}, bodies.anthropicApiError, { reason: 'ServerError' }],
    ['500 api_error', 500, {}, bodies.anthropicApiError, { reason: 'ServerError', retryable: true }],
    [
      '400 credit balance too low: the account is out of credit, rotate',
      400,
      {},
      bodies.anthropicCreditTooLow,
      { reason: 'QuotaExhausted', retryable: true },
    ],
    [
      '400 invalid_request_error: the caller\u2019s error',
      400,
      {},
      bodies.anthropicInvalidRequest,
      { reason: 'Unknown', retryable: false },
    ],
  ])('%s', (...testCase) => checkCase(testCase));
});

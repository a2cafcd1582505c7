import { describe, expect, it } from 'vitest';
import { type Case, checkCase } from './classify-failure.cases.js';
import * as bodies from './upstream-errors.fixtures.js';

describe('classifyFailure: Google (Code Assist, Gemini API, Vertex)', () => {
  it.each<Case>([
    [
      'QUOTA_EXHAUSTED with RetryInfo: the RetryInfo delay',
      429,
      {},
      bodies.codeAssistQuotaExhausted,
      { reason: 'QuotaExhausted', retryable: true, retryAfterMs: 581_981_301, resourceExhausted: true },
    ],
    [
      'QUOTA_EXHAUSTED without RetryInfo: metadata.quotaResetDelay',
      429,
      {},
      bodies.codeAssistQuotaExhaustedWithoutRetryInfo,
      { reason: 'QuotaExhausted', retryAfterMs: 9_365_871, resourceExhausted: true },
    ],
    [
      'RATE_LIMIT_EXCEEDED with a short RetryInfo',
      429,
      {},
      bodies.codeAssistRateLimited,
      { reason: 'RateLimitExceeded', retryAfterMs: 500, resourceExhausted: true },
    ],
    [
      'MODEL_CAPACITY_EXHAUSTED without delay',
      429,
      {},
      bodies.codeAssistCapacityExhausted,
      { reason: 'ModelCapacityExhausted', retryAfterMs: null, resourceExhausted: true },
    ],
    [
      'bare RESOURCE_EXHAUSTED without quota markers: a rate limit (30 s class)',
      429,
      {},
      bodies.googleResourceExhausted,
      { reason: 'RateLimitExceeded', retryAfterMs: null, resourceExhausted: true },
    ],
    [
      'QuotaFailure on a per-minute quota: a rate limit with the RetryInfo delay',
      429,
      {},
      bodies.geminiPerMinuteQuota,
      { reason: 'RateLimitExceeded', retryAfterMs: 43_000, resourceExhausted: true },
    ],
    [
      'QuotaFailure on a per-day quota: quota exhausted, {seconds, nanos} delay',
      429,
      {},
      bodies.geminiPerDayQuota,
      { reason: 'QuotaExhausted', retryAfterMs: 3_600_250, resourceExhausted: true },
    ],
    [
      'array-wrapped streaming error with legacy errors[].reason',
      429,
      {},
      bodies.vertexStreamResourceExhausted,
      {
        reason: 'RateLimitExceeded',
        retryAfterMs: null,
        resourceExhausted: true,
        message: expect.stringMatching(/^upstream 429: Resource exhausted\. Please try again later\./),
      },
    ],
    [
      'array-wrapped Code Assist error: details are read from the first element',
      429,
      {},
      [bodies.codeAssistQuotaExhausted],
      { reason: 'QuotaExhausted', retryAfterMs: 581_981_301, resourceExhausted: true },
    ],
    [
      'QuotaFailure on a quota that is neither per minute nor per day: quota exhausted',
      429,
      {},
      {
        error: {
          code: 429,
          message: 'Quota exceeded.',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [
                {
                  quotaId: 'InputTokensPerModelPerProject',
                  quotaMetric: 'generativelanguage.googleapis.com/input_token_count',
                },
              ],
            },
          ],
        },
      },
      { reason: 'QuotaExhausted' },
    ],
    [
      'RESOURCE_EXHAUSTED text with "per day": quota',
      429,
      {},
      {
        error: {
          code: 429,
          message: "Quota exceeded for quota metric 'Generate Content API requests per day'",
          status: 'RESOURCE_EXHAUSTED',
        },
      },
      { reason: 'QuotaExhausted', resourceExhausted: true },
    ],
    [
      'RESOURCE_EXHAUSTED text with "daily quota": quota',
      429,
      {},
      { error: { code: 429, message: 'Daily quota reached for this model', status: 'RESOURCE_EXHAUSTED' } },
      { reason: 'QuotaExhausted', resourceExhausted: true },
    ],
    [
      'plain-text body with quota_exhausted and a quotaResetDelay',
      429,
      {},
      'RESOURCE_EXHAUSTED: QUOTA_EXHAUSTED, quotaResetDelay: "3600s"',
      { reason: 'QuotaExhausted', retryAfterMs: 3_600_000, resourceExhausted: true },
    ],
    [
      'the same body as a JSON string is parsed',
      429,
      {},
      JSON.stringify(bodies.codeAssistQuotaExhaustedWithoutRetryInfo),
      { reason: 'QuotaExhausted', retryAfterMs: 9_365_871, resourceExhausted: true },
    ],
    [
      'a Google error inside a 200 stream counts by its error.code',
      200,
      {},
      bodies.codeAssistQuotaExhausted,
      { reason: 'QuotaExhausted', retryable: true, resourceExhausted: true },
    ],
    [
      '503 MODEL_CAPACITY_EXHAUSTED: capacity, not a server error',
      503,
      {},
      bodies.googleCapacityUnavailable,
      { reason: 'ModelCapacityExhausted', retryable: true },
    ],
    [
      '400 API_KEY_INVALID blames the account key: auth error, rotate',
      400,
      {},
      bodies.geminiApiKeyInvalid,
      { reason: 'AuthError', retryable: true },
    ],
    [
      '400 INVALID_ARGUMENT: the caller\u2019s error',
      400,
      {},
      bodies.geminiInvalidArgument,
      { reason: 'Unknown', retryable: false },
    ],
  ])('%s', (...testCase) => checkCase(testCase));
});

describe('classifyFailure: 403 verification and other auth errors', () => {
  it.each<Case>([
    [
      'VALIDATION_REQUIRED: url from metadata.validation_url',
      403,
      {},
      bodies.codeAssistValidationRequired,
      {
        reason: 'AuthError',
        retryable: true,
        verificationRequired: true,
        validationUrl:
          'https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=https://developers.google.com/gemini-code-assist/auth/auth_success_gemini&plt=AKgnsbs&flowName=GlifWebSignIn&authuser',
      },
    ],
    [
      'verify your account: url from the message',
      403,
      {},
      bodies.codeAssistValidationInMessage,
      {
        reason: 'AuthError',
        verificationRequired: true,
        validationUrl:
          'https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=xxxxx&flowName=GlifWebSignIn&authuser',
      },
    ],
    [
      'appeal_url in metadata',
      403,
      {},
      {
        error: {
          code: 403,
          message: 'VALIDATION_REQUIRED',
          details: [
            {
              reason: 'VALIDATION_REQUIRED',
              metadata: { appeal_url: 'https://support.google.com/appeal?id=1' },
            },
          ],
        },
      },
      {
        reason: 'AuthError',
        verificationRequired: true,
        validationUrl: 'https://support.google.com/appeal?id=1',
      },
    ],
    [
      'plain-text body with \\u0026 escapes and trailing punctuation',
      403,
      {},
      'validation_url: https://accounts.google.com/x?a=1\\u0026b=2.',
      {
        reason: 'AuthError',
        verificationRequired: true,
        validationUrl: 'https://accounts.google.com/x?a=1&b=2',
      },
    ],
    [
      'verification without any link',
      403,
      {},
      { error: { code: 403, message: 'Please verify your account', status: 'PERMISSION_DENIED' } },
      { reason: 'AuthError', verificationRequired: true },
    ],
    [
      'another 403 (API disabled) is a plain auth error, its URL is not a validation link',
      403,
      {},
      bodies.codeAssistApiDisabled,
      { reason: 'AuthError', retryable: true },
    ],
    ['401 OpenAI invalid key', 401, {}, bodies.openaiInvalidKey, { reason: 'AuthError', retryable: true }],
    ['401 Anthropic authentication_error', 401, {}, bodies.anthropicAuthentication, { reason: 'AuthError' }],
    [
      'a verification body on a 401 is not a verification request',
      401,
      {},
      bodies.codeAssistValidationRequired,
      { reason: 'AuthError' },
    ],
  ])('%s', (...testCase) => checkCase(testCase));
});

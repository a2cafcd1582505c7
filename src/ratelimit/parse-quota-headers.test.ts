import { describe, expect, it } from 'vitest';
import type { HeaderBag } from '../core/headers.js';
import { type HeaderQuota, parseQuotaHeaders, parseRateLimitHeaders } from './parse-quota-headers.js';
import type { HeaderFamily } from './rate-limit-headers.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString().replace('.000Z', 'Z');

const openaiHeaders: HeaderBag = {
  'x-ratelimit-limit-requests': '5000',
  'x-ratelimit-remaining-requests': '4999',
  'x-ratelimit-reset-requests': '12ms',
  'x-ratelimit-limit-tokens': '400000',
  'x-ratelimit-remaining-tokens': '100000',
  'x-ratelimit-reset-tokens': '6m0s',
};

const anthropicHeaders: HeaderBag = {
  'anthropic-ratelimit-requests-limit': '50',
  'anthropic-ratelimit-requests-remaining': '49',
  'anthropic-ratelimit-requests-reset': iso(1_000),
  'anthropic-ratelimit-tokens-limit': '96000',
  'anthropic-ratelimit-tokens-remaining': '24000',
  'anthropic-ratelimit-tokens-reset': iso(20_000),
  'anthropic-ratelimit-input-tokens-limit': '80000',
  'anthropic-ratelimit-input-tokens-remaining': '10000',
  'anthropic-ratelimit-input-tokens-reset': iso(45_000),
  'anthropic-ratelimit-output-tokens-limit': '16000',
  'anthropic-ratelimit-output-tokens-remaining': '8000',
  'anthropic-ratelimit-output-tokens-reset': iso(3_000),
};

describe('parseQuotaHeaders', () => {
  it.each<[string, HeaderFamily | null, HeaderBag, HeaderQuota | null]>([
    [
      'OpenAI: the lower of requests and tokens, with its reset',
      'openai',
      openaiHeaders,
      { remainingFraction: 0.25, resetAt: NOW + 360_000 },
    ],
    [
      'OpenAI: requests only',
      'openai',
      {
        'x-ratelimit-limit-requests': '100',
        'x-ratelimit-remaining-requests': '40',
        'x-ratelimit-reset-requests': '1.5s',
      },
      { remainingFraction: 0.4, resetAt: NOW + 1_500 },
    ],
    ["OpenAI: only the other family's headers", 'openai', anthropicHeaders, null],
    ["Anthropic: only the other family's headers", 'anthropic', openaiHeaders, null],
    [
      'Anthropic: header names in any case',
      'anthropic',
      { 'Anthropic-RateLimit-Requests-Limit': '10', 'Anthropic-RateLimit-Requests-Remaining': '5' },
      { remainingFraction: 0.5, resetAt: null },
    ],
    [
      'OpenAI: header names in any case, no reset stated',
      'openai',
      { 'X-RateLimit-Limit-Tokens': '1000', 'X-RateLimit-Remaining-Tokens': '0' },
      { remainingFraction: 0, resetAt: null },
    ],
    [
      'Anthropic: the lowest of requests, tokens, input and output tokens',
      'anthropic',
      anthropicHeaders,
      { remainingFraction: 0.125, resetAt: NOW + 45_000 },
    ],
    [
      'Anthropic: requests only',
      'anthropic',
      {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': iso(7_000),
      },
      { remainingFraction: 0, resetAt: NOW + 7_000 },
    ],
    [
      'Anthropic: an unparsable reset gives a null reset time',
      'anthropic',
      {
        'anthropic-ratelimit-tokens-limit': '100',
        'anthropic-ratelimit-tokens-remaining': '50',
        'anthropic-ratelimit-tokens-reset': 'soon',
      },
      { remainingFraction: 0.5, resetAt: null },
    ],
    [
      'remaining above the limit is clamped to 1',
      'openai',
      { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '12' },
      { remainingFraction: 1, resetAt: null },
    ],
    [
      'two dimensions at zero: the later reset',
      'anthropic',
      {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': iso(2_000),
        'anthropic-ratelimit-tokens-limit': '9000',
        'anthropic-ratelimit-tokens-remaining': '0',
        'anthropic-ratelimit-tokens-reset': iso(9_000),
        'anthropic-ratelimit-output-tokens-limit': '900',
        'anthropic-ratelimit-output-tokens-remaining': '0',
        'anthropic-ratelimit-output-tokens-reset': iso(4_000),
      },
      { remainingFraction: 0, resetAt: NOW + 9_000 },
    ],
    ['no rate-limit headers', 'openai', { 'content-type': 'application/json' }, null],
    ['OpenAI does not read Anthropic headers', 'openai', anthropicHeaders, null],
    ['Anthropic does not read OpenAI headers', 'anthropic', openaiHeaders, null],
    [
      'a zero limit tells nothing',
      'openai',
      { 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0' },
      null,
    ],
    [
      'remaining without limit tells nothing',
      'anthropic',
      { 'anthropic-ratelimit-tokens-remaining': '10' },
      null,
    ],
    [
      'non-numeric counts are ignored',
      'openai',
      { 'x-ratelimit-limit-requests': 'many', 'x-ratelimit-remaining-requests': '3' },
      null,
    ],
    ['no family (Gemini): OpenAI headers are not read', null, openaiHeaders, null],
    ['no family (Code Assist): Anthropic headers are not read', null, anthropicHeaders, null],
  ])('%s', (_name, family, headers, expected) => {
    expect(parseQuotaHeaders({ family, headers, now: NOW })).toEqual(expected);
  });
});

describe('parseRateLimitHeaders', () => {
  it('reads the requests dimension for the request budget beside the lowest quota', () => {
    expect(parseRateLimitHeaders({ family: 'openai', headers: openaiHeaders, now: NOW })).toEqual({
      quota: { remainingFraction: 0.25, resetAt: NOW + 360_000 },
      requests: { remaining: 4999, limit: 5000, resetAt: NOW + 12 },
    });
    expect(
      parseRateLimitHeaders({ family: 'anthropic', headers: anthropicHeaders, now: NOW })?.requests,
    ).toEqual({
      remaining: 49,
      limit: 50,
      resetAt: NOW + 1_000,
    });
  });

  it('reads a reset of "0s" as replenished now', () => {
    const headers = {
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '3',
      'x-ratelimit-reset-requests': '0s',
    };
    expect(parseRateLimitHeaders({ family: 'openai', headers, now: NOW })?.requests?.resetAt).toBe(NOW);
  });

  it('reads a requests count without a limit, and nothing for providers without headers', () => {
    const headers = { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' };
    expect(parseRateLimitHeaders({ family: 'openai', headers, now: NOW })).toEqual({
      quota: null,
      requests: { remaining: 0, limit: null, resetAt: NOW + 2_000 },
    });
    expect(parseRateLimitHeaders({ family: null, headers: openaiHeaders, now: NOW })).toBeNull();
  });
});

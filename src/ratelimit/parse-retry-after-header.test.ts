import { describe, expect, it } from 'vitest';
import type { HeaderBag } from '../core/headers.js';
import { parseRetryAfterHeader, retryDelayFromHeaders } from './parse-retry-after-header.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseRetryAfterHeader', () => {
  it.each<[string, string | string[] | undefined, number | null]>([
    ['delta-seconds', '30', 30_000],
    ['fractional seconds', '1.5', 1_500],
    ['surrounding spaces', '  7 ', 7_000],
    ['a number that looks like a year is still seconds', '2026', 2_026_000],
    ['a repeated header uses the first value', ['5', '9'], 5_000],
    ['an HTTP-date two minutes ahead', new Date(NOW + 120_000).toUTCString(), 120_000],
    ['an HTTP-date in RFC 850 form', 'Thursday, 01-Jan-26 12:01:00 GMT', 60_000],
    ['an HTTP-date in the past', new Date(NOW - 5_000).toUTCString(), null],
    ['zero', '0', null],
    ['negative', '-5', null],
    ['garbage', 'soon', null],
    ['empty', '', null],
    ['absent', undefined, null],
  ])('%s', (_name, value, expected) => {
    expect(parseRetryAfterHeader(value, NOW)).toBe(expected);
  });
});

describe('retryDelayFromHeaders', () => {
  it.each<[string, HeaderBag, number | null]>([
    ['retry-after-ms beats retry-after', { 'retry-after-ms': '1500', 'retry-after': '30' }, 1_500],
    ['retry-after-ms may be fractional', { 'retry-after-ms': '20.5' }, 21],
    ['header names in any case', { 'Retry-After-Ms': '250' }, 250],
    ['retry-after alone', { 'Retry-After': '12' }, 12_000],
    [
      'an unusable retry-after-ms falls back to retry-after',
      { 'retry-after-ms': 'x', 'retry-after': '3' },
      3_000,
    ],
    ['a zero retry-after-ms falls back to retry-after', { 'retry-after-ms': '0', 'retry-after': '3' }, 3_000],
    ['no retry headers', { 'content-type': 'application/json' }, null],
  ])('%s', (_name, headers, expected) => {
    expect(retryDelayFromHeaders(headers, NOW)).toBe(expected);
  });
});

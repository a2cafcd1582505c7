import { describe, expect, it } from 'vitest';
import {
  formatClockTime,
  formatCountdown,
  formatLatency,
  formatTimeAgo,
  formatTokens,
  quotaPercent,
  secondsUntil,
  shortSessionId,
} from './format.js';
import { SAMPLE_NOW } from './sample-records.js';

describe('formatCountdown', () => {
  it.each([
    [-5, 'now'],
    [0, 'now'],
    [Number.NaN, 'now'],
    [0.2, '1s'],
    [45, '45s'],
    [59.1, '1m 00s'],
    [65, '1m 05s'],
    [3599, '59m 59s'],
    [3600, '1h 00m'],
    [7380, '2h 03m'],
    [86_400, '1d 0h'],
    [3 * 86_400 + 4 * 3600 + 59, '3d 4h'],
  ])('shows %s seconds as %s', (seconds, text) => {
    expect(formatCountdown(seconds)).toBe(text);
  });
});

describe('secondsUntil', () => {
  it('counts from now to an ISO time or epoch ms, negative once passed', () => {
    expect(secondsUntil(new Date(SAMPLE_NOW + 90_000).toISOString(), SAMPLE_NOW)).toBe(90);
    expect(secondsUntil(SAMPLE_NOW - 2000, SAMPLE_NOW)).toBe(-2);
  });
});

describe('formatTimeAgo', () => {
  it.each([
    [null, 'never'],
    [SAMPLE_NOW + 5000, 'just now'],
    [SAMPLE_NOW - 30_000, 'just now'],
    [SAMPLE_NOW - 50_000, '1 min ago'],
    [SAMPLE_NOW - 5 * 60_000, '5 min ago'],
    [SAMPLE_NOW - 3 * 3_600_000, '3 h ago'],
    [SAMPLE_NOW - 2 * 86_400_000, '2 d ago'],
    ['not a date', 'unknown'],
  ])('shows %s as %s', (time, text) => {
    expect(formatTimeAgo(time, SAMPLE_NOW)).toBe(text);
  });
});

describe('formatLatency and formatTokens', () => {
  it.each([
    [null, '–'],
    [850, '850 ms'],
    [1234, '1.2 s'],
    [12_400, '12 s'],
  ])('latency %s ms is %s', (ms, text) => {
    expect(formatLatency(ms)).toBe(text);
  });

  it.each([
    [null, '–'],
    [950, '950'],
    [1000, '1k'],
    [1234, '1.2k'],
    [34_499, '34k'],
    [1_500_000, '1.5M'],
    [2_000_000, '2M'],
  ])('token count %s is %s', (count, text) => {
    expect(formatTokens(count)).toBe(text);
  });
});

describe('formatClockTime and shortSessionId', () => {
  it('shows a time as two-digit HH:MM:SS', () => {
    expect(formatClockTime(SAMPLE_NOW)).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it.each([
    [null, '–'],
    ['sid-0123456789abcdef', '01234567…'],
    ['short', 'short'],
    ['client-session-abcdefgh', 'client-s…'],
  ])('shortens %s to %s', (id, text) => {
    expect(shortSessionId(id)).toBe(text);
  });
});

describe('quotaPercent', () => {
  it.each([
    [0.456, 46],
    [1, 100],
    [1.2, 100],
    [-0.1, 0],
  ])('shows %s remaining as %s%%', (fraction, percent) => {
    expect(quotaPercent({ remaining_fraction: fraction })).toBe(percent);
  });
});

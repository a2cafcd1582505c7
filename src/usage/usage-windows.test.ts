import { describe, expect, it } from 'vitest';
import { dayStart, hourStart, monthStart, nextDayStart, nextMonthStart, parseSpan } from './usage-windows.js';

describe('usage windows (UTC)', () => {
  const time = Date.UTC(2026, 11, 31, 23, 45, 12, 345);

  it('start hours, days and months in UTC', () => {
    expect(hourStart(time)).toBe(Date.UTC(2026, 11, 31, 23));
    expect(dayStart(time)).toBe(Date.UTC(2026, 11, 31));
    expect(nextDayStart(time)).toBe(Date.UTC(2027, 0, 1));
    expect(monthStart(time)).toBe(Date.UTC(2026, 11, 1));
    expect(nextMonthStart(time)).toBe(Date.UTC(2027, 0, 1));
    expect(nextMonthStart(Date.UTC(2028, 1, 29, 8))).toBe(Date.UTC(2028, 2, 1));
  });

  it.each([
    ['90m', 90 * 60_000],
    ['24h', 86_400_000],
    ['7d', 7 * 86_400_000],
    ['2w', 14 * 86_400_000],
    [' 7D ', 7 * 86_400_000],
  ])('reads the span %s', (text, ms) => {
    expect(parseSpan(text)).toBe(ms);
  });

  it.each(['', '7', 'd', '0d', '-1d', '7y', '1.5h'])('refuses %j as a span', (text) => {
    expect(parseSpan(text)).toBeNull();
  });
});

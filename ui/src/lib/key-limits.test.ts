import { describe, expect, it } from 'vitest';
import { describeLimits, formatDollars, limitTexts, parseLimitTexts } from './key-limits.js';

describe('key limits in the form', () => {
  it('round-trips limits through the form texts, empty meaning no limit', () => {
    const texts = limitTexts({ requests_per_minute: 10, cost_per_day: 2.5 });

    expect(texts.requests_per_minute).toBe('10');
    expect(texts.tokens_per_day).toBe('');
    expect(parseLimitTexts(texts)).toEqual({ limits: { requests_per_minute: 10, cost_per_day: 2.5 } });
  });

  it.each([
    ['requests_per_minute', '1.5', 'Requests per minute must be a positive whole number'],
    ['tokens_per_day', '0', 'Tokens per day (UTC) must be a positive whole number'],
    ['cost_per_month', 'ten', 'Estimated $ per month (UTC) must be a positive number'],
  ] as const)('refuses %s = %j', (field, text, problem) => {
    const result = parseLimitTexts({ ...limitTexts(null), [field]: text });

    expect(result).toEqual({ problem: expect.stringContaining(problem) });
  });

  it('describes limits shortly', () => {
    expect(describeLimits({})).toBe('No limits');
    expect(describeLimits({ requests_per_minute: 10, tokens_per_day: 50_000, cost_per_month: 5 })).toBe(
      '10 rpm · 50k tokens/day · $5/month',
    );
  });

  it.each([
    [0, '$0'],
    [0.00123, '$0.0012'],
    [4.5, '$4.50'],
    [12_345.6, '$12,346'],
  ])('formats %d dollars as %s', (amount, text) => {
    expect(formatDollars(amount)).toBe(text);
  });
});

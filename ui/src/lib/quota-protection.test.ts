import { describe, expect, it } from 'vitest';
import { isModelProtected, type QuotaProtectionSettings, quotaPercent } from './quota-protection.js';

const settings: QuotaProtectionSettings = {
  enabled: true,
  threshold_percentage: 10,
  monitored_models: ['claude-*', 'gemini-2.5-pro'],
};
const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const quota = (remaining: number) => ({
  remaining_fraction: remaining,
  reset_at: null,
  observed_at: '2026-01-01T00:00:00.000Z',
  source: 'headers' as const,
});

describe('isModelProtected', () => {
  it.each([
    {
      name: 'below the threshold on a wildcard-monitored model',
      model: 'claude-sonnet-4',
      remaining: 0.05,
      protectedModel: true,
    },
    {
      name: 'below the threshold on an exactly monitored model',
      model: 'gemini-2.5-pro',
      remaining: 0.09,
      protectedModel: true,
    },
    { name: 'exactly at the threshold', model: 'claude-sonnet-4', remaining: 0.1, protectedModel: false },
    { name: 'above the threshold', model: 'claude-sonnet-4', remaining: 0.5, protectedModel: false },
    { name: 'a model that is not monitored', model: 'gemini-2.5-flash', remaining: 0, protectedModel: false },
  ])('$name → $protectedModel', ({ model, remaining, protectedModel }) => {
    expect(isModelProtected({ model, quota: quota(remaining), settings, now: NOW })).toBe(protectedModel);
  });

  it('never protects when protection is off', () => {
    expect(
      isModelProtected({
        model: 'claude-x',
        quota: quota(0),
        settings: { ...settings, enabled: false },
        now: NOW,
      }),
    ).toBe(false);
  });

  it('monitors every model with an empty list, as the scheduler does', () => {
    expect(
      isModelProtected({
        model: 'claude-x',
        quota: quota(0),
        settings: { ...settings, monitored_models: [] },
        now: NOW,
      }),
    ).toBe(true);
  });

  it('treats an unknown quota as full', () => {
    expect(isModelProtected({ model: 'claude-x', quota: undefined, settings, now: NOW })).toBe(false);
    expect(isModelProtected({ model: 'claude-x', quota: quota(Number.NaN), settings, now: NOW })).toBe(false);
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

  it('counts a quota whose reset time has passed as full, as the scheduler does', () => {
    const stale = { ...quota(0), reset_at: '2026-01-01T11:00:00.000Z' };
    const pending = { ...quota(0), reset_at: '2026-01-01T13:00:00.000Z' };
    expect(isModelProtected({ model: 'claude-x', quota: stale, settings, now: NOW })).toBe(false);
    expect(isModelProtected({ model: 'claude-x', quota: pending, settings, now: NOW })).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { QuotaRefreshOutcomeView } from '../api/types.js';
import { failedOutcome, quotaRefreshReport, quotaRefreshSummary } from './quota-refresh-report.js';
import { SAMPLE_NOW, sampleAccount } from './sample-records.js';

function outcome(overrides: Partial<QuotaRefreshOutcomeView> = {}): QuotaRefreshOutcomeView {
  return {
    account_id: 'account-1',
    email: 'one@example.com',
    status: 'refreshed',
    message: null,
    models: 2,
    cleared_locks: [],
    ...overrides,
  };
}

const observed = new Date(SAMPLE_NOW).toISOString();
const quota = (fraction: number) => ({
  remaining_fraction: fraction,
  reset_at: null,
  observed_at: observed,
  source: 'api' as const,
});

describe('quotaRefreshReport', () => {
  it('describes a refreshed account by its model count, lowest quota, tier change and lifted locks', () => {
    const before = [sampleAccount({ tier: 'FREE' })];
    const after = [
      sampleAccount({
        tier: 'PRO',
        quota: { 'gemini-2.5-pro': quota(0.42), 'gemini-2.5-flash': quota(0.9) },
      }),
    ];
    const report = quotaRefreshReport({
      outcomes: [outcome({ cleared_locks: ['gemini-2.5-pro'] })],
      before,
      after,
    });
    expect(report.lines).toEqual([
      {
        accountId: 'account-1',
        email: 'one@example.com',
        status: 'refreshed',
        detail: '2 models · lowest gemini-2.5-pro 42% · tier FREE → PRO · unlocked gemini-2.5-pro',
      },
    ]);
  });

  it('names the tier without an arrow when it did not change or was unknown before', () => {
    const unchanged = quotaRefreshReport({
      outcomes: [outcome({ models: 1 })],
      before: [sampleAccount({ tier: 'ULTRA' })],
      after: [sampleAccount({ tier: 'ULTRA' })],
    });
    expect(unchanged.lines[0]?.detail).toBe('1 model · tier ULTRA');
    const learned = quotaRefreshReport({
      outcomes: [outcome({ models: 0 })],
      before: [sampleAccount({ tier: null })],
      after: [sampleAccount({ tier: 'FREE' })],
    });
    expect(learned.lines[0]?.detail).toBe('0 models · tier FREE');
  });

  it('shows the reason of failed and skipped accounts, and counts each status', () => {
    const report = quotaRefreshReport({
      outcomes: [
        outcome({
          account_id: 'a',
          email: 'a@x',
          status: 'failed',
          message: 'HTTP 500 from fetchAvailableModels',
        }),
        outcome({
          account_id: 'b',
          email: 'b@x',
          status: 'skipped',
          message: 'no quota API for provider openai',
        }),
        outcome({ account_id: 'c', email: 'c@x', status: 'skipped', message: null }),
        outcome({ account_id: 'd', email: 'd@x' }),
      ],
      before: [],
      after: [],
    });
    expect(report.lines.map((line) => [line.email, line.status, line.detail])).toEqual([
      ['a@x', 'failed', 'HTTP 500 from fetchAvailableModels'],
      ['b@x', 'skipped', 'no quota API for provider openai'],
      ['c@x', 'skipped', 'no reason given'],
      ['d@x', 'refreshed', '2 models'],
    ]);
    expect([report.refreshed, report.failed, report.skipped]).toEqual([1, 1, 2]);
    expect(quotaRefreshSummary(report)).toBe('1 refreshed, 1 failed, 2 skipped');
  });

  it('falls back to the account list for an outcome without an email', () => {
    const report = quotaRefreshReport({
      outcomes: [outcome({ email: '', status: 'skipped', message: 'account was removed' })],
      before: [],
      after: [sampleAccount({ email: 'known@example.com' })],
    });
    expect(report.lines[0]?.email).toBe('known@example.com');
  });
});

describe('quotaRefreshSummary', () => {
  it('leaves out zero counts and says so when there was nothing', () => {
    const empty = quotaRefreshReport({ outcomes: [], before: [], after: [] });
    expect(quotaRefreshSummary(empty)).toBe('nothing to refresh');
    const one = quotaRefreshReport({ outcomes: [outcome()], before: [], after: [] });
    expect(quotaRefreshSummary(one)).toBe('1 refreshed');
  });
});

describe('failedOutcome', () => {
  it('turns a failed call into a failed outcome with its message', () => {
    expect(failedOutcome({ id: 'x', email: 'x@y' }, 'The gateway did not answer')).toEqual({
      account_id: 'x',
      email: 'x@y',
      status: 'failed',
      message: 'The gateway did not answer',
      models: 0,
      cleared_locks: [],
    });
  });
});

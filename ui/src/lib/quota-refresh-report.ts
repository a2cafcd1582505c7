/** What a quota refresh did, account by account, in words: the report under the Accounts toolbar. */
import type { PublicAccount, QuotaRefreshOutcomeView, Tier } from '../api/types.js';
import { quotaPercent } from './format.js';

export interface QuotaRefreshLine {
  accountId: string;
  email: string;
  status: QuotaRefreshOutcomeView['status'];
  /** `3 models · lowest gemini-2.5-pro 42% · tier FREE → PRO · unlocked x`, or why it failed or was skipped. */
  detail: string;
}

export interface QuotaRefreshReport {
  lines: QuotaRefreshLine[];
  refreshed: number;
  failed: number;
  skipped: number;
}

function tierText(before: Tier | null | undefined, after: Tier | null | undefined): string | null {
  if (after === null || after === undefined) return null;
  if (before !== after && before !== null && before !== undefined) return `tier ${before} → ${after}`;
  return `tier ${after}`;
}

function lowestQuota(account: PublicAccount | undefined): string | null {
  const entries = Object.entries(account?.quota ?? {});
  if (entries.length === 0) return null;
  const [model, quota] = entries.reduce((lowest, entry) =>
    entry[1].remaining_fraction < lowest[1].remaining_fraction ? entry : lowest,
  );
  return `lowest ${model} ${quotaPercent(quota)}%`;
}

function refreshedDetail(
  outcome: QuotaRefreshOutcomeView,
  before: PublicAccount | undefined,
  after: PublicAccount | undefined,
): string {
  const parts = [
    `${outcome.models} ${outcome.models === 1 ? 'model' : 'models'}`,
    lowestQuota(after),
    tierText(before?.tier, after?.tier),
    outcome.cleared_locks.length > 0 ? `unlocked ${outcome.cleared_locks.join(', ')}` : null,
  ];
  return parts.filter((part) => part !== null).join(' · ');
}

/**
 * The report of a refresh: one line per outcome (in the order given), with the tier change and the
 * lowest quota read from the accounts `before` and `after` the refresh, and the totals.
 */
export function quotaRefreshReport(options: {
  outcomes: readonly QuotaRefreshOutcomeView[];
  before: readonly PublicAccount[];
  after: readonly PublicAccount[];
}): QuotaRefreshReport {
  const find = (list: readonly PublicAccount[], id: string) => list.find((account) => account.id === id);
  const lines = options.outcomes.map((outcome) => {
    const after = find(options.after, outcome.account_id);
    return {
      accountId: outcome.account_id,
      email: outcome.email || after?.email || outcome.account_id,
      status: outcome.status,
      detail:
        outcome.status === 'refreshed'
          ? refreshedDetail(outcome, find(options.before, outcome.account_id), after)
          : (outcome.message ?? 'no reason given'),
    };
  });
  const count = (status: QuotaRefreshLine['status']) => lines.filter((line) => line.status === status).length;
  return { lines, refreshed: count('refreshed'), failed: count('failed'), skipped: count('skipped') };
}

/** `2 refreshed, 1 failed, 1 skipped` (zero counts left out; `nothing to refresh` when empty). */
export function quotaRefreshSummary(report: QuotaRefreshReport): string {
  const parts = [
    report.refreshed > 0 ? `${report.refreshed} refreshed` : null,
    report.failed > 0 ? `${report.failed} failed` : null,
    report.skipped > 0 ? `${report.skipped} skipped` : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? parts.join(', ') : 'nothing to refresh';
}

/** The outcome shown for an account whose refresh call itself failed (network, unknown account). */
export function failedOutcome(
  account: Pick<PublicAccount, 'id' | 'email'>,
  message: string,
): QuotaRefreshOutcomeView {
  return {
    account_id: account.id,
    email: account.email,
    status: 'failed',
    message,
    models: 0,
    cleared_locks: [],
  };
}

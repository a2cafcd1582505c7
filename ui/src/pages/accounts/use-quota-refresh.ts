/**
 * Quota refresh from the Accounts page: one account, a selection (a few at a time, with progress)
 * or every account (one server call). One run at a time; its report stays until dismissed.
 */
import { useCallback, useRef, useState } from 'react';
import { api } from '../../api/api-client.js';
import { errorMessage } from '../../api/api-error.js';
import type { PublicAccount, QuotaRefreshOutcomeView } from '../../api/types.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useNotify } from '../../hooks/notices.js';
import {
  failedOutcome,
  type QuotaRefreshReport,
  quotaRefreshReport,
  quotaRefreshSummary,
} from '../../lib/quota-refresh-report.js';
import { runLimited } from '../../lib/run-limited.js';

/** Accounts refreshed at once for a selection (the server's own limit for "all" is 5). */
const SELECTION_CONCURRENCY = 3;

export interface QuotaRefreshProgress {
  /** Accounts in this run; null for "all", whose progress the server does not report. */
  total: number | null;
  done: number;
  /** Ids being refreshed, so their rows can show it. */
  accountIds: ReadonlySet<string>;
}

export interface QuotaRefresh {
  progress: QuotaRefreshProgress | null;
  report: QuotaRefreshReport | null;
  /** Refreshes these accounts (one, or a selection). */
  refreshAccounts(accounts: readonly PublicAccount[]): Promise<void>;
  /** Refreshes every account on the gateway. */
  refreshAll(): Promise<void>;
  dismiss(): void;
}

export function useQuotaRefresh(): QuotaRefresh {
  const { accounts, refresh } = useGatewayData();
  const notify = useNotify();
  const [progress, setProgress] = useState<QuotaRefreshProgress | null>(null);
  const [report, setReport] = useState<QuotaRefreshReport | null>(null);
  // One run at a time: a second click while one runs is ignored (the buttons are disabled too).
  const running = useRef(false);

  const finish = useCallback(
    async (outcomes: readonly QuotaRefreshOutcomeView[], before: readonly PublicAccount[]) => {
      const after = await api.listAccounts().catch(() => before);
      const done = quotaRefreshReport({ outcomes, before, after });
      setReport(done);
      if (done.failed > 0) notify.error(`Quota refresh: ${quotaRefreshSummary(done)}`);
      else notify.success(`Quota refresh: ${quotaRefreshSummary(done)}`);
    },
    [notify],
  );

  const refreshAccounts = useCallback(
    async (targets: readonly PublicAccount[]) => {
      if (targets.length === 0 || running.current) return;
      running.current = true;
      const before = accounts;
      setReport(null);
      setProgress({
        total: targets.length,
        done: 0,
        accountIds: new Set(targets.map((account) => account.id)),
      });
      try {
        const outcomes = await runLimited({
          items: targets,
          limit: SELECTION_CONCURRENCY,
          work: (account) =>
            api.refreshQuota(account.id).then(
              (answer) => answer.outcome,
              (error: unknown) => failedOutcome(account, errorMessage(error)),
            ),
          onSettled: (done) => setProgress((current) => (current ? { ...current, done } : current)),
        });
        await finish(outcomes, before);
      } finally {
        running.current = false;
        setProgress(null);
        await refresh();
      }
    },
    [accounts, finish, refresh],
  );

  const refreshAll = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    const before = accounts;
    setReport(null);
    setProgress({ total: null, done: 0, accountIds: new Set(accounts.map((account) => account.id)) });
    try {
      const summary = await api.refreshAllQuotas();
      await finish(summary.outcomes, before);
    } catch (error) {
      notify.error(error);
    } finally {
      running.current = false;
      setProgress(null);
      await refresh();
    }
  }, [accounts, finish, notify, refresh]);

  return { progress, report, refreshAccounts, refreshAll, dismiss: useCallback(() => setReport(null), []) };
}

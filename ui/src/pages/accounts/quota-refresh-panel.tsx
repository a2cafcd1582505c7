/** Progress of a quota refresh while it runs, then its report: totals and one line per account. */
import { quotaRefreshSummary } from '../../lib/quota-refresh-report.js';
import type { QuotaRefresh } from './use-quota-refresh.js';

const STATUS = {
  refreshed: { text: 'Refreshed', badge: 'badge badge-ok' },
  failed: { text: 'Failed', badge: 'badge badge-error' },
  skipped: { text: 'Skipped', badge: 'badge' },
} as const;

export function QuotaRefreshPanel({ refresh }: { refresh: QuotaRefresh }) {
  const { progress, report } = refresh;
  if (!progress && !report) return null;
  return (
    <section className="card refresh-report" aria-label="Quota refresh" aria-live="polite">
      {progress ? (
        <div className="refresh-progress">
          {progress.total === null ? (
            <>
              <progress aria-label="Quota refresh progress" />
              <span>Refreshing the quota of every account…</span>
            </>
          ) : (
            <>
              <progress aria-label="Quota refresh progress" value={progress.done} max={progress.total} />
              <span>
                Refreshing quota: {progress.done} of {progress.total}{' '}
                {progress.total === 1 ? 'account' : 'accounts'} done…
              </span>
            </>
          )}
        </div>
      ) : (
        report && (
          <>
            <div className="refresh-report-head">
              <h2>Quota refresh: {quotaRefreshSummary(report)}</h2>
              <button type="button" onClick={refresh.dismiss}>
                Dismiss
              </button>
            </div>
            <ul className="refresh-lines">
              {report.lines.map((line) => (
                <li key={line.accountId} data-account={line.email} data-outcome={line.status}>
                  <span className={STATUS[line.status].badge}>{STATUS[line.status].text}</span>
                  <strong>{line.email}</strong>
                  <span className={line.status === 'failed' ? 'refresh-error' : 'muted'}>{line.detail}</span>
                </li>
              ))}
            </ul>
          </>
        )
      )}
    </section>
  );
}

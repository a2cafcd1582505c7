/** Requests per minute, success rate, per-account shares and the active locks, over the last 15 minutes. */
import { lazy, Suspense, useMemo } from 'react';
import type { RateLimitView, RequestLogRecord } from '../../api/types.js';
import { Countdown } from '../../components/badges.js';
import { useNow } from '../../hooks/now-context.js';
import { describeLock } from '../../lib/account-status.js';
import { trafficStats } from '../../lib/traffic-stats.js';

const TrafficCharts = lazy(() => import('./traffic-charts.js'));

const WINDOW_MINUTES = 15;

export function TrafficDashboard({
  records,
  locks,
}: {
  records: readonly RequestLogRecord[];
  locks: readonly RateLimitView[];
}) {
  const now = useNow();
  // Recomputed at most every 5 s (and on every new entry): the numbers need not move with each tick.
  const slot = Math.floor(now / 5000);
  const stats = useMemo(
    () => trafficStats({ records, now: (slot + 1) * 5000, windowMinutes: WINDOW_MINUTES }),
    [records, slot],
  );
  const rate = stats.successRate === null ? '–' : `${Math.round(stats.successRate * 1000) / 10}%`;
  return (
    <section className="dashboard" aria-label="Traffic in the last 15 minutes">
      <div className="stat-grid">
        <Stat label="Requests / min" value={String(stats.requestsLastMinute)} />
        <Stat label="Success rate (15 min)" value={rate} />
        <Stat label="Requests (15 min)" value={String(stats.total)} />
        <Stat label="Active locks" value={String(locks.length)} />
      </div>
      <Suspense fallback={<p className="muted small">Loading charts…</p>}>
        <TrafficCharts stats={stats} />
      </Suspense>
      {locks.length > 0 && (
        <ul className="lock-list" aria-label="Active locks">
          {locks.map((lock) => (
            <li key={`${lock.account_id}-${lock.model ?? ''}`}>
              <span className="badge badge-warn">
                {lock.account_email ?? lock.account_id}
                {lock.model ? ` · ${lock.model}` : ''} <Countdown until={lock.until} />
              </span>{' '}
              <span className="small muted">{describeLock(lock)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

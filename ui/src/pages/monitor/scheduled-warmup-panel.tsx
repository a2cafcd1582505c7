/** The scheduled warmup (`proxy.warmup.schedule`): per account and model, the last warmup and the next. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/api-client.js';
import { errorMessage } from '../../api/api-error.js';
import type { WarmupStatus } from '../../api/types.js';
import { useNow } from '../../hooks/now-context.js';
import { browserClock } from '../../lib/browser-clock.js';
import { lastWarmupText, lastWarmupTone, nextWarmupText } from '../../lib/warmup-status.js';

const POLL_MS = 10_000;

export function ScheduledWarmupPanel() {
  const now = useNow();
  const [status, setStatus] = useState<WarmupStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setStatus(await api.warmupStatus());
      setProblem(null);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  }, []);
  useEffect(() => {
    void load();
    return browserClock.every(POLL_MS, () => {
      if (!document.hidden) void load();
    });
  }, [load]);
  if (problem) return <p className="banner banner-error">The scheduled warmup is not available: {problem}</p>;
  if (!status?.enabled) return null;
  return (
    <section className="warmup-panel" aria-label="Scheduled warmup">
      <h2>Scheduled warmup</h2>
      <p className="muted small">
        One tiny request per account and model every {status.interval_minutes} min (
        <code>proxy.warmup.schedule</code> in gui_config.json).
      </p>
      <div className="table-wrap">
        <table className="responsive">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Model</th>
              <th scope="col">Last warmup</th>
              <th scope="col">Next</th>
            </tr>
          </thead>
          <tbody>
            {status.targets.map((target) => (
              <tr key={`${target.account_id}-${target.model}`} data-warmup-account={target.email}>
                <td>{target.email}</td>
                <td>{target.model}</td>
                <td>
                  <span className={badgeClass(lastWarmupTone(target))} title={target.last_error ?? undefined}>
                    {lastWarmupText(target, now)}
                  </span>
                  {target.last_error && <span className="small muted"> {target.last_error}</span>}
                </td>
                <td>{nextWarmupText(target, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function badgeClass(tone: ReturnType<typeof lastWarmupTone>): string {
  return tone === 'muted' ? 'badge' : `badge badge-${tone}`;
}

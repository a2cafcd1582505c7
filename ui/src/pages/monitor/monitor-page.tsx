/**
 * Monitor: a small traffic dashboard, the scheduled warmup of each account (when on) and the live
 * request log with filters, pause, clear and details.
 */
import { useMemo, useState } from 'react';
import { api } from '../../api/api-client.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useAction } from '../../hooks/use-action.js';
import { filterLogs, NO_LOG_FILTER } from '../../lib/log-filter.js';
import { LogDrawer } from './log-drawer.js';
import { LogFilters } from './log-filters.js';
import { LogTable } from './log-table.js';
import { ScheduledWarmupPanel } from './scheduled-warmup-panel.js';
import { TrafficDashboard } from './traffic-dashboard.js';
import { type StreamState, useLogStream } from './use-log-stream.js';

const STATE_TEXT: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unavailable: 'Unavailable',
};

export function MonitorPage() {
  const { rateLimits, config } = useGatewayData();
  const stream = useLogStream();
  const [filter, setFilter] = useState(NO_LOG_FILTER);
  const [openId, setOpenId] = useState<string | null>(null);
  const confirm = useConfirm();
  const { run } = useAction();
  const shown = useMemo(() => filterLogs(stream.records, filter), [stream.records, filter]);
  const clear = async () => {
    const yes = await confirm({
      title: 'Clear the request log',
      message: <p>Delete every stored request log entry? The dashboard starts from zero.</p>,
      confirmLabel: 'Clear log',
      danger: true,
    });
    if (!yes) return;
    const cleared = await run(async () => {
      await api.clearLogs();
      return true;
    }, 'Request log cleared');
    if (cleared) stream.clearShown();
  };
  const streamState = stream.paused ? 'paused' : stream.state;
  return (
    <section aria-labelledby="monitor-title">
      <div className="page-header">
        <h1 id="monitor-title">Monitor</h1>
        <div className="page-actions">
          <span className={`pill pill-${streamState}`} role="status" data-testid="stream-state">
            {stream.paused
              ? `Paused${stream.held > 0 ? ` (${stream.held} new)` : ''}`
              : STATE_TEXT[stream.state]}
          </span>
          <button type="button" onClick={() => stream.setPaused(!stream.paused)} aria-pressed={stream.paused}>
            {stream.paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" className="danger-text" onClick={clear}>
            Clear…
          </button>
        </div>
      </div>
      {config && !config.proxy.enable_logging && (
        <p className="banner banner-warn">
          Request logging is off (Settings → Logging): new requests are not recorded.
        </p>
      )}
      {stream.problem && (
        <p className="banner banner-error" role="alert">
          The request log is not available: {stream.problem}
        </p>
      )}
      {stream.dropped > 0 && (
        <p className="banner banner-warn">
          {stream.dropped} entries were skipped while this page fell behind; they are in the stored log.
        </p>
      )}
      <TrafficDashboard records={stream.records} locks={rateLimits} />
      <ScheduledWarmupPanel />
      <LogFilters records={stream.records} filter={filter} onChange={setFilter} />
      <p className="muted small">
        Showing {shown.length} of {stream.records.length} recent requests.
      </p>
      <LogTable records={shown} onOpen={setOpenId} />
      <LogDrawer id={openId} onClose={() => setOpenId(null)} />
    </section>
  );
}

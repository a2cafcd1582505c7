/**
 * Usage: tokens, requests and estimated cost per client key, account or model over a range — as
 * charts first (a person would rather look than read), then the table with every count.
 */
import { lazy, Suspense, useState } from 'react';
import type { UsageReportView, UsageTotalsView } from '../../api/types.js';
import { formatTokens } from '../../lib/format.js';
import { formatDollars } from '../../lib/key-limits.js';
import { useUsageReport } from './use-usage-report.js';

const UsageCharts = lazy(() => import('./usage-charts.js'));

const GROUPINGS = [
  { value: 'key', label: 'Key' },
  { value: 'account', label: 'Account' },
  { value: 'model', label: 'Model' },
] as const;
const RANGES = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
] as const;

export function UsagePage() {
  const [by, setBy] = useState<string>('key');
  const [since, setSince] = useState<string>('7d');
  const { report, error } = useUsageReport({ by, since });
  return (
    <section aria-labelledby="usage-title">
      <div className="page-header">
        <h1 id="usage-title">Usage</h1>
      </div>
      <div className="toolbar">
        <label className="field">
          <span>Group by</span>
          <select value={by} onChange={(event) => setBy(event.target.value)}>
            {GROUPINGS.map((grouping) => (
              <option key={grouping.value} value={grouping.value}>
                {grouping.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Range</span>
          <select value={since} onChange={(event) => setSince(event.target.value)}>
            {RANGES.map((range) => (
              <option key={range.value} value={range.value}>
                {range.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          Cannot load the usage: {error}
        </p>
      )}
      {report && <UsageSummary report={report} />}
    </section>
  );
}

function UsageSummary({ report }: { report: UsageReportView }) {
  const { totals } = report;
  return (
    <>
      <div className="stat-grid">
        <Stat label="Requests" value={String(totals.requests)} />
        <Stat label="Input tokens" value={formatTokens(totals.input_tokens)} />
        <Stat label="Output tokens" value={formatTokens(totals.output_tokens)} />
        <Stat label="Estimated cost" value={formatDollars(totals.estimated_cost)} />
      </div>
      <p className="hint">
        Costs are <strong>estimates</strong> in US dollars from the price table (built-in list prices, or{' '}
        <code>pricing.models</code> in gui_config.json), not a bill. Times are UTC.
        {report.unpriced_models.length > 0 &&
          ` No price for ${report.unpriced_models.join(', ')}: counted as $0.`}
      </p>
      {report.groups.length > 0 && (
        <div className="usage-charts">
          <Suspense fallback={<p className="muted small">Loading charts…</p>}>
            <UsageCharts report={report} />
          </Suspense>
        </div>
      )}
      <UsageTable report={report} />
    </>
  );
}

const COLUMNS: { field: keyof UsageTotalsView; label: string }[] = [
  { field: 'requests', label: 'Requests' },
  { field: 'errors', label: 'Errors' },
  { field: 'input_tokens', label: 'Input' },
  { field: 'output_tokens', label: 'Output' },
  { field: 'cache_read_tokens', label: 'Cache read' },
  { field: 'cache_write_tokens', label: 'Cache write' },
  { field: 'reasoning_tokens', label: 'Reasoning' },
];

function UsageTable({ report }: { report: UsageReportView }) {
  const heading = GROUPINGS.find((grouping) => grouping.value === report.by)?.label ?? report.by;
  return (
    <div className="table-wrap">
      <table className="usage-table responsive" aria-label={`Usage by ${heading.toLowerCase()}`}>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            {COLUMNS.map((column) => (
              <th key={column.field} scope="col" className="numeric">
                {column.label}
              </th>
            ))}
            <th scope="col" className="numeric">
              Estimated cost
            </th>
          </tr>
        </thead>
        <tbody>
          {report.groups.map((group) => (
            <tr key={group.id ?? '(none)'} data-usage-group={group.label}>
              <td data-label={heading}>{group.label}</td>
              {COLUMNS.map((column) => (
                <td
                  key={column.field}
                  data-label={column.label}
                  data-field={column.field}
                  className="numeric"
                >
                  {group.totals[column.field]}
                </td>
              ))}
              <td data-label="Estimated cost" className="numeric">
                {formatDollars(group.totals.estimated_cost)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.groups.length === 0 && <p className="empty">No requests in this range yet.</p>}
    </div>
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

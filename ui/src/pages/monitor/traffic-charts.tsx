/** The dashboard charts (recharts), loaded on demand so the other pages stay small. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClockTime } from '../../lib/format.js';
import type { TrafficStats } from '../../lib/traffic-stats.js';

const tooltipStyle = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' },
  labelStyle: { color: 'var(--text)' },
};

export default function TrafficCharts({ stats }: { stats: TrafficStats }) {
  const minutes = stats.perMinute.map((bucket) => ({
    minute: formatClockTime(bucket.minute).slice(0, 5),
    OK: bucket.ok,
    Errors: bucket.errors,
  }));
  const accounts = stats.accounts.slice(0, 8).map((share) => ({
    account: share.account,
    Requests: Math.round(share.requestShare * 100),
    'Cache-read tokens': Math.round(share.cacheShare * 100),
  }));
  return (
    <div className="chart-grid">
      <figure className="chart">
        <figcaption>Requests per minute</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={minutes} margin={{ top: 8, right: 8, bottom: 0, left: -20 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="minute"
              tick={{ fontSize: 11, fill: 'var(--muted)' }}
              interval="preserveStartEnd"
            />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: 'var(--muted)' }} />
            <Tooltip {...tooltipStyle} />
            <Bar dataKey="OK" stackId="requests" fill="var(--chart-ok)" isAnimationActive={false} />
            <Bar dataKey="Errors" stackId="requests" fill="var(--chart-error)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart">
        <figcaption>Share per account, % of requests and of cache-read tokens</figcaption>
        <ResponsiveContainer width="100%" height={Math.max(120, 40 + accounts.length * 36)}>
          <BarChart data={accounts} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
            <XAxis type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 11, fill: 'var(--muted)' }} />
            <YAxis
              type="category"
              dataKey="account"
              width={140}
              tick={{ fontSize: 11, fill: 'var(--muted)' }}
            />
            <Tooltip {...tooltipStyle} formatter={(value) => `${value}%`} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="Requests" fill="var(--chart-a)" isAnimationActive={false} />
            <Bar dataKey="Cache-read tokens" fill="var(--chart-b)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}

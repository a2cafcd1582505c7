/** The Usage charts (recharts), loaded on demand: tokens over time stacked by group, estimated cost per group. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageReportView } from '../../api/types.js';
import { formatTokens } from '../../lib/format.js';
import { formatDollars } from '../../lib/key-limits.js';
import { costBars, tokenSeries } from '../../lib/usage-chart-data.js';

const tooltipStyle = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' },
  labelStyle: { color: 'var(--text)' },
};
const COLORS = [
  'var(--chart-a)',
  'var(--chart-b)',
  'var(--chart-ok)',
  'var(--chart-c)',
  'var(--chart-d)',
  'var(--chart-e)',
];

function bucketLabel(start: string, bucket: UsageReportView['bucket']): string {
  // Buckets are UTC hours or days: shown in UTC too, so a bar never straddles two local days.
  return bucket === 'hour' ? `${start.slice(11, 16)}` : start.slice(5, 10);
}

export default function UsageCharts({ report }: { report: UsageReportView }) {
  const series = tokenSeries(report);
  const points = series.points.map((point) => ({
    ...point,
    label: bucketLabel(String(point['start']), report.bucket),
  }));
  const costs = costBars(report);
  return (
    <div className="chart-grid">
      <figure className="chart">
        <figcaption>
          Tokens per {report.bucket} (UTC), by {report.by}
        </figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 11, fill: 'var(--muted)' }}
              interval="preserveStartEnd"
            />
            <YAxis
              tickFormatter={(value: number) => formatTokens(value)}
              tick={{ fontSize: 11, fill: 'var(--muted)' }}
              width={48}
            />
            <Tooltip {...tooltipStyle} formatter={(value) => formatTokens(Number(value))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.names.map((name, index) => (
              <Bar
                key={name}
                dataKey={name}
                stackId="tokens"
                fill={COLORS[index % COLORS.length]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart">
        <figcaption>Estimated cost by {report.by} (US dollars, from the price table)</figcaption>
        <ResponsiveContainer width="100%" height={Math.max(120, 40 + costs.length * 32)}>
          <BarChart data={costs} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
            <XAxis
              type="number"
              tickFormatter={(value: number) => formatDollars(value)}
              tick={{ fontSize: 11, fill: 'var(--muted)' }}
            />
            <YAxis type="category" dataKey="name" width={140} tick={{ fontSize: 11, fill: 'var(--muted)' }} />
            <Tooltip {...tooltipStyle} formatter={(value) => `${formatDollars(Number(value))} (estimated)`} />
            <Bar dataKey="cost" name="Estimated cost" fill="var(--chart-b)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}

/** Small display pieces shared by the pages: tier badge, live countdown, quota bar. */

import type { Tier } from '../api/types.js';
import { useNow } from '../hooks/now-context.js';
import { formatCountdown, secondsUntil } from '../lib/format.js';

export function TierBadge({ tier }: { tier: Tier | null }) {
  if (tier === null) return <span className="badge badge-muted">no tier</span>;
  return <span className={`badge badge-tier-${tier.toLowerCase()}`}>{tier}</span>;
}

/** Time left until `until` (ISO), ticking every second. */
export function Countdown({ until, prefix = '' }: { until: string; prefix?: string }) {
  const now = useNow();
  const seconds = secondsUntil(until, now);
  return (
    <span className="countdown" title={new Date(until).toLocaleString()}>
      {prefix}
      {formatCountdown(seconds)}
    </span>
  );
}

/** A bar filled to `percent` (0..100), coloured by how much is left. */
export function QuotaBar({ percent, label }: { percent: number; label: string }) {
  const level = percent < 20 ? 'low' : percent < 50 ? 'mid' : 'high';
  return (
    <div className={`quota-bar quota-${level}`} aria-hidden="true" title={label}>
      <div className="quota-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

/**
 * Per-model quota bars of one account: percentage, reset countdown, and what the server says of the
 * model — protected (lock icon), locked or out of quota until a predicted reset — with why.
 */

import type { AccountView, ModelAvailabilityView } from '../../api/types.js';
import { Countdown, QuotaBar } from '../../components/badges.js';
import { LockIcon } from '../../components/lock-icon.js';
import { lockSourceLabel } from '../../lib/account-status.js';
import { quotaPercent } from '../../lib/format.js';

export function AccountQuota(props: { account: AccountView }) {
  const { account } = props;
  const entries = Object.entries(account.quota).sort(([a], [b]) => a.localeCompare(b));
  const availability = new Map(account.availability.map((entry) => [entry.model, entry]));
  // Locked models without a quota observation; the account-wide lock is the status badge's.
  const unreported = account.availability.filter(
    (entry) => entry.model !== null && !(entry.model in account.quota) && isLimit(entry),
  );
  if (entries.length === 0 && unreported.length === 0)
    return <span className="muted small">No quota reported yet</span>;
  return (
    <ul className="quota-list">
      {entries.map(([model, quota]) => {
        const percent = quotaPercent(quota);
        const state = availability.get(model);
        return (
          <li key={model}>
            <div className="quota-head">
              <span className="quota-model" title={model}>
                {state?.state === 'protected' && <LockIcon label={`Protected: ${state.reason}`} />}
                {model}
              </span>
              <span className="quota-value">{percent}%</span>
            </div>
            <QuotaBar percent={percent} label={`${model} quota left`} />
            <div className="quota-meta small muted">
              {quota.reset_at && <Countdown until={quota.reset_at} prefix="resets in " />}
              {state && isLimit(state) && <LimitBadge entry={state} />}
            </div>
          </li>
        );
      })}
      {unreported.map((entry) => (
        <li key={`${entry.model}-lock`}>
          <LimitBadge entry={entry} model={entry.model} />
        </li>
      ))}
    </ul>
  );
}

function isLimit(entry: ModelAvailabilityView): boolean {
  return entry.state === 'locked' || entry.state === 'predicted_out';
}

/** `locked 42s`, or `limit reached 1s` for a predicted limit; the title says why and from where. */
function LimitBadge({ entry, model }: { entry: ModelAvailabilityView; model?: string | null }) {
  const source = entry.lock_source ? ` (${lockSourceLabel({ source: entry.lock_source })})` : '';
  return (
    <span
      className="badge badge-warn"
      title={`${entry.reason ?? ''}${source}`}
      data-lock-source={entry.lock_source}
    >
      {model ? `${model} ` : ''}
      {entry.state === 'predicted_out' ? 'limit reached' : 'locked'}{' '}
      {entry.until && <Countdown until={entry.until} />}
    </span>
  );
}

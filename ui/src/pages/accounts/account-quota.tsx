/** Per-model quota bars of one account: percentage, reset countdown, protection lock, model locks. */

import type { PublicAccount, RateLimitView } from '../../api/types.js';
import { Countdown, QuotaBar } from '../../components/badges.js';
import { LockIcon } from '../../components/lock-icon.js';
import { describeLock } from '../../lib/account-status.js';
import { browserClock } from '../../lib/browser-clock.js';
import { isModelProtected, type QuotaProtectionSettings, quotaPercent } from '../../lib/quota-protection.js';

export function AccountQuota(props: {
  account: PublicAccount;
  modelLocks: readonly RateLimitView[];
  protection: QuotaProtectionSettings | null;
}) {
  const { account, modelLocks, protection } = props;
  const entries = Object.entries(account.quota).sort(([a], [b]) => a.localeCompare(b));
  const unreportedLocks = modelLocks.filter((lock) => lock.model === null || !(lock.model in account.quota));
  if (entries.length === 0 && modelLocks.length === 0)
    return <span className="muted small">No quota reported yet</span>;
  return (
    <ul className="quota-list">
      {entries.map(([model, quota]) => {
        const percent = quotaPercent(quota);
        const lock = modelLocks.find((candidate) => candidate.model === model);
        const guarded =
          protection !== null &&
          isModelProtected({ model, quota, settings: protection, now: browserClock.now() });
        return (
          <li key={model}>
            <div className="quota-head">
              <span className="quota-model" title={model}>
                {guarded && <LockIcon label="Protected: below the quota protection threshold" />}
                {model}
              </span>
              <span className="quota-value">{percent}%</span>
            </div>
            <QuotaBar percent={percent} label={`${model} quota left`} />
            <div className="quota-meta small muted">
              {quota.reset_at && <Countdown until={quota.reset_at} prefix="resets in " />}
              {lock && <ModelLockBadge lock={lock} />}
            </div>
          </li>
        );
      })}
      {unreportedLocks.map((lock) => (
        <li key={`${lock.model}-lock`}>
          <ModelLockBadge lock={lock} model={lock.model} />
        </li>
      ))}
    </ul>
  );
}

/** `locked 42s`, or `limit reached 1s` for a predicted limit; the title says why and from where. */
function ModelLockBadge({ lock, model }: { lock: RateLimitView; model?: string | null }) {
  return (
    <span className="badge badge-warn" title={describeLock(lock)} data-lock-source={lock.source}>
      {model ? `${model} ` : ''}
      {lock.predicted ? 'limit reached' : 'locked'} <Countdown until={lock.until} />
    </span>
  );
}

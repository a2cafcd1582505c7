/** The status cell of an account: badge, reason, live countdown, verification link. */
import { Countdown } from '../../components/badges.js';
import type { AccountStatus } from '../../lib/account-status.js';

const BADGE_CLASS: Record<AccountStatus['kind'], string> = {
  active: 'badge-ok',
  disabled: 'badge-error',
  verification: 'badge-error',
  'proxy-off': 'badge-muted',
  locked: 'badge-warn',
};

export function AccountStatusBadge({ status, fixed }: { status: AccountStatus; fixed: boolean }) {
  return (
    <div className="status-cell">
      <span className={`badge ${BADGE_CLASS[status.kind]}`} data-status={status.kind}>
        {status.label}
        {status.until && (
          <>
            {' '}
            <Countdown until={status.until} />
          </>
        )}
      </span>
      {fixed && (
        <span className="badge badge-accent" title="Fixed account: takes every request it can serve">
          Fixed
        </span>
      )}
      {status.reason && <span className="status-reason small muted">{status.reason}</span>}
      {status.link && (
        <a className="small" href={status.link} target="_blank" rel="noreferrer noopener">
          Verify the account ↗
        </a>
      )}
    </div>
  );
}

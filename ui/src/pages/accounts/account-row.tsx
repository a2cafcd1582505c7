/** One account in the table (a card on narrow screens): identity, state, quota and its actions. */
import { api } from '../../api/api-client.js';
import type { AccountView, RateLimitView } from '../../api/types.js';
import { TierBadge } from '../../components/badges.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import { useNow } from '../../hooks/now-context.js';
import type { Action } from '../../hooks/use-action.js';
import { accountStatus } from '../../lib/account-status.js';
import { formatTimeAgo } from '../../lib/format.js';
import { providerInfo } from '../../lib/providers.js';
import { AccountQuota } from './account-quota.js';
import { AccountStatusBadge } from './account-status-badge.js';

export interface AccountRowProps {
  account: AccountView;
  locks: readonly RateLimitView[];
  fixed: boolean;
  selected: boolean;
  onSelect(selected: boolean): void;
  onEdit(): void;
  action: Action;
  /** Refreshes this account's quota; null when the gateway cannot. */
  onRefreshQuota: (() => void) | null;
  /** Whether a quota refresh runs for this account, for others only, or not at all. */
  refreshing: 'this' | 'others' | null;
}

export function AccountRow(props: AccountRowProps) {
  const { account, locks, fixed, selected, action } = props;
  const now = useNow();
  const confirm = useConfirm();
  const status = accountStatus(account, locks);
  const name = account.email;
  const remove = async () => {
    const yes = await confirm({
      title: 'Delete account',
      message: (
        <p>
          Delete <strong>{name}</strong>? Its credential is removed from the gateway and its session bindings
          are dropped. This cannot be undone.
        </p>
      ),
      confirmLabel: 'Delete',
      danger: true,
    });
    if (yes) await action.run(() => api.deleteAccount(account.id), `Deleted ${name}`);
  };
  return (
    <tr data-account={name} className={selected ? 'selected' : undefined}>
      <td className="cell-select">
        <input
          type="checkbox"
          checked={selected}
          onChange={(event) => props.onSelect(event.target.checked)}
          aria-label={`Select ${name}`}
        />
      </td>
      <td data-label="Account">
        <div className="account-name">{name}</div>
        {account.label && <div className="small muted">{account.label}</div>}
        <div className="small muted">
          {providerInfo(account.provider).title} · {account.credential.masked}
        </div>
      </td>
      <td data-label="Tier">
        <TierBadge tier={account.tier} />
      </td>
      <td data-label="Status">
        <AccountStatusBadge status={status} fixed={fixed} />
      </td>
      <td data-label="Quota" className="cell-quota">
        <AccountQuota account={account} />
      </td>
      <td data-label="Last used" className="nowrap">
        {formatTimeAgo(account.last_used_at, now)}
      </td>
      <td data-label="Actions">
        <div className="row-actions">
          <button type="button" onClick={props.onEdit} aria-label={`Edit ${name}`}>
            Edit
          </button>
          <button
            type="button"
            onClick={() =>
              action.run(
                () => api.updateAccount(account.id, { disabled: !account.disabled, disabled_reason: null }),
                `${account.disabled ? 'Enabled' : 'Disabled'} ${name}`,
              )
            }
            aria-label={`${account.disabled ? 'Enable' : 'Disable'} ${name}`}
          >
            {account.disabled ? 'Enable' : 'Disable'}
          </button>
          <button
            type="button"
            onClick={() =>
              action.run(
                () =>
                  api.updateAccount(account.id, {
                    proxy_disabled: !account.proxy_disabled,
                    proxy_disabled_reason: null,
                  }),
                `Proxy ${account.proxy_disabled ? 'on' : 'off'} for ${name}`,
              )
            }
            aria-label={`Turn proxy ${account.proxy_disabled ? 'on' : 'off'} for ${name}`}
          >
            {account.proxy_disabled ? 'Proxy on' : 'Proxy off'}
          </button>
          {props.onRefreshQuota && (
            <button
              type="button"
              onClick={props.onRefreshQuota}
              disabled={props.refreshing !== null}
              aria-label={`Refresh quota of ${name}`}
            >
              {props.refreshing === 'this' ? 'Refreshing…' : 'Refresh quota'}
            </button>
          )}
          <button type="button" className="danger-text" onClick={remove} aria-label={`Delete ${name}`}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}

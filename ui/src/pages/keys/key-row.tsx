/** One client key in the table (a card on narrow screens): who holds it, what it may do, what it used. */
import { api } from '../../api/api-client.js';
import type { IssuedKeyView, PublicAccount, PublicClientKey } from '../../api/types.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import { useNow } from '../../hooks/now-context.js';
import { useAction } from '../../hooks/use-action.js';
import { formatTimeAgo, formatTokens } from '../../lib/format.js';
import { describeLimits, formatDollars } from '../../lib/key-limits.js';

const STATUS_BADGE: Record<PublicClientKey['status'], string> = {
  active: 'badge badge-ok',
  expired: 'badge badge-warn',
  revoked: 'badge badge-error',
};

function servedBy(key: PublicClientKey, accounts: readonly PublicAccount[]): string | null {
  if (key.account_id)
    return `Account ${accounts.find((account) => account.id === key.account_id)?.email ?? key.account_id}`;
  if (key.account_group) return `Group ${key.account_group}`;
  return null;
}

export function KeyRow(props: {
  clientKey: PublicClientKey;
  accounts: readonly PublicAccount[];
  onEdit(): void;
  onRotated(issued: IssuedKeyView): void;
  onChanged(): void;
}) {
  const { clientKey: key } = props;
  const now = useNow();
  const confirm = useConfirm();
  const { busy, run } = useAction();
  const changeable = key.status !== 'revoked';
  const scope = servedBy(key, props.accounts);
  const rotate = async () => {
    const yes = await confirm({
      title: 'Rotate key',
      message: (
        <p>
          Give <strong>{key.name}</strong> a new secret? The current one stops working at once; limits and
          usage stay.
        </p>
      ),
      confirmLabel: 'Rotate',
    });
    if (!yes) return;
    const issued = await run(() => api.rotateKey(key.id), `Rotated ${key.name}`);
    if (issued) props.onRotated(issued);
  };
  const revoke = async () => {
    const yes = await confirm({
      title: 'Revoke key',
      message: (
        <p>
          Revoke <strong>{key.name}</strong>? Requests with it are refused from now on. It stays listed with
          its usage. This cannot be undone.
        </p>
      ),
      confirmLabel: 'Revoke',
      danger: true,
    });
    if (yes && (await run(() => api.revokeKey(key.id), `Revoked ${key.name}`))) props.onChanged();
  };
  return (
    <tr data-key={key.name} data-status={key.status}>
      {/* One wrapper per cell: on narrow screens a cell is its label and one value, side by side. */}
      <td data-label="Key">
        <div>
          <div className="account-name">{key.name}</div>
          {key.owner && <div className="small muted">{key.owner}</div>}
          <div className="small muted mono">{key.hint}</div>
        </div>
      </td>
      <td data-label="Status">
        <div>
          <span className={STATUS_BADGE[key.status]}>{key.status}</span>
          {key.expires_at && changeable && (
            <div className="small muted">until {key.expires_at.slice(0, 10)}</div>
          )}
        </div>
      </td>
      <td data-label="Limits">
        <div>
          <div>{describeLimits(key.limits)}</div>
          <div className="small muted">
            {key.models.length > 0 ? `Models ${key.models.join(', ')}` : 'Any model'}
            {scope ? ` · ${scope}` : ''}
          </div>
        </div>
      </td>
      <td data-label="Today" className="nowrap">
        <div>
          {formatTokens(key.usage.tokens_today)} tokens
          <div className="small muted">{formatDollars(key.usage.cost_today)} estimated</div>
        </div>
      </td>
      <td data-label="Last used" className="nowrap">
        {formatTimeAgo(key.last_used_at, now)}
      </td>
      <td data-label="Actions">
        {changeable && (
          <div className="row-actions">
            <button type="button" onClick={props.onEdit} aria-label={`Edit ${key.name}`}>
              Edit
            </button>
            <button type="button" onClick={rotate} disabled={busy} aria-label={`Rotate ${key.name}`}>
              Rotate
            </button>
            <button
              type="button"
              className="danger-text"
              onClick={revoke}
              disabled={busy}
              aria-label={`Revoke ${key.name}`}
            >
              Revoke
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

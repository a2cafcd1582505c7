/** Actions on the selected accounts: enable, disable, refresh quota, delete (confirmed). */
import { api } from '../../api/api-client.js';
import type { PublicAccount } from '../../api/types.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import type { Action } from '../../hooks/use-action.js';
import type { QuotaRefresh } from './use-quota-refresh.js';

export function BulkBar(props: {
  selected: PublicAccount[];
  action: Action;
  /** Present when the gateway can refresh quotas. */
  quotaRefresh: QuotaRefresh | null;
  onDone(): void;
}) {
  const { selected, action, quotaRefresh, onDone } = props;
  const confirm = useConfirm();
  if (selected.length === 0) return null;
  const count = selected.length;
  const each = async (change: (account: PublicAccount) => Promise<unknown>, message: string) => {
    const done = await action.run(async () => {
      for (const account of selected) await change(account);
      return true;
    }, message);
    if (done) onDone();
  };
  const remove = async () => {
    const yes = await confirm({
      title: `Delete ${count} accounts`,
      message: <p>Delete {selected.map((account) => account.email).join(', ')}? This cannot be undone.</p>,
      confirmLabel: `Delete ${count}`,
      danger: true,
    });
    if (yes) await each((account) => api.deleteAccount(account.id), `Deleted ${count} accounts`);
  };
  return (
    <section className="bulk-bar" aria-label="Bulk actions">
      <span>{count} selected</span>
      <button
        type="button"
        onClick={() =>
          each((account) => api.updateAccount(account.id, { disabled: false }), `Enabled ${count} accounts`)
        }
      >
        Enable
      </button>
      <button
        type="button"
        onClick={() =>
          each((account) => api.updateAccount(account.id, { disabled: true }), `Disabled ${count} accounts`)
        }
      >
        Disable
      </button>
      {quotaRefresh && (
        <button
          type="button"
          disabled={quotaRefresh.progress !== null}
          onClick={() => void quotaRefresh.refreshAccounts(selected)}
        >
          Refresh quota
        </button>
      )}
      <button type="button" className="danger" onClick={remove}>
        Delete
      </button>
      <button type="button" onClick={onDone}>
        Clear selection
      </button>
    </section>
  );
}

/** Accounts: every upstream account with its state and quota; add, edit, import, bulk changes. */
import { useMemo, useState } from 'react';
import { api } from '../../api/api-client.js';
import type { PublicAccount } from '../../api/types.js';
import { Modal } from '../../components/modal.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { type Action, useAction } from '../../hooks/use-action.js';
import { filterAccounts, NO_ACCOUNT_FILTER } from '../../lib/account-filter.js';
import { AccountForm } from './account-form.js';
import { AccountRow } from './account-row.js';
import { AccountsToolbar } from './accounts-toolbar.js';
import { ImportAccountsButton } from './import-accounts-button.js';

export function AccountsPage() {
  const { accounts, rateLimits, config, fixed } = useGatewayData();
  const [filter, setFilter] = useState(NO_ACCOUNT_FILTER);
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<PublicAccount | 'new' | null>(null);
  const action = useAction();
  const shown = useMemo(
    () => filterAccounts({ accounts, filter, locks: rateLimits }),
    [accounts, filter, rateLimits],
  );
  const selected = shown.filter((account) => selectedIds.has(account.id));
  const select = (id: string, on: boolean) =>
    setSelectedIds((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allShownSelected = shown.length > 0 && selected.length === shown.length;
  return (
    <section aria-labelledby="accounts-title">
      <div className="page-header">
        <h1 id="accounts-title">Accounts</h1>
        <div className="page-actions">
          <ImportAccountsButton action={action} />
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add account
          </button>
        </div>
      </div>
      <AccountsToolbar accounts={accounts} filter={filter} onChange={setFilter} />
      <BulkBar selected={selected} action={action} onDone={() => setSelectedIds(new Set())} />
      <div className="table-wrap">
        <table className="accounts-table responsive">
          <thead>
            <tr>
              <th className="cell-select">
                <input
                  type="checkbox"
                  aria-label="Select all shown accounts"
                  checked={allShownSelected}
                  onChange={(event) =>
                    setSelectedIds(new Set(event.target.checked ? shown.map((account) => account.id) : []))
                  }
                />
              </th>
              <th scope="col">Account</th>
              <th scope="col">Tier</th>
              <th scope="col">Status</th>
              <th scope="col">Quota</th>
              <th scope="col">Last used</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((account) => (
              <AccountRow
                key={account.id}
                account={account}
                locks={rateLimits}
                protection={config?.proxy.quota_protection ?? null}
                fixed={fixed?.account_id === account.id}
                selected={selectedIds.has(account.id)}
                onSelect={(on) => select(account.id, on)}
                onEdit={() => setEditing(account)}
                action={action}
              />
            ))}
          </tbody>
        </table>
        {shown.length === 0 && (
          <p className="empty">
            {accounts.length === 0
              ? 'No accounts yet. Add one with an API key, or import a JSON file.'
              : 'No account matches the filters.'}
          </p>
        )}
      </div>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? 'Add account' : 'Edit account'}
        onClose={() => setEditing(null)}
      >
        {editing !== null && (
          <AccountForm account={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
        )}
      </Modal>
    </section>
  );
}

function BulkBar({
  selected,
  action,
  onDone,
}: {
  selected: PublicAccount[];
  action: Action;
  onDone(): void;
}) {
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
      <button type="button" className="danger" onClick={remove}>
        Delete
      </button>
      <button type="button" onClick={onDone}>
        Clear selection
      </button>
    </section>
  );
}

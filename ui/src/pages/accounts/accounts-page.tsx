/** Accounts: every upstream account with its state and quota; add, edit, import, bulk changes. */
import { useMemo, useState } from 'react';
import type { PublicAccount } from '../../api/types.js';
import { Modal } from '../../components/modal.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useAction } from '../../hooks/use-action.js';
import { filterAccounts, NO_ACCOUNT_FILTER } from '../../lib/account-filter.js';
import { AccountForm } from './account-form.js';
import { AccountRow } from './account-row.js';
import { AccountsToolbar } from './accounts-toolbar.js';
import { AddAccountPanel } from './add-account-panel.js';
import { BulkBar } from './bulk-bar.js';
import { ImportAccountsButton } from './import-accounts-button.js';
import { QuotaRefreshPanel } from './quota-refresh-panel.js';
import { useQuotaRefresh } from './use-quota-refresh.js';

export function AccountsPage() {
  const { accounts, rateLimits, fixed, status } = useGatewayData();
  const [filter, setFilter] = useState(NO_ACCOUNT_FILTER);
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<PublicAccount | 'new' | null>(null);
  const action = useAction();
  const quotaRefresh = useQuotaRefresh();
  // Only offered when the gateway serves the refresh routes.
  const refresher = status?.features.quota_refresh ? quotaRefresh : null;
  const refreshing = quotaRefresh.progress?.accountIds ?? null;
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
          {refresher && (
            <button
              type="button"
              onClick={() => void refresher.refreshAll()}
              disabled={refresher.progress !== null || accounts.length === 0}
            >
              Refresh all quotas
            </button>
          )}
          <ImportAccountsButton action={action} />
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add account
          </button>
        </div>
      </div>
      <AccountsToolbar accounts={accounts} filter={filter} onChange={setFilter} />
      <BulkBar
        selected={selected}
        action={action}
        quotaRefresh={refresher}
        onDone={() => setSelectedIds(new Set())}
      />
      <QuotaRefreshPanel refresh={quotaRefresh} />
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
                fixed={fixed?.account_id === account.id}
                selected={selectedIds.has(account.id)}
                onSelect={(on) => select(account.id, on)}
                onEdit={() => setEditing(account)}
                action={action}
                onRefreshQuota={refresher ? () => void refresher.refreshAccounts([account]) : null}
                refreshing={refreshing === null ? null : refreshing.has(account.id) ? 'this' : 'others'}
              />
            ))}
          </tbody>
        </table>
        {shown.length === 0 && (
          <p className="empty">
            {accounts.length === 0
              ? (status?.features.oauth_login.length ?? 0) > 0
                ? 'No accounts yet. Add one with an API key or by signing in, or import a JSON file.'
                : 'No accounts yet. Add one with an API key, or import a JSON file.'
              : 'No account matches the filters.'}
          </p>
        )}
      </div>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? 'Add account' : 'Edit account'}
        onClose={() => setEditing(null)}
      >
        {editing === 'new' && <AddAccountPanel onDone={() => setEditing(null)} />}
        {editing !== null && editing !== 'new' && (
          <AccountForm account={editing} onDone={() => setEditing(null)} />
        )}
      </Modal>
    </section>
  );
}

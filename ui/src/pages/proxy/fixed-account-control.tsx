/**
 * Fixed Account Mode: pin one usable account (runtime only, not saved to gui_config.json). Shows why
 * the pinned account is being bypassed right now (locked, disabled…), when it is.
 */
import { useState } from 'react';
import { api } from '../../api/api-client.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useAction } from '../../hooks/use-action.js';
import { useOptimisticChange } from '../../hooks/use-optimistic-change.js';

export function FixedAccountControl() {
  const { accounts, fixed } = useGatewayData();
  const { run } = useAction();
  const usable = accounts.filter((account) => !account.disabled && !account.proxy_disabled);
  const [choice, setChoice] = useState('');
  const emailOf = (id: string) => accounts.find((account) => account.id === id)?.email ?? id;
  const { shown: pinnedId, change: pin } = useOptimisticChange(
    fixed?.account_id ?? null,
    (id: string | null) =>
      run(() => api.setFixedAccount(id), id === null ? 'Fixed account off' : `Fixed account: ${emailOf(id)}`),
  );
  const selectedId =
    pinnedId ?? (usable.some((account) => account.id === choice) ? choice : (usable[0]?.id ?? ''));
  return (
    <div className="setting-row">
      <label className="check">
        <input
          type="checkbox"
          checked={pinnedId !== null}
          disabled={pinnedId === null && usable.length === 0}
          onChange={(event) => pin(event.target.checked ? selectedId : null)}
        />
        Fixed account mode
      </label>
      <div className="setting-control">
        <label htmlFor="fixed-account" className="visually-hidden">
          Fixed account
        </label>
        <select
          id="fixed-account"
          value={selectedId}
          disabled={usable.length === 0}
          onChange={(event) => {
            setChoice(event.target.value);
            if (pinnedId !== null) pin(event.target.value);
          }}
        >
          {usable.length === 0 && <option value="">No usable account</option>}
          {pinnedId !== null && !usable.some((account) => account.id === pinnedId) && (
            <option value={pinnedId}>{emailOf(pinnedId)} (not usable)</option>
          )}
          {usable.map((account) => (
            <option key={account.id} value={account.id}>
              {account.email}
              {account.tier ? ` (${account.tier})` : ''}
            </option>
          ))}
        </select>
      </div>
      <p className="hint">
        {pinnedId === null
          ? 'Send every request to one account while it can serve it; otherwise the normal order applies. Not saved across restarts.'
          : `Every request goes to ${emailOf(pinnedId)} while it can serve it.`}
      </p>
      {fixed?.bypassed_reason && (
        <p className="badge badge-warn bypass" role="status" data-testid="fixed-bypass">
          Bypassed now: {fixed.bypassed_reason}. Requests use the normal order until it is usable again.
        </p>
      )}
    </div>
  );
}

/** Search and filters of the Accounts page. */
import type { PublicAccount } from '../../api/types.js';
import { type AccountFilter, countByTier } from '../../lib/account-filter.js';
import { PROVIDERS } from '../../lib/providers.js';

export function AccountsToolbar(props: {
  accounts: readonly PublicAccount[];
  filter: AccountFilter;
  onChange(filter: AccountFilter): void;
}) {
  const { accounts, filter, onChange } = props;
  const counts = countByTier(accounts);
  return (
    <div className="toolbar">
      <label className="field">
        <span>Search</span>
        <input
          type="search"
          value={filter.text}
          onChange={(event) => onChange({ ...filter, text: event.target.value })}
          placeholder="email, label, model…"
        />
      </label>
      <label className="field">
        <span>Tier</span>
        <select
          value={filter.tier}
          onChange={(event) => onChange({ ...filter, tier: event.target.value as AccountFilter['tier'] })}
        >
          <option value="all">All ({accounts.length})</option>
          <option value="ULTRA">ULTRA ({counts.ULTRA})</option>
          <option value="PRO">PRO ({counts.PRO})</option>
          <option value="FREE">FREE ({counts.FREE})</option>
          <option value="none">No tier ({counts.none})</option>
        </select>
      </label>
      <label className="field">
        <span>Status</span>
        <select
          value={filter.status}
          onChange={(event) => onChange({ ...filter, status: event.target.value as AccountFilter['status'] })}
        >
          <option value="all">All</option>
          <option value="active">Active</option>
          <option value="locked">Locked</option>
          <option value="disabled">Disabled</option>
          <option value="proxy-off">Proxy off</option>
          <option value="verification">Verification needed</option>
        </select>
      </label>
      <label className="field">
        <span>Provider</span>
        <select
          value={filter.provider}
          onChange={(event) =>
            onChange({ ...filter, provider: event.target.value as AccountFilter['provider'] })
          }
        >
          <option value="all">All</option>
          {PROVIDERS.map((provider) => (
            <option key={provider.kind} value={provider.kind}>
              {provider.title}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

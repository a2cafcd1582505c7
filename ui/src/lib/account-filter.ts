/** Search and filters of the Accounts page. */
import type { ProviderKind, PublicAccount, RateLimitView, Tier } from '../api/types.js';
import { type AccountStatusKind, accountStatus } from './account-status.js';

export interface AccountFilter {
  /** Case-insensitive text matched against email, label, provider, base URL and models. */
  text: string;
  /** A tier, `none` for accounts without one, or `all`. */
  tier: Tier | 'none' | 'all';
  status: AccountStatusKind | 'all';
  provider: ProviderKind | 'all';
}

export const NO_ACCOUNT_FILTER: AccountFilter = { text: '', tier: 'all', status: 'all', provider: 'all' };

/** The accounts that pass every part of `filter`, in their original order. */
export function filterAccounts<Shown extends PublicAccount>(options: {
  accounts: readonly Shown[];
  filter: AccountFilter;
  locks: readonly RateLimitView[];
}): Shown[] {
  const { accounts, filter, locks } = options;
  const text = filter.text.trim().toLowerCase();
  return accounts.filter((account) => {
    if (filter.provider !== 'all' && account.provider !== filter.provider) return false;
    if (
      filter.tier === 'none' ? account.tier !== null : filter.tier !== 'all' && account.tier !== filter.tier
    )
      return false;
    if (filter.status !== 'all' && accountStatus(account, locks).kind !== filter.status) return false;
    return text === '' || searchText(account).includes(text);
  });
}

/** How many accounts have each tier (`none` for no tier), for the filter's labels. */
export function countByTier(accounts: readonly PublicAccount[]): Record<Tier | 'none', number> {
  const counts: Record<Tier | 'none', number> = { FREE: 0, PRO: 0, ULTRA: 0, none: 0 };
  for (const account of accounts) counts[account.tier ?? 'none'] += 1;
  return counts;
}

function searchText(account: PublicAccount): string {
  return [account.email, account.label ?? '', account.provider, account.base_url ?? '', ...account.models]
    .join('\n')
    .toLowerCase();
}

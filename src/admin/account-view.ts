/** The account answers of `GET /api/accounts[/:id]`: the public view plus each model's availability. */
import type { Account } from '../core/account.js';
import type { ModelAvailability } from '../scheduler/model-availability.js';
import { toPublicAccount } from '../store/public-account.js';
import type { AccountView, ModelAvailabilityView } from './account-contracts.js';

/** The accounts as `GET /api/accounts` shows them, availability read from `scheduler` once for all. */
export async function toAccountViews(
  accounts: readonly Account[],
  scheduler: { availability(accounts: readonly Account[]): Promise<Map<string, ModelAvailability[]>> },
): Promise<AccountView[]> {
  const availability = await scheduler.availability(accounts);
  return accounts.map((account) => ({
    ...toPublicAccount(account),
    availability: (availability.get(account.id) ?? []).map(toAvailabilityView),
  }));
}

function toAvailabilityView(entry: ModelAvailability): ModelAvailabilityView {
  return {
    model: entry.model,
    state: entry.state,
    reason: entry.reason,
    until: entry.until === null ? null : new Date(entry.until).toISOString(),
    lock_source: entry.lockSource,
  };
}

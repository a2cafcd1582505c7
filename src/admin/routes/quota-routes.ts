import type { FastifyInstance } from 'fastify';
import { SwitchyardError } from '../../core/errors.js';
import type { QuotaRefresher, QuotaRefreshOutcome } from '../../quota/quota-refresher.js';
import type { AccountStore } from '../../store/account-store.js';
import { toPublicAccount } from '../../store/public-account.js';
import type { QuotaRefreshOutcomeView, QuotaRefreshSummaryView } from '../contracts.js';
import { adminRoute } from './admin-route.js';

export interface QuotaRouteDependencies {
  accountServices: { quotaRefresher: QuotaRefresher };
  accounts: Pick<AccountStore, 'get'>;
}

function outcomeView(outcome: QuotaRefreshOutcome): QuotaRefreshOutcomeView {
  return {
    account_id: outcome.accountId,
    email: outcome.email,
    status: outcome.status,
    message: outcome.message,
    models: outcome.models,
    cleared_locks: outcome.clearedLocks,
  };
}

/** On-demand quota refresh (the server also refreshes every `refresh_interval` minutes). */
export function registerQuotaRoutes(app: FastifyInstance, deps: QuotaRouteDependencies): void {
  const refresher = deps.accountServices.quotaRefresher;

  app.post<{ Params: { id: string } }>('/api/accounts/:id/refresh-quota', adminRoute, async (request) => {
    const outcome = await refresher.refreshAccount(request.params.id);
    const account = deps.accounts.get(request.params.id);
    if (!account) throw new SwitchyardError('not_found', `No account with id ${request.params.id}`);
    return { outcome: outcomeView(outcome), account: toPublicAccount(account) };
  });

  app.post('/api/accounts/refresh-quota', adminRoute, async (): Promise<QuotaRefreshSummaryView> => {
    const outcomes = (await refresher.refreshAll()).map(outcomeView);
    const count = (status: QuotaRefreshOutcome['status']) =>
      outcomes.filter((outcome) => outcome.status === status).length;
    return { outcomes, refreshed: count('refreshed'), failed: count('failed'), skipped: count('skipped') };
  });
}

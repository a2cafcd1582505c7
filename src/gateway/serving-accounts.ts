import { type Account, canServe } from '../core/account.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { ProxyRequest } from './proxy-request.js';

/**
 * Whether an enabled account of the request's own protocol serves `model` (count_tokens is then
 * asked upstream, otherwise estimated locally), among `allowedAccounts` when a client key sets them.
 */
export function hasPassThroughAccount(options: {
  accounts: readonly Account[];
  request: Pick<ProxyRequest, 'protocol'>;
  model: string;
  allowedAccounts: ReadonlySet<string> | null;
  providers: ProviderRegistry;
}): boolean {
  const { model, allowedAccounts } = options;
  const kinds = options.providers.passThroughKinds(options.request.protocol);
  return options.accounts.some(
    (account) =>
      kinds.has(account.provider) &&
      (allowedAccounts === null || allowedAccounts.has(account.id)) &&
      canServe(account, model),
  );
}

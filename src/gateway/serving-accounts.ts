import { type Account, canServe, type ProviderKind } from '../core/account.js';
import { PROVIDERS, passThroughKinds } from '../providers/registry.js';
import type { ProxyRequest } from './proxy-request.js';
import { RequestTranslator } from './translation/request-translator.js';

/** Provider kinds that can serve the request: its own protocol's, and any we can translate for. */
export function servingKinds(
  request: Pick<ProxyRequest, 'protocol' | 'operation'>,
): ReadonlySet<ProviderKind> {
  const kinds = new Set<ProviderKind>();
  for (const adapter of Object.values(PROVIDERS)) {
    const native = adapter.nativeProtocol === request.protocol;
    if (native || (request.operation === 'generate' && RequestTranslator.supports(adapter)))
      kinds.add(adapter.kind);
  }
  return kinds;
}

/**
 * Whether an enabled account of the request's own protocol serves `model` (count_tokens is then
 * asked upstream, otherwise estimated locally), among `allowedAccounts` when a client key sets them.
 */
export function hasPassThroughAccount(options: {
  accounts: readonly Account[];
  request: Pick<ProxyRequest, 'protocol'>;
  model: string;
  allowedAccounts: ReadonlySet<string> | null;
}): boolean {
  const { model, allowedAccounts } = options;
  const kinds = passThroughKinds(options.request.protocol);
  return options.accounts.some(
    (account) =>
      kinds.has(account.provider) &&
      (allowedAccounts === null || allowedAccounts.has(account.id)) &&
      canServe(account, model),
  );
}

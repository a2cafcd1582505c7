import { type Account, canServe, isSchedulable } from '../core/account.js';
import { targetModels } from './model-router.js';
import type { RoutingTable } from './routing-table.js';

/** One model a client can ask the pool for. */
export interface PoolModel {
  id: string;
  /** The provider kind of an account that lists it, or `switchyard` for a mapping or alias name. */
  ownedBy: string;
}

/**
 * What the pool can really serve, for the model lists clients read (`GET /v1/models`,
 * `GET /v1beta/models`), sorted by id:
 * - each usable account's concrete `models` (wildcard entries cannot be listed), and the models its
 *   provider's quota API reported (Code Assist `fetchAvailableModels`, refreshed with the quota);
 * - the concrete `custom_mapping` keys, the models of their chains and the models the aliases route
 *   to, each only when a model it resolves to (see `ModelRouter`) is served by a usable account.
 * Usable means {@link canServe}: disabled and proxy-disabled accounts contribute nothing.
 */
export function poolModels(options: { accounts: readonly Account[]; routing: RoutingTable }): PoolModel[] {
  const { routing } = options;
  const owners = new Map<string, string>();
  const usable = options.accounts.filter(isSchedulable);
  const served = (model: string) => usable.some((account) => canServe(account, model));
  const add = (id: string, owner: string) => {
    if (!id.includes('*') && !owners.has(id)) owners.set(id, owner);
  };
  for (const account of usable) {
    for (const model of account.models) add(model, account.provider);
    for (const [model, quota] of Object.entries(account.quota)) {
      // Header readings name the models requests used; only a quota API's list says what is offered.
      if (quota.source === 'api' && canServe(account, model)) add(model, account.provider);
    }
  }
  const routed = [
    ...Object.entries(routing.mapping).flatMap(([key, target]) => [key, ...targetModels(target)]),
    ...routing.aliases.flatMap((alias) => alias.models),
  ];
  for (const name of routed) {
    if (routing.router.resolve(name).models.some(served)) add(name, 'switchyard');
  }
  return [...owners.entries()]
    .map(([id, ownedBy]) => ({ id, ownedBy }))
    .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
}

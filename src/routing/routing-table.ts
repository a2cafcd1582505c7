import { effectiveModelAliases, type ModelAlias, type ModelAliasSettings } from './model-aliases.js';
import { type ModelMapping, ModelRouter } from './model-router.js';

/** Everything model routing reads, compiled once per configuration. */
export interface RoutingTable {
  router: ModelRouter;
  /** `proxy.custom_mapping` as configured. */
  mapping: ModelMapping;
  /** The aliases in force (built-in table with the overrides; empty when aliases are off). */
  aliases: readonly ModelAlias[];
}

/** Compiles the mapping and the alias settings of one configuration. */
export function routingTable(options: { mapping: ModelMapping; aliases: ModelAliasSettings }): RoutingTable {
  const aliases = effectiveModelAliases(options.aliases);
  return { router: new ModelRouter(options.mapping, aliases), mapping: options.mapping, aliases };
}

export {
  BUILTIN_MODEL_ALIASES,
  effectiveModelAliases,
  type ModelAlias,
  type ModelAliasSettings,
} from './model-aliases.js';
export {
  type MappingTarget,
  type ModelMapping,
  type ModelResolution,
  ModelRouter,
  resolveModel,
  targetModels,
} from './model-router.js';
export { type PoolModel, poolModels } from './pool-models.js';
export { type RoutingTable, routingTable } from './routing-table.js';

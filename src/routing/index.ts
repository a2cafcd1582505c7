export { type BackgroundTaskDetector, detectBackgroundTask } from './detect-background-task.js';
export { isWarmupProbe } from './detect-warmup.js';
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
export { type OutlineProtocol, outlineRequest, type RequestOutline } from './request-outline.js';
export { type RoutingTable, routingTable } from './routing-table.js';

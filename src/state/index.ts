export { MemoryStateStore, type MemoryStateStoreOptions } from './memory-state-store.js';
export {
  type AccountLocks,
  DEFAULT_BINDING_TTL_MS,
  DEFAULT_MAX_BINDINGS,
  FAILURE_COUNT_FADE_MS,
  type LastUsedRecord,
  type LockFilter,
  type StateStore,
} from './state-store.js';

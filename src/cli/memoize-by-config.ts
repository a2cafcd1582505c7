import type { ConfigStore } from '../config/config-store.js';
import type { SwitchyardConfig } from '../config/schema.js';

/** Derives a value from the frozen config, recomputed only when the config object changes. */
export function memoizeByConfig<T>(
  config: ConfigStore,
  derive: (config: Readonly<SwitchyardConfig>) => T,
): () => T {
  let source: Readonly<SwitchyardConfig> | null = null;
  let value: T;
  return () => {
    const current = config.get();
    if (current !== source) {
      value = derive(current);
      source = current;
    }
    return value;
  };
}

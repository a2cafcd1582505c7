import type { ConfigStore } from '../config/config-store.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { Gateway } from '../gateway/gateway.js';
import type { Logger } from '../observability/logger.js';
import type { StateStore } from '../state/state-store.js';
import type { AccountStore } from '../store/account-store.js';
import { ScheduledWarmup } from '../warmup/scheduled-warmup.js';

/** The scheduled warmup of `proxy.warmup.schedule`, reading the config on every tick; started. */
export function composeScheduledWarmup(options: {
  config: ConfigStore;
  accounts: AccountStore;
  gateway: Gateway;
  state: StateStore;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
}): ScheduledWarmup {
  const { config } = options;
  const warmup = new ScheduledWarmup({
    ...options,
    settings: () => {
      const { warmup: settings, quota_protection: protection } = config.get().proxy;
      return {
        schedule: {
          enabled: settings.schedule.enabled,
          intervalMs: settings.schedule.interval_minutes * 60_000,
          models: settings.schedule.models,
        },
        protection: {
          enabled: protection.enabled,
          thresholdPercentage: protection.threshold_percentage,
          monitoredModels: protection.monitored_models,
        },
      };
    },
  });
  warmup.start();
  return warmup;
}

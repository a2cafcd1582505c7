import type { ConfigStore } from '../config/config-store.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { Gateway } from '../gateway/gateway.js';
import type { Logger } from '../observability/logger.js';
import type { StateStore } from '../state/state-store.js';
import type { AccountStore } from '../store/account-store.js';
import type { RequestLogStore } from '../store/request-log-store.js';
import { ScheduledWarmup } from '../warmup/scheduled-warmup.js';
import { SCHEDULED_WARMUP_PATH } from '../warmup/warmup-request.js';

/** The newest request log rows read for the last warmups at start (the store's page limit). */
const HISTORY_ROWS = 1000;

/** The scheduled warmup of `proxy.warmup.schedule`, reading the config on every tick; started. */
export function composeScheduledWarmup(options: {
  config: ConfigStore;
  accounts: AccountStore;
  gateway: Gateway;
  state: StateStore;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  requestLog: Pick<RequestLogStore, 'query'>;
}): ScheduledWarmup {
  const { config, requestLog } = options;
  const warmup = new ScheduledWarmup({
    ...options,
    history: async () => {
      const page = await requestLog.query({ text: SCHEDULED_WARMUP_PATH, limit: HISTORY_ROWS });
      return page.rows
        .filter((row) => row.path === SCHEDULED_WARMUP_PATH && row.accountId !== null)
        .map((row) => ({
          accountId: row.accountId ?? '',
          model: row.clientModel ?? '',
          at: row.time,
          error: row.status >= 400 ? (row.error ?? `HTTP ${row.status}`) : row.error,
        }));
    },
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

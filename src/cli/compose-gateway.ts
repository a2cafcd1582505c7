import type { Kysely } from 'kysely';
import type { ConfigStore } from '../config/config-store.js';
import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { Gateway } from '../gateway/gateway.js';
import type { Logger } from '../observability/logger.js';
import { discardRequestLog, type RequestLogSink } from '../observability/request-log-entry.js';
import { type CredentialProvider, staticCredentials } from '../providers/auth/credential-provider.js';
import { UpstreamClient } from '../providers/upstream-client.js';
import { ModelRouter } from '../routing/index.js';
import { DEFAULT_WINDOW_MS } from '../scheduler/pick.js';
import { Scheduler, type SchedulerConfig } from '../scheduler/scheduler.js';
import { MemoryStateStore } from '../state/memory-state-store.js';
import type { StateStore } from '../state/state-store.js';
import type { AccountStore } from '../store/account-store.js';
import type { DatabaseSchema } from '../store/database-schema.js';
import { SqliteLockPersistence } from '../store/lock-store.js';

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

/** The scheduler's view of the config. */
export function schedulerConfig(config: Readonly<SwitchyardConfig>): SchedulerConfig {
  const { scheduling, quota_protection: protection, circuit_breaker: breaker } = config.proxy;
  return {
    scheduling: {
      mode: scheduling.mode,
      maxWaitSeconds: scheduling.max_wait_seconds,
      quotaProtection: {
        enabled: protection.enabled,
        thresholdPercentage: protection.threshold_percentage,
        monitoredModels: protection.monitored_models,
      },
      windowMs: DEFAULT_WINDOW_MS,
    },
    circuitBreaker: {
      enabled: breaker.enabled,
      backoffSteps: breaker.backoff_steps,
      maxLockSeconds: breaker.max_lock_seconds,
    },
  };
}

function proxyUrl(config: Readonly<SwitchyardConfig>): string | null {
  return config.proxy.upstream_proxy.enabled && config.proxy.upstream_proxy.url
    ? config.proxy.upstream_proxy.url
    : null;
}

export interface GatewayServices {
  state: StateStore;
  scheduler: Scheduler;
  upstream: UpstreamClient;
  gateway: Gateway;
  close(): Promise<void>;
}

/** Wires the request path: state store (locks persisted to SQLite), scheduler, upstream client, gateway. */
export async function composeGateway(options: {
  config: ConfigStore;
  accounts: AccountStore;
  db: Kysely<DatabaseSchema>;
  clock: Clock;
  logger: Logger;
  requestLog?: RequestLogSink;
  credentials?: CredentialProvider;
}): Promise<GatewayServices> {
  const { config, accounts, clock, logger } = options;
  const bindings = config.get().proxy.session_bindings;
  const state = await MemoryStateStore.create({
    clock,
    bindingTtlMs: bindings.ttl_seconds * 1000,
    maxBindings: bindings.max_bindings,
    lockPersistence: new SqliteLockPersistence(options.db),
  });
  const scheduler = new Scheduler({
    pool: accounts.pool,
    store: state,
    clock,
    config: memoizeByConfig(config, schedulerConfig),
    onBackgroundError: (error) => logger.error({ err: error }, 'scheduler clean-up failed'),
  });
  const upstream = new UpstreamClient({ proxyUrl: proxyUrl(config.get()) });
  const unsubscribe = config.subscribe((event) => {
    if (event.changed.includes('proxy.upstream_proxy'))
      upstream.reconfigure({ proxyUrl: proxyUrl(event.current) });
  });
  const gateway = new Gateway({
    accounts,
    scheduler,
    credentials: options.credentials ?? staticCredentials,
    upstream,
    config: () => config.get(),
    router: memoizeByConfig(config, (current) => new ModelRouter(current.proxy.custom_mapping)),
    requestLog: options.requestLog ?? discardRequestLog,
    clock,
    logger,
  });
  return {
    state,
    scheduler,
    upstream,
    gateway,
    async close() {
      unsubscribe();
      await scheduler.close();
      await upstream.close();
      await state.close();
    },
  };
}

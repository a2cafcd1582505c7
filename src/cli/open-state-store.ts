import type { ConfigStore } from '../config/config-store.js';
import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { LockPersistence } from '../core/limits.js';
import type { Logger } from '../observability/logger.js';
import { MemoryStateStore } from '../state/memory-state-store.js';
import { maskRedisUrl } from '../state/redis-url.js';
import type { StateStore } from '../state/state-store.js';

/**
 * The Redis URL of `state.backend: "redis"`: SWITCHYARD_REDIS_URL (`redisUrl`) when set, else
 * `state.redis_url`. Throws a clear error when there is none or it is no redis:// URL.
 */
export function resolveRedisUrl(state: SwitchyardConfig['state'], redisUrl: string | undefined): string {
  const url = redisUrl?.trim() || state.redis_url;
  if (!url) {
    throw new Error(
      'state.backend is "redis" but no Redis URL is set: set SWITCHYARD_REDIS_URL (or state.redis_url), e.g. redis://:PASSWORD@cache.internal:6379',
    );
  }
  if (!/^rediss?:\/\/[^/]/.test(url))
    throw new Error(`SWITCHYARD_REDIS_URL must be a redis:// or rediss:// URL, got ${maskRedisUrl(url)}`);
  return url;
}

/**
 * Opens the scheduling state the config names: in process (locks persisted to the store database
 * through `lockPersistence`), or Redis, shared by every instance. An unreachable Redis fails the
 * start with its URL (password masked) unless `allowDegradedStart`; degradation and recovery are
 * logged once each, not per request.
 */
export async function openStateStore(options: {
  config: ConfigStore;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  lockPersistence: LockPersistence;
  /** SWITCHYARD_REDIS_URL. */
  redisUrl?: string | undefined;
  allowDegradedStart?: boolean | undefined;
}): Promise<StateStore> {
  const { config, clock, logger } = options;
  const { session_bindings: bindings } = config.get().proxy;
  const common = { clock, bindingTtlMs: bindings.ttl_seconds * 1000, maxBindings: bindings.max_bindings };
  const state = config.get().state;
  if (state.backend === 'memory')
    return MemoryStateStore.create({ ...common, lockPersistence: options.lockPersistence });
  const url = resolveRedisUrl(state, options.redisUrl);
  const location = maskRedisUrl(url);
  // Loaded only here: an instance on in-process state never loads the Redis client.
  const { RedisStateStore } = await import('../state/redis-state-store.js');
  return RedisStateStore.connect({
    ...common,
    url,
    keyPrefix: state.key_prefix,
    ids: options.ids,
    commandTimeoutMs: state.command_timeout_ms,
    bindingLeaseMs: state.binding_lease_ms,
    allowDegradedStart: options.allowDegradedStart ?? false,
    onDegraded: (reason) =>
      logger.warn(
        { redis: location, reason },
        'shared scheduling state (Redis) cannot be reached: serving on local state until it answers',
      ),
    onRecovered: () =>
      logger.info(
        { redis: location },
        'shared scheduling state (Redis) answers again; local changes written back',
      ),
  });
}

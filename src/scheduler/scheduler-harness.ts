/** The scheduler over an in-memory pool and state store, for the scheduler's tests. */
import { MemoryAccountPool } from '../core/account-pool.js';
import { FakeClock } from '../core/clock.js';
import type { RateLimitLock } from '../core/limits.js';
import { MemoryStateStore } from '../state/memory-state-store.js';
import type { PickRequest, SchedulingConfig } from './pick.js';
import { DEFAULT_WINDOW_MS } from './pick.js';
import { RateLimitTracker } from './rate-limit-tracker.js';
import type { SchedulerConfig } from './scheduler.js';
import { Scheduler } from './scheduler.js';
import { testAccount } from './test-account.js';

export const MODEL = 'model-x';

export interface SchedulerHarness {
  scheduler: Scheduler;
  /** The rate-limit tracker the scheduler counts calls with. */
  limits: RateLimitTracker;
  store: MemoryStateStore;
  pool: MemoryAccountPool;
  clock: FakeClock;
  config: SchedulerConfig;
}

const open: SchedulerHarness[] = [];

/** Closes every harness opened since the last call (call it from `afterEach`). */
export async function closeHarnesses(): Promise<void> {
  for (const harness of open.splice(0)) {
    await harness.scheduler.close();
    await harness.limits.close();
    await harness.store.close();
  }
}

/** Accounts `a`, `b`, `c` (or `ids`), Balance, quota protection off, the circuit breaker on. */
export async function harness(
  options: { ids?: string[]; scheduling?: Partial<SchedulingConfig>; breakerEnabled?: boolean } = {},
): Promise<SchedulerHarness> {
  const clock = new FakeClock();
  const pool = new MemoryAccountPool((options.ids ?? ['a', 'b', 'c']).map((id) => testAccount(id)));
  const store = await MemoryStateStore.create({ clock });
  const config: SchedulerConfig = {
    scheduling: {
      mode: 'Balance',
      maxWaitSeconds: 60,
      quotaProtection: { enabled: false, thresholdPercentage: 10, monitoredModels: [] },
      windowMs: DEFAULT_WINDOW_MS,
      ...options.scheduling,
    },
    circuitBreaker: {
      enabled: options.breakerEnabled ?? true,
      backoffSteps: [60, 300, 1800, 7200],
      maxLockSeconds: 86_400,
    },
  };
  const limits = new RateLimitTracker({ pool, store, clock, config: () => config });
  const scheduler = new Scheduler({ pool, store, clock, config: () => config, limits });
  const created = { scheduler, limits, store, pool, clock, config };
  open.push(created);
  return created;
}

/** A request for `MODEL` without a session. */
export function request(overrides: Partial<PickRequest> = {}): PickRequest {
  return { sessionId: null, model: MODEL, attempted: new Set(), forceRotate: false, ...overrides };
}

/** A `backoff` lock of the account (model null) or of one model. */
export function lockFor(accountId: string, model: string | null, until: number): RateLimitLock {
  return {
    accountId,
    scope: model ? 'model' : 'account',
    model,
    reason: 'Unknown',
    source: 'backoff',
    until,
    detectedAt: 0,
    message: null,
  };
}

import type { AccountServices, Observability } from '../cli/compose-gateway.js';
import type { KeyServices } from '../cli/compose-keys.js';
import type { ConfigStore } from '../config/config-store.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { Gateway } from '../gateway/gateway.js';
import type { Logger } from '../observability/logger.js';
import type { RateLimitTracker } from '../scheduler/rate-limit-tracker.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { StateHealth } from '../state/state-store.js';
import type { AccountStore } from '../store/account-store.js';
import type { StoreAvailability } from '../store/store-health.js';
import type { StoreOutageReport } from '../store/store-outage-report.js';

/** Facts about the running process that routes report (status, settings page). */
export interface RuntimeInfo {
  dataDir: string;
  configPath: string;
  /** The address the gateway listens on now, or null before listen. */
  boundAddress(): { host: string; port: number } | null;
  /** Why the last re-listen after a host/port change failed, if it did. */
  listenError(): string | null;
}

/** Everything `createApp` needs; the CLI wires real ones, tests wire fakes. */
export interface AppDependencies {
  config: ConfigStore;
  accounts: AccountStore;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  runtime: RuntimeInfo;
  gateway: Gateway;
  scheduler: Scheduler;
  /** Whether the scheduling state is shared and reachable (status, health); absent: in process. */
  stateHealth?: () => StateHealth;
  /** Rate-limit locks: listed and cleared by the admin API. */
  limits: RateLimitTracker;
  observability: Observability;
  /** OAuth sign-in and quota refresh; their admin routes are registered only when present. */
  accountServices?: AccountServices;
  /** Client keys and usage: proxy auth by client key, `/api/keys`, `/api/usage`. */
  keys?: KeyServices;
  /** The store database's reachability (`/healthz`, status). Absent: reported as answering. */
  storeHealth?: () => StoreOutageReport;
  /**
   * Runs an admin read of the store (request log, usage): while the database does not answer it
   * fails at once with a 503 `store_unavailable` (`StoreAvailability.guard`). Absent: run as is.
   */
  storeReads?: Pick<StoreAvailability, 'guard'>;
}

import type { RuntimeInfo } from '../admin/routes/status-routes.js';

export type { RuntimeInfo };

import type { ConfigStore } from '../config/config-store.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { Gateway } from '../gateway/gateway.js';
import type { ClientKeyGate } from '../keys/client-key-gate.js';
import type { LiveFeed } from '../observability/live-feed.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RequestLogRecorder } from '../observability/request-log-thread.js';
import type { UsageRecorder } from '../observability/usage-recorder.js';
import type { OAuthLogin } from '../providers/auth/oauth-login.js';
import type { QuotaRefresher } from '../quota/quota-refresher.js';
import type { RateLimitTracker } from '../scheduler/rate-limit-tracker.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { StateHealth } from '../state/state-store.js';
import type { AccountStore } from '../store/account-store.js';
import type { ClientKeyStore } from '../store/client-key-store.js';
import type { RequestLogStore } from '../store/request-log-store.js';
import type { StoreAvailability } from '../store/store-health.js';
import type { StoreOutageReport } from '../store/store-outage-report.js';
import type { UsageStore } from '../store/usage-store.js';
import type { PriceTable } from '../usage/price-table.js';
import type { ScheduledWarmup } from '../warmup/scheduled-warmup.js';

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

/** OAuth sign-in and server-side quota refresh, for the admin routes. */
export interface AccountServices {
  oauthLogin: OAuthLogin;
  quotaRefresher: QuotaRefresher;
  /** The opt-in scheduled warmup of every account (`proxy.warmup.schedule`). */
  scheduledWarmup?: ScheduledWarmup;
}

/** The request log (store database, written by a worker thread), the live feed for the Monitor page, and Prometheus metrics. */
export interface Observability {
  requestLogStore: RequestLogStore;
  writer: RequestLogRecorder;
  feed: LiveFeed;
  metrics: Metrics;
}

/** Client keys and usage: the proxy's key checks, the admin routes of `/api/keys` and `/api/usage`. */
export interface KeyServices {
  store: ClientKeyStore;
  gate: ClientKeyGate;
  usage: UsageStore;
  /** Sums finished requests into `usage`; flushed before usage is read so answers are current. */
  recorder: UsageRecorder;
  /** The price table in force (`pricing.models` over the defaults). */
  prices: () => PriceTable;
  close(): Promise<void>;
}

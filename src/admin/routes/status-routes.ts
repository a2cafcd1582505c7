import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../../config/config-store.js';
import { VERSION } from '../../core/version.js';
import { OAUTH_PROVIDER_KINDS } from '../../providers/provider-kinds.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { effectiveAuthMode } from '../../server/route-policy.js';
import type { StateHealth } from '../../state/state-store.js';
import type { AccountStore } from '../../store/account-store.js';
import type { StoreOutageReport } from '../../store/store-outage-report.js';
import type { ProxyStatus } from '../contracts.js';
import { adminRoute } from './admin-route.js';

/** Facts about the running process that routes report (status, settings page). */
export interface RuntimeInfo {
  dataDir: string;
  configPath: string;
  /** The address the gateway listens on now, or null before listen. */
  boundAddress(): { host: string; port: number } | null;
  /** Why the last re-listen after a host/port change failed, if it did. */
  listenError(): string | null;
}

/** What `GET /api/proxy/status` reads. */
export interface StatusRoutesDependencies {
  config: Pick<ConfigStore, 'get' | 'problem' | 'pinned'>;
  accounts: Pick<AccountStore, 'list'>;
  scheduler: Pick<Scheduler, 'counts' | 'getFixedAccount'>;
  runtime: RuntimeInfo;
  /** Present when OAuth sign-in and quota refresh are wired (their routes are registered then). */
  accountServices?: object | undefined;
  /** Whether the scheduling state is shared and reachable; absent: in process. */
  stateHealth?: (() => StateHealth) | undefined;
  /** The store database's reachability; absent: reported as answering. */
  storeHealth?: (() => StoreOutageReport) | undefined;
}

/** What the UI may offer: sign-in for the OAuth providers with a configured client, quota refresh. */
function features(deps: StatusRoutesDependencies): ProxyStatus['features'] {
  // Without account services the sign-in and refresh routes are not registered at all.
  if (!deps.accountServices) return { oauth_login: [], quota_refresh: false };
  const clients = deps.config.get().oauth.clients;
  return {
    oauth_login: OAUTH_PROVIDER_KINDS.filter((provider) => Object.hasOwn(clients, provider)),
    quota_refresh: true,
  };
}

const IN_PROCESS: StateHealth = {
  backend: 'memory',
  location: 'in process',
  degraded: false,
  reason: null,
  since: null,
};

/** Builds the status document shared by `GET /api/proxy/status` and the CLI. */
export async function proxyStatus(deps: StatusRoutesDependencies): Promise<ProxyStatus> {
  const config = deps.config.get();
  const bound = deps.runtime.boundAddress();
  const all = deps.accounts.list();
  const active = all.filter((account) => !account.disabled && !account.proxyDisabled).length;
  const host = bound?.host ?? '127.0.0.1';
  const [counts, fixedAccountId] = await Promise.all([
    deps.scheduler.counts(),
    deps.scheduler.getFixedAccount(),
  ]);
  const state = deps.stateHealth?.() ?? IN_PROCESS;
  return {
    running: bound !== null,
    host,
    port: bound?.port ?? config.proxy.port,
    version: VERSION,
    active_accounts: active,
    total_accounts: all.length,
    auth_mode: effectiveAuthMode(config.proxy.auth_mode, host),
    config_error: deps.config.problem()?.message ?? null,
    pinned_settings: deps.config.pinned(),
    listen_error: deps.runtime.listenError(),
    data_dir: deps.runtime.dataDir,
    config_path: deps.runtime.configPath,
    session_bindings: counts.bindings,
    active_locks: counts.activeLocks,
    fixed_account_id: fixedAccountId,
    ...storeStatus(deps),
    state: { backend: state.backend, location: state.location, reason: state.reason, since: state.since },
    state_degraded: state.degraded,
    features: features(deps),
  };
}

/** `store_degraded` and `store` of the status document. */
export function storeStatus(
  deps: Pick<StatusRoutesDependencies, 'storeHealth' | 'runtime'>,
): Pick<ProxyStatus, 'store_degraded' | 'store'> {
  const report = deps.storeHealth?.();
  const store = report ?? {
    backend: 'sqlite' as const,
    location: deps.runtime.dataDir,
    degraded: false,
    reason: null,
    since: null,
    held_writes: {},
    dropped_writes: {},
  };
  return { store_degraded: store.degraded, store };
}

export function registerStatusRoutes(app: FastifyInstance, deps: StatusRoutesDependencies): void {
  app.get('/api/proxy/status', adminRoute, async () => proxyStatus(deps));
}

import type { FastifyPluginAsync } from 'fastify';
import { type AccountRoutesDependencies, registerAccountRoutes } from './routes/account-routes.js';
import { registerConfigRoutes } from './routes/config-routes.js';
import { type KeyRoutesDependencies, registerKeyRoutes } from './routes/key-routes.js';
import { type LogRoutesDependencies, registerLogRoutes } from './routes/log-routes.js';
import { type OAuthRouteDependencies, registerOAuthRoutes } from './routes/oauth-routes.js';
import { type QuotaRouteDependencies, registerQuotaRoutes } from './routes/quota-routes.js';
import { registerSchedulingRoutes, type SchedulingRoutesDependencies } from './routes/scheduling-routes.js';
import { registerStatusRoutes, type StatusRoutesDependencies } from './routes/status-routes.js';
import { registerUsageRoutes, type UsageRoutesDependencies } from './routes/usage-routes.js';
import { registerWarmupRoutes, type WarmupRouteDependencies } from './routes/warmup-routes.js';

/** Everything the admin API reads: the union of what its route modules declare. */
export interface AdminDependencies
  extends AccountRoutesDependencies,
    Omit<StatusRoutesDependencies, 'accounts' | 'config' | 'scheduler'>,
    Omit<SchedulingRoutesDependencies, 'accounts' | 'config' | 'scheduler' | 'clock'> {
  config: AccountRoutesDependencies['config'] &
    StatusRoutesDependencies['config'] &
    SchedulingRoutesDependencies['config'];
  scheduler: AccountRoutesDependencies['scheduler'] &
    StatusRoutesDependencies['scheduler'] &
    SchedulingRoutesDependencies['scheduler'];
  /** Client keys and usage; `/api/keys` and `/api/usage` are registered only when present. */
  keys?: (KeyRoutesDependencies['keys'] & UsageRoutesDependencies['keys']) | undefined;
  /** OAuth sign-in and quota refresh; their routes are registered only when present. */
  accountServices?:
    | (OAuthRouteDependencies['accountServices'] &
        QuotaRouteDependencies['accountServices'] & {
          scheduledWarmup?: WarmupRouteDependencies['scheduledWarmup'];
        })
    | undefined;
  /** Guards the reads of the store database: a 503 `store_unavailable` while it does not answer. */
  storeReads?: UsageRoutesDependencies['storeReads'];
  /** The `/api/logs` routes. */
  logs: LogRoutesDependencies;
}

/**
 * The admin API as a Fastify plugin: every `/api/*` route except `/api/health` (registered by the
 * app). The routes declare their policy (admin auth, admin error shape) in their route config; the
 * app's hooks enforce it, so register this after them: `await app.register(adminRoutes, deps)`.
 */
export const adminRoutes: FastifyPluginAsync<AdminDependencies> = async (app, deps) => {
  registerAccountRoutes(app, deps);
  registerConfigRoutes(app, deps);
  registerStatusRoutes(app, deps);
  registerSchedulingRoutes(app, deps);
  const { accountServices, keys } = deps;
  registerWarmupRoutes(app, { config: deps.config, scheduledWarmup: accountServices?.scheduledWarmup });
  if (keys) {
    registerKeyRoutes(app, { keys, accounts: deps.accounts, clock: deps.clock, logger: deps.logger });
    registerUsageRoutes(app, {
      keys,
      accounts: deps.accounts,
      clock: deps.clock,
      storeReads: deps.storeReads,
    });
  }
  if (accountServices) {
    registerOAuthRoutes(app, { accountServices, runtime: deps.runtime });
    registerQuotaRoutes(app, { accountServices, accounts: deps.accounts });
  }
  registerLogRoutes(app, deps.logs);
};

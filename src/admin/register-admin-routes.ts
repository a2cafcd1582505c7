import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from '../server/app-dependencies.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { registerConfigRoutes } from './routes/config-routes.js';
import { registerKeyRoutes } from './routes/key-routes.js';
import { registerOAuthRoutes } from './routes/oauth-routes.js';
import { registerQuotaRoutes } from './routes/quota-routes.js';
import { registerSchedulingRoutes } from './routes/scheduling-routes.js';
import { registerStatusRoutes } from './routes/status-routes.js';
import { registerUsageRoutes } from './routes/usage-routes.js';
import { registerWarmupRoutes } from './routes/warmup-routes.js';

/** Every `/api/*` route. All of them require admin auth except `/api/health` (registered by the app). */
export async function registerAdminRoutes(app: FastifyInstance, deps: AppDependencies): Promise<void> {
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
}

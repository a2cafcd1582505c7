import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../../config/config-store.js';
import type { Account } from '../../core/account.js';
import type { Clock } from '../../core/clock.js';
import { SwitchyardError } from '../../core/errors.js';
import { newApiKey } from '../../core/ids.js';
import { isPredictedLock, type RateLimitLock } from '../../core/limits.js';
import { parseOrThrow } from '../../core/validation.js';
import type { Gateway } from '../../gateway/gateway.js';
import { BUILTIN_MODEL_ALIASES } from '../../routing/index.js';
import type { RateLimitTracker } from '../../scheduler/rate-limit-tracker.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { AccountStore } from '../../store/account-store.js';
import {
  type FixedAccountState,
  fixedAccountBody,
  type ModelAliasesView,
  mappingTestBody,
  type RateLimitView,
  type SchedulingSettings,
  schedulingPatch,
} from '../contracts.js';
import { adminRoute } from './admin-route.js';

/** What the scheduling, rate-limit, API key and model alias routes need. */
export interface SchedulingRoutesDependencies {
  config: Pick<ConfigStore, 'get' | 'update'>;
  accounts: Pick<AccountStore, 'get'>;
  scheduler: Pick<Scheduler, 'clearBindings' | 'getFixedAccount' | 'setFixedAccount'>;
  limits: Pick<RateLimitTracker, 'listLocks' | 'clearLocks'>;
  gateway: Pick<Gateway, 'routing'>;
  clock: Clock;
}

function schedulingView(deps: SchedulingRoutesDependencies): SchedulingSettings {
  const { mode, max_wait_seconds } = deps.config.get().proxy.scheduling;
  return { mode, max_wait_seconds };
}

function lockView(lock: RateLimitLock, account: Account | undefined, now: number): RateLimitView {
  return {
    account_id: lock.accountId,
    account_email: account?.email ?? null,
    scope: lock.scope,
    model: lock.model,
    reason: lock.reason,
    source: lock.source,
    predicted: isPredictedLock(lock),
    until: new Date(lock.until).toISOString(),
    remaining_seconds: Math.max(0, Math.ceil((lock.until - now) / 1000)),
    message: lock.message,
  };
}

/** Why the pinned account is not taking requests right now, or null when it is usable. */
export function fixedBypassReason(
  account: Account | undefined,
  locks: readonly RateLimitLock[],
  now: number,
): string | null {
  if (!account) return 'the account no longer exists';
  if (account.disabled) return `disabled${account.disabledReason ? `: ${account.disabledReason}` : ''}`;
  if (account.proxyDisabled) return 'proxy is turned off for this account';
  const active = locks.filter((lock) => lock.accountId === account.id && lock.until > now);
  const accountLock = active.find((lock) => lock.scope === 'account');
  if (accountLock) {
    const seconds = Math.ceil((accountLock.until - now) / 1000);
    return `rate-limited (${accountLock.reason}, ${accountLock.source}) for ${seconds} s`;
  }
  const models = active.filter((lock) => lock.scope === 'model').map((lock) => lock.model);
  return models.length > 0 ? `rate-limited for ${models.join(', ')}` : null;
}

async function fixedAccountState(deps: SchedulingRoutesDependencies): Promise<FixedAccountState> {
  const accountId = await deps.scheduler.getFixedAccount();
  if (accountId === null) return { account_id: null, bypassed_reason: null };
  const locks = await deps.limits.listLocks();
  return {
    account_id: accountId,
    bypassed_reason: fixedBypassReason(deps.accounts.get(accountId), locks, deps.clock.now()),
  };
}

/**
 * Hot scheduling control: mode (persisted to gui_config.json), fixed account (runtime only),
 * session bindings, rate-limit records, the API key, and a model-mapping tester.
 */
export function registerSchedulingRoutes(app: FastifyInstance, deps: SchedulingRoutesDependencies): void {
  app.get('/api/proxy/scheduling', adminRoute, async () => schedulingView(deps));

  app.put('/api/proxy/scheduling', adminRoute, async (request) => {
    const patch = parseOrThrow(schedulingPatch, request.body, 'scheduling settings');
    await deps.config.update({ proxy: { scheduling: patch } }, 'api');
    return schedulingView(deps);
  });

  app.post('/api/proxy/session-bindings/clear', adminRoute, async () => ({
    cleared: await deps.scheduler.clearBindings(),
  }));

  app.get('/api/proxy/fixed-account', adminRoute, async () => fixedAccountState(deps));

  app.put('/api/proxy/fixed-account', adminRoute, async (request) => {
    const body = parseOrThrow(fixedAccountBody, request.body, 'fixed account');
    await deps.scheduler.setFixedAccount(body.account_id);
    return fixedAccountState(deps);
  });

  app.get('/api/proxy/rate-limits', adminRoute, async () => {
    const now = deps.clock.now();
    const locks = await deps.limits.listLocks();
    return { rate_limits: locks.map((lock) => lockView(lock, deps.accounts.get(lock.accountId), now)) };
  });

  app.delete('/api/proxy/rate-limits', adminRoute, async () => ({
    cleared: await deps.limits.clearLocks(),
  }));

  app.delete<{ Params: { accountId: string } }>(
    '/api/proxy/rate-limits/:accountId',
    adminRoute,
    async (request) => {
      const { accountId } = request.params;
      if (!deps.accounts.get(accountId))
        throw new SwitchyardError('not_found', `No account with id ${accountId}`);
      return { cleared: await deps.limits.clearLocks(accountId) };
    },
  );

  app.post('/api/proxy/api-key/regenerate', adminRoute, async () => {
    const apiKey = newApiKey();
    await deps.config.update({ proxy: { api_key: apiKey } }, 'api');
    return { api_key: apiKey };
  });

  app.post('/api/proxy/mapping/test', adminRoute, async (request) => {
    const body = parseOrThrow(mappingTestBody, request.body, 'mapping test');
    const result = deps.gateway.routing().router.resolve(body.model);
    return {
      model: body.model,
      mapped: result.mapped,
      models: [...result.models],
      rule: result.rule,
      kind: result.kind,
    };
  });

  app.get('/api/proxy/model-aliases', adminRoute, async (): Promise<ModelAliasesView> => {
    const { model_aliases: settings } = deps.config.get().proxy;
    const aliases = deps.gateway.routing().aliases;
    return {
      enabled: settings.enabled,
      aliases: aliases.map((alias) => ({ ...alias, models: [...alias.models] })),
      removed: BUILTIN_MODEL_ALIASES.filter((alias) => settings.overrides[alias.pattern] === null).map(
        (alias) => alias.pattern,
      ),
    };
  });
}

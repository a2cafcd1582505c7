import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../../config/config-store.js';
import type { Clock } from '../../core/clock.js';
import { SwitchyardError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/validation.js';
import type { Logger } from '../../observability/logger.js';
import { oauthClientsFromConfig } from '../../providers/auth/oauth-clients.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { exportAccounts } from '../../store/account-export.js';
import type { AccountStore } from '../../store/account-store.js';
import { toPublicAccount } from '../../store/public-account.js';
import type { ImportResult } from '../account-contracts.js';
import { importInputs, toAccountPatch, toNewAccountInput } from '../account-input.js';
import { toAccountViews } from '../account-view.js';
import { createAccountBody, exportBody, patchAccountBody } from '../contracts.js';
import { importWarnings } from '../import-warnings.js';
import { adminRoute } from './admin-route.js';

/** What the `/api/accounts` routes need. */
export interface AccountRoutesDependencies {
  accounts: AccountStore;
  /** Each account's availability per model, for the list and detail views. */
  scheduler: Pick<Scheduler, 'availability'>;
  config: Pick<ConfigStore, 'get'>;
  clock: Clock;
  logger: Logger;
}

interface IdParams {
  id: string;
}

/** `/api/accounts` CRUD, import and export. Every write goes through the account store, which keeps the pool in sync. */
export function registerAccountRoutes(app: FastifyInstance, deps: AccountRoutesDependencies): void {
  const { accounts } = deps;
  const find = (id: string) => {
    const account = accounts.get(id);
    if (!account) throw new SwitchyardError('not_found', `No account with id ${id}`);
    return account;
  };

  app.get('/api/accounts', adminRoute, async () => ({
    accounts: await toAccountViews(accounts.list(), deps.scheduler),
  }));

  app.post('/api/accounts', adminRoute, async (request, reply) => {
    const body = parseOrThrow(createAccountBody, request.body, 'account');
    const account = await accounts.create(toNewAccountInput(body));
    deps.logger.info(
      { accountId: account.id, provider: account.provider, email: account.email },
      'account added',
    );
    return reply.status(201).send(toPublicAccount(account));
  });

  app.post('/api/accounts/import', adminRoute, async (request): Promise<ImportResult> => {
    const inputs = await importInputs(request.body, { now: deps.clock.now() });
    const result = await accounts.upsertMany(inputs);
    const warnings = importWarnings(inputs, oauthClientsFromConfig(deps.config.get().oauth.clients));
    deps.logger.info({ created: result.created.length, updated: result.updated.length }, 'accounts imported');
    return {
      created: result.created.map(toPublicAccount),
      updated: result.updated.map(toPublicAccount),
      warnings,
    };
  });

  // POST, so the passphrase travels in the body, never in a URL (logs, history, proxies).
  app.post('/api/accounts/export', adminRoute, async (request, reply) => {
    const body = parseOrThrow(exportBody, request.body ?? {}, 'export request');
    const now = deps.clock.now();
    const protection =
      body.passphrase !== undefined ? { passphrase: body.passphrase } : { plain: true as const };
    const document = await exportAccounts(accounts.list(), { now, protection });
    deps.logger.info(
      { accounts: document.accounts.length, encrypted: document.encryption !== null },
      'accounts exported',
    );
    const day = new Date(now).toISOString().slice(0, 10);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="switchyard-accounts-${day}.json"`)
      .send(document);
  });

  app.get<{ Params: IdParams }>('/api/accounts/:id', adminRoute, async (request) => {
    const [view] = await toAccountViews([find(request.params.id)], deps.scheduler);
    return view;
  });

  app.patch<{ Params: IdParams }>('/api/accounts/:id', adminRoute, async (request) => {
    find(request.params.id);
    const body = parseOrThrow(patchAccountBody, request.body, 'account change');
    const account = await accounts.update(request.params.id, toAccountPatch(body));
    return toPublicAccount(account);
  });

  app.delete<{ Params: IdParams }>('/api/accounts/:id', adminRoute, async (request, reply) => {
    const removed = await accounts.remove(request.params.id);
    if (!removed) throw new SwitchyardError('not_found', `No account with id ${request.params.id}`);
    deps.logger.info({ accountId: removed.id, email: removed.email }, 'account removed');
    return reply.status(204).send();
  });
}

import type { FastifyInstance } from 'fastify';
import type { Account } from '../../core/account.js';
import type { ClientKey } from '../../core/client-key.js';
import type { Clock } from '../../core/clock.js';
import { SwitchyardError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/validation.js';
import type { ClientKeyGate } from '../../keys/client-key-gate.js';
import type { Logger } from '../../observability/logger.js';
import type { ClientKeyStore } from '../../store/client-key-store.js';
import { createKeyBody, type IssuedKeyView, type PublicClientKey, patchKeyBody } from '../key-contracts.js';
import {
  checkPinnedAccount,
  toClientKeyPatch,
  toNewClientKeyInput,
  toPublicClientKey,
} from '../key-input.js';
import { adminRoute } from './admin-route.js';

interface IdParams {
  id: string;
}

export interface KeyRoutesDependencies {
  keys: { store: ClientKeyStore; gate: ClientKeyGate };
  accounts: { get(id: string): Account | undefined };
  clock: Clock;
  logger: Logger;
}

/**
 * `/api/keys`: list (with each key's usage in its limit windows), create and rotate (the answer
 * holds the secret, the only time it is shown), change, revoke. Admin only, like every `/api` route.
 */
export function registerKeyRoutes(app: FastifyInstance, deps: KeyRoutesDependencies): void {
  const { store, gate } = deps.keys;
  const view = async (key: ClientKey): Promise<PublicClientKey> => {
    const now = deps.clock.now();
    return toPublicClientKey(key, await gate.windowUsage(key.id, now), now);
  };
  const find = (id: string): ClientKey => {
    const key = store.get(id);
    if (!key) throw new SwitchyardError('not_found', `No client key with id ${id}`);
    return key;
  };

  app.get('/api/keys', adminRoute, async () => ({ keys: await Promise.all(store.list().map(view)) }));

  app.get<{ Params: IdParams }>('/api/keys/:id', adminRoute, async (request) =>
    view(find(request.params.id)),
  );

  app.post('/api/keys', adminRoute, async (request, reply) => {
    const body = parseOrThrow(createKeyBody, request.body, 'client key');
    checkPinnedAccount(deps.accounts, body.account_id);
    const issued = await store.create(toNewClientKeyInput(body));
    deps.logger.info({ keyId: issued.key.id, name: issued.key.name }, 'client key created');
    const answer: IssuedKeyView = { key: await view(issued.key), secret: issued.secret };
    return reply.status(201).send(answer);
  });

  app.patch<{ Params: IdParams }>('/api/keys/:id', adminRoute, async (request) => {
    find(request.params.id);
    const body = parseOrThrow(patchKeyBody, request.body, 'client key change');
    checkPinnedAccount(deps.accounts, body.account_id);
    return view(await store.update(request.params.id, toClientKeyPatch(body)));
  });

  app.post<{ Params: IdParams }>('/api/keys/:id/rotate', adminRoute, async (request) => {
    const issued = await store.rotate(find(request.params.id).id);
    deps.logger.info({ keyId: issued.key.id, name: issued.key.name }, 'client key rotated');
    const answer: IssuedKeyView = { key: await view(issued.key), secret: issued.secret };
    return answer;
  });

  app.post<{ Params: IdParams }>('/api/keys/:id/revoke', adminRoute, async (request) => {
    const key = await store.revoke(find(request.params.id).id);
    deps.logger.info({ keyId: key.id, name: key.name }, 'client key revoked');
    return view(key);
  });
}

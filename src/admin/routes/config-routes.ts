import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../../config/config-store.js';
import { SwitchyardError } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';
import { maskConfigSecrets, restoreMaskedSecrets } from '../config-secrets.js';
import { adminRoute } from './admin-route.js';

/**
 * `GET /api/config` shows the config in force; `PUT /api/config` merges a partial body, validated,
 * hot. Secrets are write-only: both answers mask them, and a mask sent back keeps the stored value
 * (`config-secrets.ts`).
 */
export function registerConfigRoutes(
  app: FastifyInstance,
  deps: { config: Pick<ConfigStore, 'get' | 'update'> },
): void {
  app.get('/api/config', adminRoute, async () => maskConfigSecrets(deps.config.get()));

  app.put('/api/config', adminRoute, async (request) => {
    if (!isJsonObject(request.body)) {
      throw new SwitchyardError(
        'validation_failed',
        'Config change must be a JSON object, e.g. {"proxy": {"port": 8046}}',
      );
    }
    const patch = restoreMaskedSecrets(request.body, deps.config.get());
    return maskConfigSecrets(await deps.config.update(patch, 'api'));
  });
}

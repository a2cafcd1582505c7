/**
 * Makes every app the gateway runtime creates serve the built UI, for `vi.mock` of
 * `src/server/create-app.js` in the UI tests (until createApp registers the UI itself; then this
 * adds nothing):
 *
 * ```ts
 * vi.mock('../../src/server/create-app.js', async (importOriginal) =>
 *   (await import('./support/serve-ui.js')).withStaticUi(await importOriginal()),
 * );
 * ```
 */
import type { FastifyInstance } from 'fastify';
import type * as CreateAppModule from '../../../src/server/create-app.js';
import { defaultUiRoot, registerStaticUi } from '../../../src/server/static-ui.js';

export function withStaticUi(original: typeof CreateAppModule): typeof CreateAppModule {
  return {
    ...original,
    async createApp(deps): Promise<FastifyInstance> {
      const app = await original.createApp(deps);
      if (!app.hasRoute({ method: 'GET', url: '/*' })) await registerStaticUi(app, { root: defaultUiRoot() });
      return app;
    },
  };
}

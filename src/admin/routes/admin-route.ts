import type { RoutePolicy } from '../../server/create-app.js';

/** Route options for an admin endpoint: admin auth, admin error shape. */
export const adminRoute = { config: { policy: { dialect: 'admin', auth: 'admin' } satisfies RoutePolicy } };

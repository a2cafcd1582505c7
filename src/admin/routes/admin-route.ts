import type { RoutePolicy } from '../../server/route-policy.js';

/** Route options for an admin endpoint: admin auth, admin error shape. */
export const adminRoute = { config: { policy: { dialect: 'admin', auth: 'admin' } satisfies RoutePolicy } };

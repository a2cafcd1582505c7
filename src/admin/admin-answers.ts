/**
 * The schema of every admin route's successful answer, by `METHOD /path` as the route is
 * registered. A test checks that every registered `/api` route is listed here, and the test harness
 * parses every successful admin answer of the tests with its schema, so the contract and the
 * routes cannot drift apart.
 */
import type { z } from 'zod';
import { configSchema } from '../config/schema.js';
import { exportDocumentSchema } from '../store/account-export.js';
import { accountList, accountView, importResult, publicAccount } from './account-contracts.js';
import {
  accountQuotaRefresh,
  clearedCount,
  fixedAccountState,
  healthAnswer,
  mappingTestResult,
  modelAliasesView,
  oauthCompleteResult,
  oauthLoginStatus,
  oauthStartResult,
  proxyStatus,
  quotaRefreshSummary,
  rateLimitList,
  regeneratedApiKey,
  schedulingSettings,
} from './contracts.js';
import { issuedKey, keyList, publicClientKey } from './key-contracts.js';
import { logPage, requestLogRecord } from './log-contracts.js';
import { priceList, usageReport } from './usage-contracts.js';
import { warmupStatus } from './warmup-contracts.js';

/** The answer's schema; null for a route that answers without a JSON body (204, a stream). */
export const ADMIN_ANSWERS: Readonly<Record<string, z.ZodType | null>> = {
  'GET /api/health': healthAnswer,
  'GET /api/accounts': accountList,
  'POST /api/accounts': publicAccount,
  'GET /api/accounts/:id': accountView,
  'PATCH /api/accounts/:id': publicAccount,
  'DELETE /api/accounts/:id': null,
  'POST /api/accounts/import': importResult,
  'POST /api/accounts/export': exportDocumentSchema,
  'POST /api/accounts/oauth/start': oauthStartResult,
  'POST /api/accounts/oauth/complete': oauthCompleteResult,
  'GET /api/accounts/oauth/:state': oauthLoginStatus,
  'POST /api/accounts/:id/refresh-quota': accountQuotaRefresh,
  'POST /api/accounts/refresh-quota': quotaRefreshSummary,
  'GET /api/config': configSchema,
  'PUT /api/config': configSchema,
  'GET /api/proxy/status': proxyStatus,
  'GET /api/proxy/scheduling': schedulingSettings,
  'PUT /api/proxy/scheduling': schedulingSettings,
  'POST /api/proxy/session-bindings/clear': clearedCount,
  'GET /api/proxy/fixed-account': fixedAccountState,
  'PUT /api/proxy/fixed-account': fixedAccountState,
  'GET /api/proxy/rate-limits': rateLimitList,
  'DELETE /api/proxy/rate-limits': clearedCount,
  'DELETE /api/proxy/rate-limits/:accountId': clearedCount,
  'POST /api/proxy/api-key/regenerate': regeneratedApiKey,
  'POST /api/proxy/mapping/test': mappingTestResult,
  'GET /api/proxy/model-aliases': modelAliasesView,
  'GET /api/proxy/warmup': warmupStatus,
  'GET /api/keys': keyList,
  'POST /api/keys': issuedKey,
  'GET /api/keys/:id': publicClientKey,
  'PATCH /api/keys/:id': publicClientKey,
  'POST /api/keys/:id/rotate': issuedKey,
  'POST /api/keys/:id/revoke': publicClientKey,
  'GET /api/usage': usageReport,
  'GET /api/usage/prices': priceList,
  'GET /api/logs': logPage,
  'DELETE /api/logs': null,
  'GET /api/logs/:id': requestLogRecord,
  'GET /api/logs/stream': null,
};

/**
 * The registered route a request reaches: `METHOD /path` with `:params`, static segments winning
 * over parameters as in the router; null when no listed route matches.
 */
export function adminRouteOf(method: string, url: string): string | null {
  const segments = (url.split('?')[0] ?? '').split('/');
  let best: { route: string; fixed: number } | null = null;
  for (const route of Object.keys(ADMIN_ANSWERS)) {
    const [routeMethod, path = ''] = route.split(' ');
    const pattern = path.split('/');
    if (routeMethod !== method.toUpperCase() || pattern.length !== segments.length) continue;
    if (!pattern.every((part, index) => part.startsWith(':') || part === segments[index])) continue;
    const fixed = pattern.filter((part) => !part.startsWith(':')).length;
    if (best === null || fixed > best.fixed) best = { route, fixed };
  }
  return best?.route ?? null;
}

/**
 * The admin API client: JSON over fetch with the stored admin credential as a Bearer token. Every
 * failure becomes an `ApiError` carrying the server's `{error: {code, message}}`. A 401 also calls
 * `onUnauthorized`, so the app can return to the login screen.
 */

import {
  accountList,
  accountQuotaRefresh,
  clearedCount,
  fixedAccountState,
  importResult,
  issuedKey,
  keyList,
  logPage,
  mappingTestResult,
  oauthCompleteResult,
  oauthLoginStatus,
  oauthStartResult,
  priceList,
  proxyStatus,
  publicAccount,
  publicClientKey,
  quotaRefreshSummary,
  rateLimitList,
  regeneratedApiKey,
  requestLogRecord,
  schedulingSettings,
  usageReport,
  warmupStatus,
} from '@contracts';
import { ApiError, apiErrorFrom } from './api-error.js';
import { credentialStore } from './credential-store.js';
import type {
  AccountQuotaRefresh,
  AccountView,
  ConfigPatch,
  CreateAccountBody,
  CreateKeyBody,
  FixedAccountState,
  ImportResult,
  IssuedKeyView,
  LogPage,
  MappingTestResult,
  OAuthCompleteBody,
  OAuthCompleteResult,
  OAuthLoginStatusView,
  OAuthStartResult,
  PatchAccountBody,
  PatchKeyBody,
  PriceListView,
  ProviderKind,
  ProxyStatus,
  PublicAccount,
  PublicClientKey,
  QuotaRefreshSummaryView,
  RateLimitView,
  RequestLogRecord,
  SchedulingSettings,
  SwitchyardConfig,
  UsageReportView,
  WarmupStatus,
} from './types.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Schema<T> {
  parse(value: unknown): T;
}

let unauthorizedListener: (() => void) | null = null;

/** Called whenever the server rejects the stored credential. */
export function onUnauthorized(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

async function call<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const credential = credentialStore.get();
  if (credential) headers['authorization'] = `Bearer ${credential}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, 'network_error', `The gateway did not answer (${(error as Error).message}).`);
  }
  const text = await response.text();
  if (!response.ok) {
    // A 401 for a credential replaced meanwhile (API key regenerated) is not a reason to sign out.
    if (response.status === 401 && credentialStore.get() === credential) unauthorizedListener?.();
    throw apiErrorFrom(response.status, text);
  }
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(
      response.status,
      'bad_response',
      `The gateway sent something that is not JSON: ${text.slice(0, 120)}`,
    );
  }
}

/** A call whose answer is checked against the server's own zod contract. */
async function checked<T>(schema: Schema<T>, method: Method, path: string, body?: unknown): Promise<T> {
  const value = await call<unknown>(method, path, body);
  try {
    return schema.parse(value);
  } catch (error) {
    throw new ApiError(200, 'bad_response', `Unexpected answer from ${path}: ${(error as Error).message}`);
  }
}

const id = (value: string) => encodeURIComponent(value);

/** Every admin endpoint the UI uses. */
export const api = {
  /** Checks a credential without storing it: true when the server accepts it. */
  async verifyCredential(credential: string): Promise<boolean> {
    const response = await fetch('/api/proxy/status', { headers: { authorization: `Bearer ${credential}` } });
    if (response.status === 401) return false;
    if (!response.ok) throw apiErrorFrom(response.status, await response.text());
    return true;
  },
  status: (): Promise<ProxyStatus> => checked(proxyStatus, 'GET', '/api/proxy/status'),

  /** The accounts with each model's availability (protected, locked, predicted out), as the server decides it. */
  listAccounts: async (): Promise<AccountView[]> =>
    (await checked(accountList, 'GET', '/api/accounts')).accounts,
  createAccount: (body: CreateAccountBody): Promise<PublicAccount> =>
    checked(publicAccount, 'POST', '/api/accounts', body),
  updateAccount: (accountId: string, patch: PatchAccountBody): Promise<PublicAccount> =>
    checked(publicAccount, 'PATCH', `/api/accounts/${id(accountId)}`, patch),
  deleteAccount: (accountId: string): Promise<void> => call('DELETE', `/api/accounts/${id(accountId)}`),
  importAccounts: (document: unknown): Promise<ImportResult> =>
    checked(importResult, 'POST', '/api/accounts/import', document),
  /** Begins an OAuth sign-in; the gateway's own `/auth/callback` receives the browser afterwards. */
  startOAuth: (provider: ProviderKind): Promise<OAuthStartResult> =>
    checked(oauthStartResult, 'POST', '/api/accounts/oauth/start', { provider }),
  /** Where a sign-in stands; `not_found` once it expired. */
  oauthStatus: (state: string): Promise<OAuthLoginStatusView> =>
    checked(oauthLoginStatus, 'GET', `/api/accounts/oauth/${id(state)}`),
  /** Finishes a sign-in with the pasted redirect URL or code. */
  completeOAuth: (body: OAuthCompleteBody): Promise<OAuthCompleteResult> =>
    checked(oauthCompleteResult, 'POST', '/api/accounts/oauth/complete', body),
  refreshQuota: (accountId: string): Promise<AccountQuotaRefresh> =>
    checked(accountQuotaRefresh, 'POST', `/api/accounts/${id(accountId)}/refresh-quota`),
  refreshAllQuotas: (): Promise<QuotaRefreshSummaryView> =>
    checked(quotaRefreshSummary, 'POST', '/api/accounts/refresh-quota'),

  config: (): Promise<SwitchyardConfig> => call('GET', '/api/config'),
  updateConfig: (patch: ConfigPatch): Promise<SwitchyardConfig> => call('PUT', '/api/config', patch),

  scheduling: (): Promise<SchedulingSettings> => checked(schedulingSettings, 'GET', '/api/proxy/scheduling'),
  updateScheduling: (patch: Partial<SchedulingSettings>): Promise<SchedulingSettings> =>
    checked(schedulingSettings, 'PUT', '/api/proxy/scheduling', patch),
  fixedAccount: (): Promise<FixedAccountState> =>
    checked(fixedAccountState, 'GET', '/api/proxy/fixed-account'),
  setFixedAccount: (accountId: string | null): Promise<FixedAccountState> =>
    checked(fixedAccountState, 'PUT', '/api/proxy/fixed-account', { account_id: accountId }),
  clearBindings: async (): Promise<number> =>
    (await checked(clearedCount, 'POST', '/api/proxy/session-bindings/clear')).cleared,
  /** The scheduled warmup: per account and model, the last warmup and when the next is due. */
  warmupStatus: (): Promise<WarmupStatus> => checked(warmupStatus, 'GET', '/api/proxy/warmup'),
  rateLimits: async (): Promise<RateLimitView[]> =>
    (await checked(rateLimitList, 'GET', '/api/proxy/rate-limits')).rate_limits,
  clearRateLimits: async (): Promise<number> =>
    (await checked(clearedCount, 'DELETE', '/api/proxy/rate-limits')).cleared,
  regenerateApiKey: async (): Promise<string> =>
    (await checked(regeneratedApiKey, 'POST', '/api/proxy/api-key/regenerate')).api_key,
  testMapping: (model: string): Promise<MappingTestResult> =>
    checked(mappingTestResult, 'POST', '/api/proxy/mapping/test', { model }),

  listKeys: async (): Promise<PublicClientKey[]> => (await checked(keyList, 'GET', '/api/keys')).keys,
  /** The answer holds the key's secret: the only time the gateway shows it. */
  createKey: (body: CreateKeyBody): Promise<IssuedKeyView> => checked(issuedKey, 'POST', '/api/keys', body),
  updateKey: (keyId: string, patch: PatchKeyBody): Promise<PublicClientKey> =>
    checked(publicClientKey, 'PATCH', `/api/keys/${id(keyId)}`, patch),
  rotateKey: (keyId: string): Promise<IssuedKeyView> =>
    checked(issuedKey, 'POST', `/api/keys/${id(keyId)}/rotate`, {}),
  revokeKey: (keyId: string): Promise<PublicClientKey> =>
    checked(publicClientKey, 'POST', `/api/keys/${id(keyId)}/revoke`, {}),
  usage: (query: Record<string, string>): Promise<UsageReportView> =>
    checked(usageReport, 'GET', `/api/usage?${new URLSearchParams(query).toString()}`),
  prices: (): Promise<PriceListView> => checked(priceList, 'GET', '/api/usage/prices'),

  logs: (query: Record<string, string> = {}): Promise<LogPage> =>
    checked(logPage, 'GET', `/api/logs?${new URLSearchParams(query).toString()}`),
  log: (logId: string): Promise<RequestLogRecord> =>
    checked(requestLogRecord, 'GET', `/api/logs/${id(logId)}`),
  clearLogs: (): Promise<void> => call('DELETE', '/api/logs'),
  /** URL of the live log feed; EventSource cannot send headers, so the credential rides as `?token=`. */
  logStreamUrl: (): string => `/api/logs/stream?token=${encodeURIComponent(credentialStore.get() ?? '')}`,
};

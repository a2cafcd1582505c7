/**
 * The account as the rest of the gateway sees it: loaded once from the store, kept in sync on every
 * write, never read from disk on the request path. Credentials here are decrypted (in memory only).
 */

/**
 * Upstream API family an account talks to: the kinds listed once in `src/providers/provider-kinds.ts`.
 * A type-only import (erased at build time), so core loads no other folder yet keeps the literal
 * union: a misspelt kind and a missing case still fail to compile.
 */
export type { ProviderKind } from '../providers/provider-kinds.js';

import type { ProviderKind } from '../providers/provider-kinds.js';

export const TIERS = ['FREE', 'PRO', 'ULTRA'] as const;
/** Subscription tier; scheduling prefers ULTRA > PRO > FREE > unknown. */
export type Tier = (typeof TIERS)[number];

/** What the upstream last told us about one model's quota on one account. */
export interface ModelQuota {
  /** Remaining share of the quota, 0..1. */
  remainingFraction: number;
  /** When the quota resets (epoch ms), when known. */
  resetAt: number | null;
  /** When this value was observed (epoch ms). */
  observedAt: number;
  /** Where it came from: rate-limit response headers, or a provider quota API. */
  source: 'headers' | 'api';
}

/** An API key credential. */
export interface ApiKeyCredential {
  type: 'api_key';
  apiKey: string;
}

/** An OAuth credential; the access token is refreshed from the refresh token when it expires. */
export interface OAuthCredential {
  type: 'oauth';
  refreshToken: string;
  accessToken: string | null;
  /** Access-token expiry, epoch ms. */
  expiresAt: number | null;
  tokenUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
}

export type Credential = ApiKeyCredential | OAuthCredential;

/** Every secret value a credential holds (key; or refresh token, access token, client secret). */
export function credentialSecrets(credential: Credential): string[] {
  if (credential.type === 'api_key') return [credential.apiKey];
  const secrets = [credential.refreshToken];
  if (credential.accessToken) secrets.push(credential.accessToken);
  if (credential.clientSecret) secrets.push(credential.clientSecret);
  return secrets;
}

export interface Account {
  /** UUIDv4, stable for the life of the account. */
  id: string;
  /** Email or other identity shown to users and in `X-Account-Email`. */
  email: string;
  provider: ProviderKind;
  /** Upstream base URL; null means the provider's public default. */
  baseUrl: string | null;
  credential: Credential;
  tier: Tier | null;
  /** Model ids or wildcard patterns (`gpt-4*`) this account serves; empty means any model. */
  models: string[];
  /** Quota per model id, as last observed. */
  quota: Record<string, ModelQuota>;
  disabled: boolean;
  disabledReason: string | null;
  disabledAt: number | null;
  /** Kept in the account list but never scheduled. */
  proxyDisabled: boolean;
  proxyDisabledReason: string | null;
  label: string | null;
  /** Provider-specific extras (for example a Code Assist project id), namespaced by provider. */
  extra: Record<string, unknown>;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Whether `model` matches one pattern: exact, or `*` standing for any run of characters. */
export function modelMatches(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern === model;
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!model.startsWith(first)) return false;
  let position = first.length;
  for (let index = 1; index < parts.length - 1; index++) {
    const part = parts[index] ?? '';
    const found = model.indexOf(part, position);
    if (found < 0) return false;
    position = found + part.length;
  }
  return model.length - last.length >= position && model.endsWith(last);
}

/** Whether the account serves `model` (an empty model list serves everything). */
export function accountServesModel(account: Pick<Account, 'models'>, model: string): boolean {
  if (account.models.length === 0) return true;
  return account.models.some((pattern) => modelMatches(pattern, model));
}

/** Whether the account may be scheduled at all: enabled and not proxy-disabled. */
export function isSchedulable(account: Pick<Account, 'disabled' | 'proxyDisabled'>): boolean {
  return !account.disabled && !account.proxyDisabled;
}

/**
 * Whether the account may serve `model` at all: schedulable and serving the model (its `models`
 * list, empty meaning any). The one answer to that question for routing, scheduling, model lists
 * and error messages; rate limits and quota are the scheduler's business.
 */
export function canServe(
  account: Pick<Account, 'models' | 'disabled' | 'proxyDisabled'>,
  model: string,
): boolean {
  return isSchedulable(account) && accountServesModel(account, model);
}

/** The account as the admin API and the CLI show it: snake_case, ISO times, secrets masked. */
import type { Account, Credential, ModelQuota, ProviderKind, Tier } from '../core/account.js';
import { accountVerification } from './account-verification.js';

/** Secrets shorter than this are shown as `MASK` only: a 3 + 4 character hint would give too much away. */
const MIN_PARTIAL_MASK_LENGTH = 16;
const MASK = '****';

/** A credential reduced to what is safe to show. */
export interface PublicCredential {
  type: Credential['type'];
  /** `sk-…a1b2`: first 3 and last 4 characters of the API key (OAuth: of the refresh token). */
  masked: string;
  has_refresh_token: boolean;
  /** OAuth access-token expiry (ISO 8601), null when unknown or for API keys. */
  expires_at: string | null;
}

export interface PublicModelQuota {
  remaining_fraction: number;
  reset_at: string | null;
  observed_at: string;
  source: ModelQuota['source'];
}

/** Never contains a secret; safe to return from the admin API and print from the CLI. */
export interface PublicAccount {
  id: string;
  email: string;
  provider: ProviderKind;
  base_url: string | null;
  credential: PublicCredential;
  tier: Tier | null;
  models: string[];
  quota: Record<string, PublicModelQuota>;
  disabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  proxy_disabled: boolean;
  proxy_disabled_reason: string | null;
  label: string | null;
  created_at: string;
  last_used_at: string | null;
  /** Where the upstream asks the user to verify the account (Google `VALIDATION_REQUIRED`), or null. */
  verification_url: string | null;
  /** When it asked (ISO 8601), or null. */
  verification_required_at: string | null;
}

/** The public view of `account`. Provider extras are left out (they are not meant for display), but for a pending verification request. */
export function toPublicAccount(account: Account): PublicAccount {
  const verification = accountVerification(account);
  const quota: Record<string, PublicModelQuota> = {};
  for (const [model, entry] of Object.entries(account.quota)) {
    quota[model] = {
      remaining_fraction: entry.remainingFraction,
      reset_at: isoOrNull(entry.resetAt),
      observed_at: iso(entry.observedAt),
      source: entry.source,
    };
  }
  return {
    id: account.id,
    email: account.email,
    provider: account.provider,
    base_url: account.baseUrl,
    credential: toPublicCredential(account.credential),
    tier: account.tier,
    models: [...account.models],
    quota,
    disabled: account.disabled,
    disabled_reason: account.disabledReason,
    disabled_at: isoOrNull(account.disabledAt),
    proxy_disabled: account.proxyDisabled,
    proxy_disabled_reason: account.proxyDisabledReason,
    label: account.label,
    created_at: iso(account.createdAt),
    last_used_at: isoOrNull(account.lastUsedAt),
    verification_url: verification?.url ?? null,
    verification_required_at: isoOrNull(verification?.at ?? null),
  };
}

/** `sk-…a1b2` for secrets of 16 characters or more; `****` for shorter ones. */
export function maskSecret(secret: string): string {
  if (secret.length < MIN_PARTIAL_MASK_LENGTH) return MASK;
  return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

function toPublicCredential(credential: Credential): PublicCredential {
  if (credential.type === 'api_key') {
    return {
      type: 'api_key',
      masked: maskSecret(credential.apiKey),
      has_refresh_token: false,
      expires_at: null,
    };
  }
  return {
    type: 'oauth',
    masked: maskSecret(credential.refreshToken),
    has_refresh_token: credential.refreshToken !== '',
    expires_at: isoOrNull(credential.expiresAt),
  };
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

function isoOrNull(time: number | null): string | null {
  return time === null ? null : iso(time);
}

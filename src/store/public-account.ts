/**
 * The account as the admin API and the CLI show it: snake_case, ISO times, secrets masked. The shape
 * is the admin contract's (`admin/account-contracts.ts`).
 */
import type { PublicAccount, PublicCredential, PublicModelQuota } from '../admin/account-contracts.js';
import type { Account, Credential } from '../core/account.js';
import { accountVerification } from './account-verification.js';

/** Secrets shorter than this are shown as `MASK` only: a 3 + 4 character hint would give too much away. */
const MIN_PARTIAL_MASK_LENGTH = 16;
const MASK = '****';

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

/** The changes the store can make to an account, as pure functions from account to account. */
import {
  type Account,
  type Credential,
  type ModelQuota,
  type OAuthCredential,
  type ProviderKind,
  TIERS,
  type Tier,
} from '../core/account.js';
import { SwitchyardError } from '../core/errors.js';
import { PROVIDER_KINDS } from '../providers/provider-kinds.js';
import { VERIFICATION_KEY } from './account-verification.js';

/**
 * Disabled reason the gateway records when an OAuth refresh fails with `invalid_grant` (the user
 * revoked access or the token expired for good). Reasons starting with it count too, e.g.
 * `invalid_grant: Token has been expired or revoked.` Replacing the credential re-enables the account.
 */
export const INVALID_GRANT_REASON = 'invalid_grant';

/** Whether a disabled reason means "re-authorize me" (see `INVALID_GRANT_REASON`). */
export function isInvalidGrantReason(reason: string | null): boolean {
  return reason?.startsWith(INVALID_GRANT_REASON) === true;
}

/** What `create` and `upsertMany` need; everything else gets a default. */
export interface NewAccountInput {
  provider: ProviderKind;
  /** Identity shown to users; unique per provider. Surrounding blanks are removed. */
  email: string;
  /** Default null: the provider's public endpoint. */
  baseUrl?: string | null;
  credential: Credential;
  /** Default null (unknown). */
  tier?: Tier | null;
  /** Default []: serves any model. */
  models?: string[];
  label?: string | null;
  /** Default {}. */
  extra?: Record<string, unknown>;
  /** Saved state an import brings back (our export, a reference account file); see `RestoredAccountState`. */
  restore?: RestoredAccountState;
}

/**
 * The state of an account saved elsewhere, restored as it was by an import: every field given
 * replaces the default (a new account) or the stored value (an existing one). `id` is kept when
 * no other account has it yet.
 */
export interface RestoredAccountState {
  id?: string;
  disabled?: boolean;
  disabledReason?: string | null;
  disabledAt?: number | null;
  proxyDisabled?: boolean;
  proxyDisabledReason?: string | null;
  quota?: Record<string, ModelQuota>;
  createdAt?: number;
  lastUsedAt?: number | null;
}

/** Fields `update` may change; an absent field is left as it is. */
export interface AccountPatch {
  /** true disables (disabledAt = now unless already disabled); false enables and clears reason and time. */
  disabled?: boolean;
  /** Reason shown for a disabled account; ignored while the account is enabled. */
  disabledReason?: string | null;
  /** true keeps the account listed but never scheduled; false clears the reason too. */
  proxyDisabled?: boolean;
  proxyDisabledReason?: string | null;
  tier?: Tier | null;
  label?: string | null;
  models?: string[];
  baseUrl?: string | null;
  /** A new credential; also re-enables an account disabled for `invalid_grant` (unless `disabled` is given). */
  credential?: Credential;
  /** Surrounding blanks are removed; must stay unique per provider. */
  email?: string;
  extra?: Record<string, unknown>;
  /**
   * Sets these top-level keys of `extra` on the stored value (a null value deletes the key),
   * after `extra` if both are given. Unlike `extra` it keeps what other writers stored meanwhile.
   */
  mergeExtra?: Record<string, unknown>;
  /** Replaces the whole quota map. */
  quota?: Record<string, ModelQuota>;
}

/** Checks what the database cannot: a known provider and tier, a non-empty email. */
export function validateNewAccount(input: NewAccountInput): void {
  if (!(PROVIDER_KINDS as readonly string[]).includes(input.provider)) {
    throw new SwitchyardError('validation_failed', `Unknown provider "${String(input.provider)}"`);
  }
  validateEmail(input.email);
  validateTier(input.tier);
}

export function validatePatch(patch: AccountPatch): void {
  if (patch.email !== undefined) validateEmail(patch.email);
  validateTier(patch.tier);
}

/** A fresh account made from `input`: enabled, unless the input restores a saved state. */
export function newAccount(input: NewAccountInput, options: { id: string; now: number }): Account {
  const account: Account = {
    id: options.id,
    email: input.email.trim(),
    provider: input.provider,
    baseUrl: input.baseUrl ?? null,
    credential: input.credential,
    tier: input.tier ?? null,
    models: [...(input.models ?? [])],
    quota: {},
    disabled: false,
    disabledReason: null,
    disabledAt: null,
    proxyDisabled: false,
    proxyDisabledReason: null,
    label: input.label ?? null,
    extra: { ...(input.extra ?? {}) },
    createdAt: options.now,
    lastUsedAt: null,
  };
  return input.restore ? restoreAccountState(account, input.restore) : account;
}

/**
 * `account` with the saved state applied field by field, exactly as given (times included); a
 * re-enabled account loses its reason and time, as `disabled: false` in a patch does.
 */
export function restoreAccountState(account: Account, state: RestoredAccountState): Account {
  const next: Account = { ...account };
  if (state.quota !== undefined) next.quota = { ...state.quota };
  if (state.createdAt !== undefined) next.createdAt = state.createdAt;
  if (state.lastUsedAt !== undefined) next.lastUsedAt = state.lastUsedAt;
  if (state.disabled !== undefined) {
    next.disabled = state.disabled;
    next.disabledReason = state.disabled ? (state.disabledReason ?? null) : null;
    next.disabledAt = state.disabled ? (state.disabledAt ?? null) : null;
  }
  if (state.proxyDisabled !== undefined) {
    next.proxyDisabled = state.proxyDisabled;
    next.proxyDisabledReason = state.proxyDisabled ? (state.proxyDisabledReason ?? null) : null;
  }
  return next;
}

/**
 * An existing account imported again: the new credential (re-enabling it after `invalid_grant`,
 * see `withCredential`); for a full record (`restore` given) also its label, tier, models, base
 * URL and extras, then its saved state — the file's view wins.
 */
export function reimportedAccount(existing: Account, input: NewAccountInput): Account {
  const account = withCredential(existing, input.credential);
  if (!input.restore) return account;
  const fields: Account = {
    ...account,
    label: input.label ?? account.label,
    tier: input.tier ?? account.tier,
    models: input.models ? [...input.models] : account.models,
    baseUrl: input.baseUrl !== undefined ? input.baseUrl : account.baseUrl,
    extra: mergeExtra(account.extra, input.extra ?? {}),
  };
  return restoreAccountState(fields, input.restore);
}

/** `account` with `patch` applied at time `now`. */
export function applyAccountPatch(account: Account, patch: AccountPatch, now: number): Account {
  let next: Account = { ...account };
  if (patch.credential !== undefined) next = withCredential(next, patch.credential);
  if (patch.email !== undefined) next.email = patch.email.trim();
  if (patch.baseUrl !== undefined) next.baseUrl = patch.baseUrl;
  if (patch.tier !== undefined) next.tier = patch.tier;
  if (patch.label !== undefined) next.label = patch.label;
  if (patch.models !== undefined) next.models = [...patch.models];
  if (patch.extra !== undefined) next.extra = { ...patch.extra };
  if (patch.mergeExtra !== undefined) next.extra = mergeExtra(next.extra, patch.mergeExtra);
  if (patch.quota !== undefined) next.quota = { ...patch.quota };
  next = applyDisabled(next, patch, now);
  return applyProxyDisabled(next, patch);
}

/**
 * `account` with a new credential, re-enabled when it was disabled for `invalid_grant`. A new
 * secret (another refresh token or API key, not just a refreshed access token) also forgets a
 * pending verification request: the user re-authorized the account.
 */
export function withCredential(account: Account, credential: Credential): Account {
  const extra = isNewSecret(account.credential, credential)
    ? mergeExtra(account.extra, { [VERIFICATION_KEY]: null })
    : account.extra;
  if (account.disabled && isInvalidGrantReason(account.disabledReason)) {
    return { ...account, credential, extra, disabled: false, disabledReason: null, disabledAt: null };
  }
  return { ...account, credential, extra };
}

function isNewSecret(previous: Credential, next: Credential): boolean {
  return secretOf(previous) !== secretOf(next);
}

function secretOf(credential: Credential): string {
  return credential.type === 'api_key' ? credential.apiKey : credential.refreshToken;
}

/** An OAuth credential obtained by refreshing the one whose refresh token is `from`. */
export interface RefreshedCredential {
  from: string;
  credential: OAuthCredential;
}

/**
 * Whether a refreshed credential may replace the stored one: `store` when the stored one is the
 * credential refreshed (same refresh token as `from` or as the new one) and not newer;
 * `unchanged` when it is this very credential (an earlier write went through); `superseded` when
 * the account was re-authorized or refreshed to a later token elsewhere meanwhile.
 */
export function refreshedCredentialVerdict(
  stored: Credential,
  refreshed: RefreshedCredential,
): 'store' | 'unchanged' | 'superseded' {
  const next = refreshed.credential;
  if (stored.type !== 'oauth') return 'superseded';
  if (stored.refreshToken !== refreshed.from && stored.refreshToken !== next.refreshToken)
    return 'superseded';
  if (stored.accessToken === next.accessToken && stored.expiresAt === next.expiresAt) return 'unchanged';
  const sameGrant = stored.refreshToken === next.refreshToken;
  if (sameGrant && (stored.expiresAt ?? 0) > (next.expiresAt ?? 0)) return 'superseded';
  return 'store';
}

/** `extra` with `changes` applied key by key; a null value removes the key. */
export function mergeExtra(
  extra: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...extra };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function applyDisabled(account: Account, patch: AccountPatch, now: number): Account {
  if (patch.disabled === false) {
    return { ...account, disabled: false, disabledReason: null, disabledAt: null };
  }
  if (patch.disabled === true) {
    return {
      ...account,
      disabled: true,
      disabledReason: patch.disabledReason !== undefined ? patch.disabledReason : account.disabledReason,
      disabledAt: account.disabled && account.disabledAt !== null ? account.disabledAt : now,
    };
  }
  if (patch.disabledReason !== undefined && account.disabled) {
    return { ...account, disabledReason: patch.disabledReason };
  }
  return account;
}

function applyProxyDisabled(account: Account, patch: AccountPatch): Account {
  if (patch.proxyDisabled === false) {
    return { ...account, proxyDisabled: false, proxyDisabledReason: null };
  }
  if (patch.proxyDisabled === true) {
    const reason =
      patch.proxyDisabledReason !== undefined ? patch.proxyDisabledReason : account.proxyDisabledReason;
    return { ...account, proxyDisabled: true, proxyDisabledReason: reason };
  }
  if (patch.proxyDisabledReason !== undefined && account.proxyDisabled) {
    return { ...account, proxyDisabledReason: patch.proxyDisabledReason };
  }
  return account;
}

function validateEmail(email: string): void {
  if (typeof email !== 'string' || email.trim() === '') {
    throw new SwitchyardError('validation_failed', 'An account needs a non-empty email (or other identity)');
  }
}

function validateTier(tier: Tier | null | undefined): void {
  if (tier === undefined || tier === null) return;
  if (!(TIERS as readonly string[]).includes(tier)) {
    throw new SwitchyardError('validation_failed', `Unknown tier "${String(tier)}"`);
  }
}

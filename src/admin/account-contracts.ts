/**
 * The account part of the admin API contract: the public view of an account (what `/api/accounts`,
 * the import, the sign-in and the quota refresh answer, and what the CLI prints), as zod schemas
 * with the types derived from them. Field names are snake_case; times are ISO 8601.
 */
import { z } from 'zod';
import { TIERS } from '../core/account.js';
import { LOCK_SOURCES } from '../core/limits.js';
import { PROVIDER_KINDS } from '../providers/provider-kinds.js';

/** A credential reduced to what is safe to show. */
export const publicCredential = z.object({
  type: z.enum(['api_key', 'oauth']),
  /** `sk-…a1b2`: first 3 and last 4 characters of the API key (OAuth: of the refresh token). */
  masked: z.string(),
  has_refresh_token: z.boolean(),
  /** OAuth access-token expiry, null when unknown or for API keys. */
  expires_at: z.string().nullable(),
});
export type PublicCredential = z.output<typeof publicCredential>;

/** The last quota observation of one model. */
export const publicModelQuota = z.object({
  /** 0..1 of the model's quota left. */
  remaining_fraction: z.number(),
  reset_at: z.string().nullable(),
  observed_at: z.string(),
  /** `headers`: read from an answer's rate-limit headers; `api`: from the provider's quota API. */
  source: z.enum(['headers', 'api']),
});
export type PublicModelQuota = z.output<typeof publicModelQuota>;

/** An account as the admin API and the CLI show it. Never contains a secret. */
export const publicAccount = z.object({
  id: z.string(),
  email: z.string(),
  provider: z.enum(PROVIDER_KINDS),
  base_url: z.string().nullable(),
  credential: publicCredential,
  tier: z.enum(TIERS).nullable(),
  models: z.array(z.string()),
  /** Per model id: the last quota observation. */
  quota: z.record(z.string(), publicModelQuota),
  disabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  disabled_at: z.string().nullable(),
  proxy_disabled: z.boolean(),
  proxy_disabled_reason: z.string().nullable(),
  label: z.string().nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  /** Where the upstream asks the user to verify the account (Google `VALIDATION_REQUIRED`), or null. */
  verification_url: z.string().nullable(),
  /** When it asked, or null. */
  verification_required_at: z.string().nullable(),
});
export type PublicAccount = z.output<typeof publicAccount>;

/** `POST /api/accounts/import` answer. */
export const importResult = z.object({
  created: z.array(publicAccount),
  updated: z.array(publicAccount),
  /**
   * What the imported accounts still need, one sentence each — above all an OAuth client for
   * their provider (with the command that adds it). Empty when nothing is missing.
   */
  warnings: z.array(z.string()),
});
export type ImportResult = z.output<typeof importResult>;

/**
 * Whether the scheduler would send a request for one model to the account, as far as limits go,
 * decided on the server by the scheduler's own rules (the UI keeps no copy of them).
 */
export const modelAvailability = z.object({
  /** The model; null for the account as a whole (an account-wide lock). */
  model: z.string().nullable(),
  /**
   * `locked`: a failed call locked it; `predicted_out`: a predicted limit, the upstream said nothing
   * is left until a reset; `protected`: its quota is below the quota-protection threshold.
   * A lock wins over protection, an account-wide lock over a model's.
   */
  state: z.enum(['available', 'protected', 'locked', 'predicted_out']),
  /** Why, in one sentence; null when available. */
  reason: z.string().nullable(),
  /** When the state ends: the lock's end, or for protection the quota's reset; null when unknown. */
  until: z.string().nullable(),
  /** Where the lock's end comes from, for `locked` and `predicted_out`; null otherwise. */
  lock_source: z.enum(LOCK_SOURCES).nullable(),
});
export type ModelAvailabilityView = z.output<typeof modelAvailability>;

/**
 * An account with the availability of every model it has a quota observation or a lock for
 * (`GET /api/accounts`, `GET /api/accounts/:id`).
 */
export const accountView = publicAccount.extend({ availability: z.array(modelAvailability) });
export type AccountView = z.output<typeof accountView>;

/** `GET /api/accounts` answer. */
export const accountList = z.object({ accounts: z.array(accountView) });

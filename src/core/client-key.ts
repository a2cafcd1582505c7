/**
 * A client key: a secret the owner hands to one member of a team or one job, beside the owner's
 * own `proxy.api_key`. Only a SHA-256 hash of the secret is kept (see `hashClientKeySecret`); the
 * secret itself is shown once, when the key is created or rotated. Like accounts, keys are loaded
 * once from the store and kept in memory, so the request path never reads the database for them.
 */
import { modelMatches } from './account.js';
import { sha256Hex } from './ids.js';

/**
 * Caps on one key. Every field is optional; absent means unlimited. Windows: `per minute` is a
 * sliding 60 seconds; `day` and `month` are the UTC calendar day and month (see src/usage/usage-windows.ts).
 * Tokens are everything the upstream counted: input (cached parts included) plus output.
 * Costs are estimated US dollars from the price table (`pricing` in gui_config.json).
 */
export interface KeyLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  tokensPerDay?: number;
  tokensPerMonth?: number;
  costPerDay?: number;
  costPerMonth?: number;
}

export const KEY_LIMIT_NAMES = [
  'requestsPerMinute',
  'tokensPerMinute',
  'tokensPerDay',
  'tokensPerMonth',
  'costPerDay',
  'costPerMonth',
] as const satisfies readonly (keyof KeyLimits)[];
export type KeyLimitName = (typeof KEY_LIMIT_NAMES)[number];

export interface ClientKey {
  /** UUIDv4, stable for the life of the key: rotation keeps it, so usage and limits carry over. */
  id: string;
  /** Short unique name among active keys, e.g. `ci-nightly` or `alice`. */
  name: string;
  /** Who or what holds the key (a person, a team, a job); free text. */
  owner: string | null;
  /** Lowercase hex SHA-256 of the secret. */
  secretHash: string;
  /** What identifies the secret to a person without revealing it: `sk-sy-…a1b2`. */
  hint: string;
  createdAt: number;
  /** When the secret last changed (creation or rotation). */
  rotatedAt: number;
  lastUsedAt: number | null;
  /** After this instant (epoch ms) the key is refused; null = never expires. */
  expiresAt: number | null;
  /** Set once the key is revoked: refused from then on, kept for its usage history. */
  revokedAt: number | null;
  /** Model ids or wildcards (`claude-*`) the key may ask for; empty = any model. */
  models: string[];
  /** Only this account may serve the key's requests. */
  accountId: string | null;
  /** Only accounts whose label is exactly this may serve the key's requests. */
  accountGroup: string | null;
  limits: KeyLimits;
}

/** Whether a key can be used at `now`, and if not, why. */
export type ClientKeyState = 'active' | 'revoked' | 'expired';

export function clientKeyState(key: Pick<ClientKey, 'revokedAt' | 'expiresAt'>, now: number): ClientKeyState {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && now >= key.expiresAt) return 'expired';
  return 'active';
}

/** Whether the key may ask for `model` (the model the client names, before mapping). */
export function keyAllowsModel(key: Pick<ClientKey, 'models'>, model: string): boolean {
  if (key.models.length === 0) return true;
  return key.models.some((pattern) => modelMatches(pattern, model));
}

/**
 * The stored form of a secret: lowercase hex SHA-256. A secret is 256 random bits, so the hash
 * cannot be reversed or guessed, and needs no salt or slow hash (those protect low-entropy passwords).
 */
export function hashClientKeySecret(secret: string): string {
  return sha256Hex(secret);
}

/** `sk-sy-…a1b2`: the prefix and the last four characters, enough to tell keys apart. */
export function clientKeyHint(secret: string): string {
  return `${secret.slice(0, 6)}…${secret.slice(-4)}`;
}

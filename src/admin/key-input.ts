/** Conversions between the `/api/keys` contract (snake_case) and client keys (camelCase), shared with the CLI. */
import type { Account } from '../core/account.js';
import { type ClientKey, clientKeyState, type KeyLimits } from '../core/client-key.js';
import { SwitchyardError } from '../core/errors.js';
import type { KeyWindowUsage } from '../keys/key-limiter.js';
import type { ClientKeyPatch, NewClientKeyInput } from '../store/client-key-store.js';
import type { CreateKeyBody, KeyLimitsBody, PatchKeyBody, PublicClientKey } from './key-contracts.js';

const LIMIT_FIELDS = [
  ['requests_per_minute', 'requestsPerMinute'],
  ['tokens_per_minute', 'tokensPerMinute'],
  ['tokens_per_day', 'tokensPerDay'],
  ['tokens_per_month', 'tokensPerMonth'],
  ['cost_per_day', 'costPerDay'],
  ['cost_per_month', 'costPerMonth'],
] as const satisfies readonly (readonly [keyof KeyLimitsBody, keyof KeyLimits])[];

export function toKeyLimits(body: KeyLimitsBody): KeyLimits {
  const limits: KeyLimits = {};
  for (const [field, name] of LIMIT_FIELDS) {
    const value = body[field];
    if (value !== undefined) limits[name] = value;
  }
  return limits;
}

export function fromKeyLimits(limits: KeyLimits): KeyLimitsBody {
  const body: KeyLimitsBody = {};
  for (const [field, name] of LIMIT_FIELDS) {
    const value = limits[name];
    if (value !== undefined) body[field] = value;
  }
  return body;
}

function toInstant(value: number | string | null | undefined): number | null | undefined {
  if (value === undefined || value === null) return value;
  return typeof value === 'number' ? value : Date.parse(value);
}

/** The store's input for a validated `POST /api/keys` body. */
export function toNewClientKeyInput(body: CreateKeyBody): NewClientKeyInput {
  return {
    name: body.name,
    owner: body.owner ?? null,
    expiresAt: toInstant(body.expires_at) ?? null,
    models: body.models ?? [],
    accountId: body.account_id ?? null,
    accountGroup: body.account_group ?? null,
    limits: body.limits === undefined ? {} : toKeyLimits(body.limits),
  };
}

/** The store's patch for a validated `PATCH /api/keys/:id` body. Setting one account restriction clears the other. */
export function toClientKeyPatch(body: PatchKeyBody): ClientKeyPatch {
  const patch: ClientKeyPatch = {};
  if (body.name !== undefined) patch.name = body.name;
  if (body.owner !== undefined) patch.owner = body.owner;
  if (body.expires_at !== undefined) patch.expiresAt = toInstant(body.expires_at);
  if (body.models !== undefined) patch.models = body.models;
  if (body.account_id !== undefined) patch.accountId = body.account_id;
  if (body.account_group !== undefined) patch.accountGroup = body.account_group;
  if (body.account_id) patch.accountGroup = null;
  if (body.account_group) patch.accountId = null;
  if (body.limits !== undefined) patch.limits = toKeyLimits(body.limits);
  return patch;
}

/** Refuses a pinned account that does not exist (a typo would otherwise leave the key unusable). */
export function checkPinnedAccount(
  accounts: { get(id: string): Account | undefined },
  accountId: string | null | undefined,
): void {
  if (accountId && !accounts.get(accountId)) {
    throw new SwitchyardError('validation_failed', `account_id: no account with id ${accountId}`, {
      details: { issues: [{ path: 'account_id', message: `no account with id ${accountId}` }] },
    });
  }
}

const iso = (time: number) => new Date(time).toISOString();
const isoOrNull = (time: number | null) => (time === null ? null : iso(time));

/** A key's usage in its windows as shown; the per-minute counters are null where unknown (the CLI). */
export type ShownKeyUsage = Omit<KeyWindowUsage, 'requestsLastMinute' | 'tokensLastMinute'> & {
  requestsLastMinute: number | null;
  tokensLastMinute: number | null;
};

/** The admin API view of a key: never its secret. */
export function toPublicClientKey(key: ClientKey, usage: ShownKeyUsage, now: number): PublicClientKey {
  return {
    id: key.id,
    name: key.name,
    owner: key.owner,
    hint: key.hint,
    status: clientKeyState(key, now),
    created_at: iso(key.createdAt),
    rotated_at: iso(key.rotatedAt),
    last_used_at: isoOrNull(key.lastUsedAt),
    expires_at: isoOrNull(key.expiresAt),
    revoked_at: isoOrNull(key.revokedAt),
    models: [...key.models],
    account_id: key.accountId,
    account_group: key.accountGroup,
    limits: fromKeyLimits(key.limits),
    usage: {
      requests_last_minute: usage.requestsLastMinute,
      tokens_last_minute: usage.tokensLastMinute,
      tokens_today: usage.tokensToday,
      cost_today: usage.costToday,
      tokens_this_month: usage.tokensThisMonth,
      cost_this_month: usage.costThisMonth,
    },
  };
}

/**
 * Finds a key by id, id prefix (≥ 6 characters) or name; a name names the active key first, then
 * a revoked one. Unknown or ambiguous: a clear error.
 */
export function findClientKey(keys: readonly ClientKey[], reference: string): ClientKey {
  const exact = keys.find((key) => key.id === reference);
  if (exact) return exact;
  const named = keys.filter((key) => key.name === reference);
  const activeNamed = named.filter((key) => key.revokedAt === null);
  const byName = activeNamed.length > 0 ? activeNamed : named;
  const matches =
    byName.length > 0 ? byName : keys.filter((key) => reference.length >= 6 && key.id.startsWith(reference));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new SwitchyardError('conflict', `"${reference}" matches ${matches.length} keys; use the key id`);
  }
  throw new SwitchyardError(
    'not_found',
    `No client key with id or name "${reference}" (see: switchyard keys list)`,
  );
}

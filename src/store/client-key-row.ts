/** Conversion between `ClientKey` (camelCase) and its `client_keys` row (snake_case, JSON as text). */
import { z } from 'zod';
import type { ClientKey } from '../core/client-key.js';
import { SwitchyardError } from '../core/errors.js';
import type { ClientKeysTable } from './database-schema.js';
import { nullableNumber, parseJson } from './row-values.js';

const limitsSchema = z.object({
  requestsPerMinute: z.number().optional(),
  tokensPerMinute: z.number().optional(),
  tokensPerDay: z.number().optional(),
  tokensPerMonth: z.number().optional(),
  costPerDay: z.number().optional(),
  costPerMonth: z.number().optional(),
});
const modelsSchema = z.array(z.string());

export function clientKeyToRow(key: ClientKey, updatedAt: number): ClientKeysTable {
  return {
    id: key.id,
    name: key.name,
    owner: key.owner,
    secret_hash: key.secretHash,
    hint: key.hint,
    created_at: key.createdAt,
    updated_at: updatedAt,
    rotated_at: key.rotatedAt,
    last_used_at: key.lastUsedAt,
    expires_at: key.expiresAt,
    revoked_at: key.revokedAt,
    models: JSON.stringify(key.models),
    account_id: key.accountId,
    account_group: key.accountGroup,
    limits: JSON.stringify(key.limits),
  };
}

/** The key stored in `row`. Throws `store_error` naming the key and the field when a JSON column is invalid. */
export function clientKeyFromRow(row: ClientKeysTable): ClientKey {
  const field = <T>(name: string, schema: z.ZodType<T>, text: string): T => {
    const parsed = schema.safeParse(parseJson(text));
    if (parsed.success) return parsed.data;
    throw new SwitchyardError('store_error', `Stored client key ${row.id} has an invalid ${name}`, {
      details: { keyId: row.id, field: name },
    });
  };
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    secretHash: row.secret_hash,
    hint: row.hint,
    createdAt: Number(row.created_at),
    rotatedAt: Number(row.rotated_at),
    lastUsedAt: nullableNumber(row.last_used_at),
    expiresAt: nullableNumber(row.expires_at),
    revokedAt: nullableNumber(row.revoked_at),
    models: field('models', modelsSchema, row.models),
    accountId: row.account_id,
    accountGroup: row.account_group,
    limits: stripUndefined(field('limits', limitsSchema, row.limits)),
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

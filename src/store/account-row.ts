/** Conversion between `Account` (camelCase, decrypted) and its `accounts` row (snake_case, encrypted). */
import { z } from 'zod';
import { type Account, type Credential, type ModelQuota, TIERS } from '../core/account.js';
import { SwitchyardError } from '../core/errors.js';
import { PROVIDER_KINDS } from '../providers/provider-kinds.js';
import type { AccountsTable } from './database-schema.js';
import { nullableNumber, parseJson } from './row-values.js';
import type { SecretBox } from './secret-box.js';

const credentialSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('api_key'), apiKey: z.string() }),
  z.object({
    type: z.literal('oauth'),
    refreshToken: z.string(),
    accessToken: z.string().nullable(),
    expiresAt: z.number().nullable(),
    tokenUrl: z.string().nullable(),
    clientId: z.string().nullable(),
    clientSecret: z.string().nullable(),
  }),
]);

export const modelQuotaSchema = z.object({
  remainingFraction: z.number(),
  resetAt: z.number().nullable(),
  observedAt: z.number(),
  source: z.enum(['headers', 'api']),
});

const quotaSchema = z.record(z.string(), modelQuotaSchema);
const modelsSchema = z.array(z.string());
const extraSchema = z.record(z.string(), z.unknown());
const providerSchema = z.enum(PROVIDER_KINDS);
const tierSchema = z.enum(TIERS).nullable();

/** The row for `account`, its credential encrypted with `box`. */
export function accountToRow(
  account: Account,
  options: { box: SecretBox; updatedAt: number },
): AccountsTable {
  return {
    id: account.id,
    email: account.email,
    provider: account.provider,
    base_url: account.baseUrl,
    credential: encryptCredential(account.credential, options.box),
    tier: account.tier,
    models: JSON.stringify(account.models),
    quota: JSON.stringify(account.quota),
    disabled: account.disabled ? 1 : 0,
    disabled_reason: account.disabledReason,
    disabled_at: account.disabledAt,
    proxy_disabled: account.proxyDisabled ? 1 : 0,
    proxy_disabled_reason: account.proxyDisabledReason,
    label: account.label,
    extra: JSON.stringify(account.extra),
    created_at: account.createdAt,
    updated_at: options.updatedAt,
    last_used_at: account.lastUsedAt,
  };
}

/**
 * The account stored in `row`, credential decrypted. Throws a SwitchyardError (`store_error`)
 * naming the account and the field when the row holds something that is not a valid account.
 */
export function accountFromRow(row: AccountsTable, box: SecretBox): Account {
  const field = <T>(name: string, schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new SwitchyardError('store_error', `Stored account ${row.id} has an invalid ${name}`, {
      details: { accountId: row.id, field: name },
    });
  };
  return {
    id: row.id,
    email: row.email,
    provider: field('provider', providerSchema, row.provider),
    baseUrl: row.base_url,
    credential: field('credential', credentialSchema, parseJson(box.decrypt(row.credential))),
    tier: field('tier', tierSchema, row.tier),
    models: field('models', modelsSchema, parseJson(row.models)),
    quota: field('quota', quotaSchema, parseJson(row.quota)),
    disabled: Boolean(row.disabled),
    disabledReason: row.disabled_reason,
    disabledAt: nullableNumber(row.disabled_at),
    proxyDisabled: Boolean(row.proxy_disabled),
    proxyDisabledReason: row.proxy_disabled_reason,
    label: row.label,
    extra: field('extra', extraSchema, parseJson(row.extra)),
    createdAt: Number(row.created_at),
    lastUsedAt: nullableNumber(row.last_used_at),
  };
}

/** Parses a stored quota column (for merging batched quota writes); invalid content reads as empty. */
export function parseQuota(text: string): Record<string, ModelQuota> {
  const parsed = quotaSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : {};
}

export function encryptCredential(credential: Credential, box: SecretBox): string {
  return box.encrypt(JSON.stringify(credential));
}

/**
 * The client-key part of the admin API contract (`/api/keys`), as zod schemas shared by the
 * server, the CLI and the web UI. Field names are snake_case; times are ISO 8601 in answers and
 * ISO 8601 or epoch milliseconds in requests.
 */
import { z } from 'zod';

const positiveInt = z.number().int().min(1).max(1e12);
const dollars = z.number().positive().max(1e9);

/**
 * Caps on one key; an absent field is unlimited. Per minute is a sliding 60 s; day and month are
 * UTC calendar windows. Tokens are input (cached parts included) plus output; costs are estimated
 * US dollars from the price table.
 */
export const keyLimitsBody = z.strictObject({
  requests_per_minute: positiveInt.optional(),
  tokens_per_minute: positiveInt.optional(),
  tokens_per_day: positiveInt.optional(),
  tokens_per_month: positiveInt.optional(),
  cost_per_day: dollars.optional(),
  cost_per_month: dollars.optional(),
});
export type KeyLimitsBody = z.output<typeof keyLimitsBody>;

const keyName = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._@+-]*$/,
    'name must start with a letter or digit and hold only letters, digits, spaces and . _ @ + -',
  );
const instant = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]);
const modelPatterns = z.array(z.string().trim().min(1, 'model ids must not be empty').max(256)).max(1000);
const optionalText = z.string().trim().min(1).max(200);

const keySettings = {
  /** Unique among active keys: `alice`, `ci-nightly`. */
  name: keyName,
  /** Who or what holds the key. */
  owner: optionalText.nullish(),
  /** When the key stops working: ISO 8601 or epoch ms; null or absent = never. */
  expires_at: instant.nullish(),
  /** Model ids or wildcards the key may ask for (the client's model name, before mapping); empty = any. */
  models: modelPatterns.optional(),
  /** Only this account may serve the key's requests. */
  account_id: optionalText.nullish(),
  /** Only accounts whose label is exactly this may serve the key's requests. */
  account_group: optionalText.nullish(),
  limits: keyLimitsBody.optional(),
};

function oneAccountRestriction(
  body: { account_id?: string | null | undefined; account_group?: string | null | undefined },
  context: z.RefinementCtx,
): void {
  if (body.account_id && body.account_group) {
    context.addIssue({
      code: 'custom',
      path: ['account_group'],
      message: 'give account_id or account_group, not both',
    });
  }
}

/** `POST /api/keys` body. */
export const createKeyBody = z.strictObject(keySettings).superRefine(oneAccountRestriction);
export type CreateKeyBody = z.output<typeof createKeyBody>;

/** `PATCH /api/keys/:id` body: only the given fields change; `limits` replaces the limits as a whole. */
export const patchKeyBody = z
  .strictObject({ ...keySettings, name: keyName.optional() })
  .superRefine(oneAccountRestriction)
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change: the body has no fields' });
export type PatchKeyBody = z.output<typeof patchKeyBody>;

/**
 * What a key has used in each window it is limited by: the gateway's counters (`/api/keys`), or
 * the stored totals (`switchyard keys list`, where the per-minute counters are null: they live
 * only in the running gateway).
 */
export const keyWindowUsage = z.object({
  requests_last_minute: z.number().nullable(),
  tokens_last_minute: z.number().nullable(),
  tokens_today: z.number(),
  /** Estimated US dollars. */
  cost_today: z.number(),
  tokens_this_month: z.number(),
  cost_this_month: z.number(),
});

/** A key as the admin API shows it. The secret is never part of it; `hint` tells keys apart. */
export const publicClientKey = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string().nullable(),
  /** `sk-sy-…a1b2`. */
  hint: z.string(),
  status: z.enum(['active', 'revoked', 'expired']),
  created_at: z.string(),
  rotated_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  models: z.array(z.string()),
  account_id: z.string().nullable(),
  account_group: z.string().nullable(),
  limits: keyLimitsBody,
  usage: keyWindowUsage,
});
export type PublicClientKey = z.output<typeof publicClientKey>;

export const keyList = z.object({ keys: z.array(publicClientKey) });

/** Answer of `POST /api/keys` and `POST /api/keys/:id/rotate`: the only time the secret is shown. */
export const issuedKey = z.object({
  key: publicClientKey,
  /** The secret to hand to the key's holder. Not stored (only its SHA-256), never shown again. */
  secret: z.string(),
});
export type IssuedKeyView = z.output<typeof issuedKey>;

/**
 * Switchyard's own account export: every account with every field, its credential either
 * encrypted with a key derived from a passphrase (scrypt → AES-256-GCM, the `SecretBox` format) or,
 * only when asked explicitly, in plain form. Importing the export restores the accounts exactly.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { z } from 'zod';
import { type Account, type Credential, type ModelQuota, TIERS } from '../core/account.js';
import { SwitchyardError } from '../core/errors.js';
import { isJsonObject } from '../core/json.js';
import { parseOrThrow } from '../core/validation.js';
import { PROVIDER_KINDS } from '../providers/provider-kinds.js';
import type { NewAccountInput } from './account-patch.js';
import { toPublicAccount } from './public-account.js';
import { SecretBox } from './secret-box.js';

/** `format` of an export document. */
export const EXPORT_FORMAT = 'switchyard-accounts';
/** `version` this Switchyard writes and reads. */
export const EXPORT_VERSION = 1;
/** Shortest passphrase accepted for an encrypted export. */
export const MIN_PASSPHRASE_LENGTH = 8;

/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and a tenth of a second per derivation). */
const KDF = { n: 32_768, r: 8, p: 1 } as const;
const SALT_BYTES = 16;

const isoTime = z.iso.datetime({ offset: true });
const credentialSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('api_key'), api_key: z.string().min(1) }),
  z.strictObject({
    type: z.literal('oauth'),
    refresh_token: z.string().min(1),
    access_token: z.string().nullable(),
    expires_at: isoTime.nullable(),
    token_url: z.string().nullable(),
    client_id: z.string().nullable(),
    client_secret: z.string().nullable(),
  }),
]);
type ExportedCredential = z.output<typeof credentialSchema>;

const quotaSchema = z.strictObject({
  remaining_fraction: z.number().min(0).max(1),
  reset_at: isoTime.nullable(),
  observed_at: isoTime,
  source: z.enum(['headers', 'api']),
});

const accountSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string().trim().min(1),
  provider: z.enum(PROVIDER_KINDS),
  base_url: z.string().nullable(),
  tier: z.enum(TIERS).nullable(),
  models: z.array(z.string()),
  label: z.string().nullable(),
  quota: z.record(z.string(), quotaSchema),
  disabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  disabled_at: isoTime.nullable(),
  proxy_disabled: z.boolean(),
  proxy_disabled_reason: z.string().nullable(),
  extra: z.record(z.string(), z.unknown()),
  created_at: isoTime,
  last_used_at: isoTime.nullable(),
  /** The credential object, or its JSON encrypted (`v1:…`) when the export has `encryption`. */
  credential: z.union([credentialSchema, z.string().startsWith('v1:')]),
});
export type ExportedAccount = z.output<typeof accountSchema>;

const encryptionSchema = z.strictObject({
  cipher: z.literal('aes-256-gcm'),
  kdf: z.literal('scrypt'),
  salt: z.base64().min(16),
  n: z.int().min(1024).max(1_048_576),
  r: z.int().min(1).max(32),
  p: z.int().min(1).max(16),
});
type Encryption = z.output<typeof encryptionSchema>;

/** An export document: what `exportAccounts` writes and `readExportDocument` reads (the admin contract of the export). */
export const exportDocumentSchema = z.looseObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.int().min(1),
  exported_at: isoTime,
  /** null: credentials in plain form (exported with `--plain`). */
  encryption: encryptionSchema.nullable(),
  accounts: z.array(accountSchema),
});
/** An export document as written to the file / returned by `POST /api/accounts/export`. */
export type ExportDocument = z.output<typeof exportDocumentSchema>;

/** How credentials are protected in an export: a passphrase, or plain form on explicit request. */
export type ExportProtection = { passphrase: string } | { plain: true };

/** Whether `document` claims to be an export of ours (then `readExportDocument` reads it). */
export function isExportDocument(document: unknown): boolean {
  return isJsonObject(document) && document['format'] === EXPORT_FORMAT;
}

function deriveKey(passphrase: string, encryption: Encryption): Promise<Buffer> {
  const salt = Buffer.from(encryption.salt, 'base64');
  const { n: N, r, p } = encryption;
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 32, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new SwitchyardError(
      'validation_failed',
      `passphrase: must be at least ${MIN_PASSPHRASE_LENGTH} characters long`,
    );
  }
}

function iso(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

function exportedCredential(credential: Credential): ExportedCredential {
  if (credential.type === 'api_key') return { type: 'api_key', api_key: credential.apiKey };
  return {
    type: 'oauth',
    refresh_token: credential.refreshToken,
    access_token: credential.accessToken,
    expires_at: iso(credential.expiresAt),
    token_url: credential.tokenUrl,
    client_id: credential.clientId,
    client_secret: credential.clientSecret,
  };
}

function exportedAccount(account: Account, box: SecretBox | null): ExportedAccount {
  const {
    verification_url,
    verification_required_at,
    credential: _masked,
    ...view
  } = toPublicAccount(account);
  const credential = exportedCredential(account.credential);
  return {
    ...view,
    extra: structuredClone(account.extra),
    credential: box ? box.encrypt(JSON.stringify(credential)) : credential,
  };
}

/**
 * The export document of `accounts`. With a passphrase (at least 8 characters) every credential
 * is encrypted with a key derived from it (scrypt, a fresh random salt); `{plain: true}` writes
 * them in clear.
 */
export async function exportAccounts(
  accounts: readonly Account[],
  options: { now: number; protection: ExportProtection },
): Promise<ExportDocument> {
  let encryption: Encryption | null = null;
  let box: SecretBox | null = null;
  if ('passphrase' in options.protection) {
    checkPassphrase(options.protection.passphrase);
    encryption = {
      cipher: 'aes-256-gcm',
      kdf: 'scrypt',
      salt: randomBytes(SALT_BYTES).toString('base64'),
      ...KDF,
    };
    box = new SecretBox(await deriveKey(options.protection.passphrase, encryption));
  }
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: new Date(options.now).toISOString(),
    encryption,
    accounts: accounts.map((account) => exportedAccount(account, box)),
  };
}

function ms(time: string): number;
function ms(time: string | null): number | null;
function ms(time: string | null): number | null {
  return time === null ? null : Date.parse(time);
}

function credentialFrom(exported: ExportedCredential): Credential {
  if (exported.type === 'api_key') return { type: 'api_key', apiKey: exported.api_key };
  return {
    type: 'oauth',
    refreshToken: exported.refresh_token,
    accessToken: exported.access_token,
    expiresAt: ms(exported.expires_at),
    tokenUrl: exported.token_url,
    clientId: exported.client_id,
    clientSecret: exported.client_secret,
  };
}

function decryptCredential(value: string, box: SecretBox, index: number): ExportedCredential {
  let plain: string;
  try {
    plain = box.decrypt(value);
  } catch {
    throw new SwitchyardError(
      'validation_failed',
      'passphrase: it does not match this export (or the file was altered)',
    );
  }
  const parsed = credentialSchema.safeParse(JSON.parse(plain));
  if (!parsed.success) {
    throw new SwitchyardError('validation_failed', `accounts[${index}].credential: not a valid credential`);
  }
  return parsed.data;
}

function inputFrom(account: ExportedAccount, credential: ExportedCredential): NewAccountInput {
  const quota: Record<string, ModelQuota> = {};
  for (const [model, entry] of Object.entries(account.quota)) {
    quota[model] = {
      remainingFraction: entry.remaining_fraction,
      resetAt: ms(entry.reset_at),
      observedAt: ms(entry.observed_at),
      source: entry.source,
    };
  }
  return {
    provider: account.provider,
    email: account.email,
    baseUrl: account.base_url,
    credential: credentialFrom(credential),
    tier: account.tier,
    models: account.models,
    label: account.label,
    extra: account.extra,
    restore: {
      id: account.id,
      disabled: account.disabled,
      disabledReason: account.disabled_reason,
      disabledAt: ms(account.disabled_at),
      proxyDisabled: account.proxy_disabled,
      proxyDisabledReason: account.proxy_disabled_reason,
      quota,
      createdAt: ms(account.created_at),
      lastUsedAt: ms(account.last_used_at),
    },
  };
}

/**
 * The accounts of an export document, every field restored. Throws `validation_failed` naming
 * the problem: a newer version, a missing or wrong passphrase, an invalid field (by path).
 */
export async function readExportDocument(
  document: unknown,
  options: { passphrase?: string | undefined },
): Promise<NewAccountInput[]> {
  if (
    isJsonObject(document) &&
    typeof document['version'] === 'number' &&
    document['version'] > EXPORT_VERSION
  ) {
    throw new SwitchyardError(
      'validation_failed',
      `version: this export was written by a newer Switchyard (format version ${document['version']}; this one reads ${EXPORT_VERSION})`,
    );
  }
  const { encryption, accounts } = parseOrThrow(exportDocumentSchema, document, 'export document');
  let box: SecretBox | null = null;
  if (encryption) {
    if (options.passphrase === undefined) {
      throw new SwitchyardError(
        'validation_failed',
        'passphrase: this export is encrypted; give its passphrase',
      );
    }
    box = new SecretBox(await deriveKey(options.passphrase, encryption));
  }
  return accounts.map((account, index) => {
    const { credential } = account;
    if (typeof credential !== 'string') return inputFrom(account, credential);
    if (!box) {
      throw new SwitchyardError(
        'validation_failed',
        `accounts[${index}].credential: encrypted, but the export has no "encryption" settings`,
      );
    }
    return inputFrom(account, decryptCredential(credential, box, index));
  });
}

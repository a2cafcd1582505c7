import type { Credential, OAuthCredential } from '../core/account.js';
import { SwitchyardError } from '../core/errors.js';
import { isJsonObject } from '../core/json.js';
import { parseOrThrow } from '../core/validation.js';
import { isExportDocument, readExportDocument } from '../store/account-export.js';
import type { AccountPatch, NewAccountInput } from '../store/account-store.js';
import {
  type CreateAccountBody,
  createAccountBody,
  importBody,
  importEntry,
  type PatchAccountBody,
} from './contracts.js';
import { referenceAccountInput, referenceAccountSchema } from './reference-account.js';

type OAuthFields = Pick<
  CreateAccountBody,
  'refresh_token' | 'access_token' | 'expires_at' | 'client_id' | 'client_secret' | 'token_url'
>;

function expiresAtMs(value: number | string | undefined): number | null {
  if (value === undefined) return null;
  return typeof value === 'number' ? value : Date.parse(value);
}

function oauthCredential(fields: OAuthFields & { refresh_token: string }): OAuthCredential {
  return {
    type: 'oauth',
    refreshToken: fields.refresh_token,
    accessToken: fields.access_token ?? null,
    expiresAt: expiresAtMs(fields.expires_at),
    tokenUrl: fields.token_url ?? null,
    clientId: fields.client_id ?? null,
    clientSecret: fields.client_secret ?? null,
  };
}

function credentialFrom(body: { api_key?: string | undefined } & OAuthFields): Credential | undefined {
  if (body.api_key !== undefined) return { type: 'api_key', apiKey: body.api_key };
  if (body.refresh_token !== undefined)
    return oauthCredential({ ...body, refresh_token: body.refresh_token });
  return undefined;
}

/** Admin API / CLI body → the store's input for a new account. */
export function toNewAccountInput(body: CreateAccountBody): NewAccountInput {
  const credential = credentialFrom(body);
  if (!credential) throw new SwitchyardError('validation_failed', 'api_key: missing credential');
  return {
    provider: body.provider,
    email: body.email,
    baseUrl: body.base_url ?? null,
    credential,
    tier: body.tier ?? null,
    models: body.models ?? [],
    label: body.label ?? null,
  };
}

/** Admin API PATCH body → the store's patch. */
export function toAccountPatch(body: PatchAccountBody): AccountPatch {
  const patch: AccountPatch = {};
  if (body.email !== undefined) patch.email = body.email;
  if (body.disabled !== undefined) {
    patch.disabled = body.disabled;
    patch.disabledReason = body.disabled ? (body.disabled_reason ?? 'disabled by user') : null;
  }
  if (body.proxy_disabled !== undefined) {
    patch.proxyDisabled = body.proxy_disabled;
    patch.proxyDisabledReason = body.proxy_disabled
      ? (body.proxy_disabled_reason ?? 'disabled by user')
      : null;
  }
  if (body.tier !== undefined) patch.tier = body.tier;
  if (body.label !== undefined) patch.label = body.label;
  if (body.models !== undefined) patch.models = body.models;
  if (body.base_url !== undefined) patch.baseUrl = body.base_url;
  const credential = credentialFrom(body);
  if (credential) patch.credential = credential;
  return patch;
}

/** One entry of a list import → store input; names the entry when it is invalid. */
function importEntryInput(entry: unknown, index: number, now: number): NewAccountInput {
  // A reference account file (`{email, token: {...}}`): every field it has.
  if (isJsonObject(entry) && isJsonObject(entry['token'])) {
    return referenceAccountInput(parseOrThrow(referenceAccountSchema, entry, `import entry [${index}]`), now);
  }
  const result = importEntry.safeParse(entry);
  if (!result.success) {
    // Report against our own shape: its messages are the most useful for a typo.
    parseOrThrow(createAccountBody, entry, `import entry [${index}]`);
    throw new SwitchyardError('validation_failed', `Invalid import entry [${index}]`);
  }
  return toNewAccountInput(result.data);
}

/**
 * Validates an import document (admin API body or CLI file) into store inputs, naming the bad
 * entry: an export of ours (decrypted with `passphrase` when encrypted), a list of our account
 * shape, of the reference's `{email, refresh_token}` entries or of its account files. `now` dates
 * what the document does not (a reference quota without its observation time).
 */
export async function importInputs(
  document: unknown,
  options: { now: number; passphrase?: string | undefined },
): Promise<NewAccountInput[]> {
  if (isExportDocument(document)) {
    const { passphrase, ...exported } = document as Record<string, unknown>;
    const given = options.passphrase ?? (typeof passphrase === 'string' ? passphrase : undefined);
    return readExportDocument(exported, { passphrase: given });
  }
  const parsed = parseOrThrow(importBody, document, 'import document');
  const entries = Array.isArray(parsed) ? parsed : parsed.accounts;
  return entries.map((entry, index) => importEntryInput(entry, index, options.now));
}

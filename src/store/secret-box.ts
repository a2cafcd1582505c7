/**
 * Encryption of credentials at rest (AES-256-GCM) and the secret key it uses. The key comes from
 * SWITCHYARD_SECRET_KEY (cluster mode: every instance needs the same key) or from `secret.key` in
 * the data directory, created on first use. The database keeps a key-check value so that starting
 * with a different key fails loudly instead of producing undecryptable credentials.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { SwitchyardError } from '../core/errors.js';
import type { DatabaseSchema } from './database-schema.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_PREFIX = 'v1:';
/** The generated key's file in the data directory. */
export const KEY_FILE_NAME = 'secret.key';
const KEY_CHECK_META_KEY = 'secret_key_check';
const KEY_CHECK_MARKER = 'switchyard secret key check v1';

/** Encrypts and decrypts short strings (credential JSON) with one AES-256-GCM key. */
export class SecretBox {
  private readonly key: Buffer;

  /** `key` must be 32 bytes (see `loadSecretKey`). */
  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) {
      throw new Error(`The secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    this.key = Buffer.from(key);
  }

  /** `"v1:" + base64(iv | tag | ciphertext)` with a fresh random 12-byte IV per call. */
  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return FORMAT_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /**
   * Reverses `encrypt`. Throws a SwitchyardError (`store_error`) when the value is not in this
   * format, or when it was encrypted with another key (or altered): GCM authentication fails.
   */
  decrypt(text: string): string {
    if (!text.startsWith(FORMAT_PREFIX)) {
      throw new SwitchyardError(
        'store_error',
        'Cannot decrypt a stored secret: it is not in the "v1:" format',
      );
    }
    const bytes = Buffer.from(text.slice(FORMAT_PREFIX.length), 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) {
      throw new SwitchyardError('store_error', 'Cannot decrypt a stored secret: the value is truncated');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return plain.toString('utf8');
    } catch (error) {
      throw new SwitchyardError(
        'store_error',
        'Cannot decrypt a stored secret: it was encrypted with a different secret key ' +
          '(SWITCHYARD_SECRET_KEY or secret.key), or the stored value is corrupted',
        { cause: error },
      );
    }
  }
}

/** The secret key in use is not the one the database was created with. */
export class SecretKeyMismatchError extends SwitchyardError {
  /** `location`: the database, for the message (a file path, or a PostgreSQL URL without password). */
  constructor(options: { cause?: unknown; location?: string } = {}) {
    super(
      'config_error',
      'The secret key (SWITCHYARD_SECRET_KEY, or secret.key in the data directory) does not match the one ' +
        `the database ${options.location ? `${options.location} ` : ''}was created with, so its stored ` +
        'credentials cannot be decrypted. Restore the original key, or start with a new database. Every ' +
        'instance sharing a PostgreSQL store needs the same SWITCHYARD_SECRET_KEY.',
      { cause: options.cause },
    );
    this.name = 'SecretKeyMismatchError';
  }
}

export interface LoadSecretKeyOptions {
  /** Data directory holding `secret.key`; created (mode 0700) when missing. */
  dataDir: string;
  /**
   * The value of SWITCHYARD_SECRET_KEY, when set: 64 hex characters or the base64 of 32 bytes.
   * Takes precedence over `secret.key`. Empty or blank counts as not set.
   */
  envKey?: string;
}

/**
 * The 32-byte key for `SecretBox`: from `envKey` when given, else from `<dataDir>/secret.key`,
 * which is created with 32 random bytes (as hex, mode 0600, atomically) when missing.
 */
export async function loadSecretKey(options: LoadSecretKeyOptions): Promise<Buffer> {
  const envKey = options.envKey?.trim();
  if (envKey) {
    const key = parseKeyText(envKey);
    if (!key) {
      throw new Error(
        'SWITCHYARD_SECRET_KEY is not a valid key: expected 64 hexadecimal characters or the base64 encoding ' +
          'of 32 bytes (for example the output of `openssl rand -hex 32`)',
      );
    }
    return key;
  }
  const file = path.join(path.resolve(options.dataDir), KEY_FILE_NAME);
  return (await readKeyFile(file)) ?? (await createKeyFile(file));
}

/**
 * Checks that `box` holds the key this database was created with, recording a key-check value in
 * `meta` the first time (an upsert that keeps the first value when instances start together).
 * Throws `SecretKeyMismatchError`, naming `location` when given, when the key differs.
 */
export async function verifySecretKey(
  db: Kysely<DatabaseSchema>,
  box: SecretBox,
  location?: string,
): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key: KEY_CHECK_META_KEY, value: box.encrypt(KEY_CHECK_MARKER) })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
  const check = await compareSecretKey(db, box);
  if (check.result === 'different') throw new SecretKeyMismatchError({ cause: check.cause, location });
}

/**
 * Whether `box` holds the key this database was created with, without writing anything: `same`,
 * `different`, or `unknown` when the database has no key check yet (nothing was ever encrypted in it).
 */
export async function compareSecretKey(
  db: Kysely<DatabaseSchema>,
  box: SecretBox,
): Promise<{ result: 'same' | 'different' | 'unknown'; cause?: unknown }> {
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', KEY_CHECK_META_KEY)
    .executeTakeFirst();
  if (!row) return { result: 'unknown' };
  try {
    return { result: box.decrypt(row.value) === KEY_CHECK_MARKER ? 'same' : 'different' };
  } catch (error) {
    return { result: 'different', cause: error };
  }
}

/** 64 hex characters, or base64 / base64url of exactly 32 bytes; null otherwise. */
function parseKeyText(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
  }
  return null;
}

async function readKeyFile(file: string): Promise<Buffer | null> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return null;
    throw new Error(`Cannot read the secret key file ${file}: ${describe(error)}`, { cause: error });
  }
  const key = parseKeyText(content.toString('utf8').trim());
  if (key) return key;
  if (content.length === KEY_BYTES) return content;
  throw new Error(
    `The secret key file ${file} is not valid: expected 64 hexadecimal characters or the base64 of 32 bytes`,
  );
}

/**
 * Writes a temporary file and hard-links it into place: the key appears complete or not at all,
 * and when two processes start at once the second link fails with EEXIST and both use the winner.
 */
async function createKeyFile(file: string): Promise<Buffer> {
  const directory = path.dirname(file);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const key = randomBytes(KEY_BYTES);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${key.toString('hex')}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temporary, file);
  } catch (error) {
    if (!isErrnoCode(error, 'EEXIST')) {
      await unlink(temporary).catch(() => undefined);
      throw new Error(`Cannot create the secret key file ${file}: ${describe(error)}`, { cause: error });
    }
  }
  await unlink(temporary).catch(() => undefined);
  const stored = await readKeyFile(file);
  if (!stored) throw new Error(`The secret key file ${file} disappeared while it was being created`);
  return stored;
}

function isErrnoCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

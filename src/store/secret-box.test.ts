import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import { isSwitchyardError } from '../core/errors.js';
import type { OpenedDatabase } from './opened-database.js';
import { loadSecretKey, SecretBox, SecretKeyMismatchError, verifySecretKey } from './secret-box.js';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'switchyard-secret-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('SecretBox', () => {
  it('decrypts what it encrypted, in the v1 format, with a fresh IV every time', () => {
    const box = new SecretBox(KEY_A);
    const first = box.encrypt('sk-secret-value');
    const second = box.encrypt('sk-secret-value');

    expect(first.startsWith('v1:')).toBe(true);
    expect(first).not.toBe(second);
    expect(first).not.toContain('sk-secret-value');
    expect(box.decrypt(first)).toBe('sk-secret-value');
    expect(box.decrypt(second)).toBe('sk-secret-value');
  });

  it('refuses to decrypt with another key, naming the secret key as the likely cause', () => {
    const encrypted = new SecretBox(KEY_A).encrypt('sk-secret-value');

    expect(() => new SecretBox(KEY_B).decrypt(encrypted)).toThrow(/different secret key/);
  });

  it('detects an altered ciphertext', () => {
    const box = new SecretBox(KEY_A);
    const encrypted = box.encrypt('sk-secret-value');
    const bytes = Buffer.from(encrypted.slice(3), 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;

    expect(() => box.decrypt(`v1:${bytes.toString('base64')}`)).toThrow(/corrupted/);
  });

  it.each([
    ['no version prefix', 'plain text'],
    ['too short to hold an IV and a tag', 'v1:AAAA'],
  ])('rejects a value with %s', (_case, value) => {
    expect(() => new SecretBox(KEY_A).decrypt(value)).toThrow(/Cannot decrypt/);
  });

  it('requires a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('loadSecretKey from SWITCHYARD_SECRET_KEY', () => {
  const bytes = Buffer.from(Array.from({ length: 32 }, (_, index) => index * 7));

  it.each([
    ['64 hex characters', bytes.toString('hex')],
    ['64 upper-case hex characters', bytes.toString('hex').toUpperCase()],
    ['base64 of 32 bytes', bytes.toString('base64')],
    ['base64url of 32 bytes', bytes.toString('base64url')],
    ['a value with surrounding blanks', `  ${bytes.toString('hex')}\n`],
  ])('accepts %s', async (_case, envKey) => {
    const key = await loadSecretKey({ dataDir: directory, envKey });

    expect(key.equals(bytes)).toBe(true);
  });

  it.each([
    ['63 hex characters', bytes.toString('hex').slice(1)],
    ['base64 of 16 bytes', bytes.subarray(0, 16).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
  ])('rejects %s with an error naming the variable', async (_case, envKey) => {
    await expect(loadSecretKey({ dataDir: directory, envKey })).rejects.toThrow(/SWITCHYARD_SECRET_KEY/);
  });

  it('does not create secret.key when the variable is set', async () => {
    await loadSecretKey({ dataDir: directory, envKey: bytes.toString('hex') });

    await expect(stat(path.join(directory, 'secret.key'))).rejects.toThrow(/ENOENT/);
  });
});

describe('loadSecretKey from secret.key', () => {
  it('creates the file with 32 random bytes as hex, readable by the owner only', async () => {
    const dataDir = path.join(directory, 'home');
    const key = await loadSecretKey({ dataDir });

    const file = path.join(dataDir, 'secret.key');
    const content = await readFile(file, 'utf8');
    expect(key).toHaveLength(32);
    expect(content).toBe(`${key.toString('hex')}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('returns the same key on every later start, and treats a blank variable as unset', async () => {
    const created = await loadSecretKey({ dataDir: directory });
    const again = await loadSecretKey({ dataDir: directory, envKey: '  ' });

    expect(again.equals(created)).toBe(true);
  });

  it('gives concurrent first starts the same key', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadSecretKey({ dataDir: directory })));

    for (const key of keys) expect(key.equals(keys[0] as Buffer)).toBe(true);
  });

  it('names the file when its content is not a key', async () => {
    const file = path.join(directory, 'secret.key');
    await writeFile(file, 'not a key');

    await expect(loadSecretKey({ dataDir: directory })).rejects.toThrow(file);
  });
});

describeEachStoreBackend('verifySecretKey', (backend) => {
  let opened: OpenedDatabase;

  beforeEach(async () => {
    opened = await backend.open(await backend.newLocation());
  });

  afterEach(async () => {
    await opened.close();
  });

  it('records a key check on first use and accepts the same key afterwards', async () => {
    await verifySecretKey(opened.db, new SecretBox(KEY_A));
    const stored = await opened.db.selectFrom('meta').selectAll().execute();

    await expect(verifySecretKey(opened.db, new SecretBox(KEY_A))).resolves.toBeUndefined();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.value.startsWith('v1:')).toBe(true);
  });

  it('throws SecretKeyMismatchError telling the user which key and which database do not match', async () => {
    await verifySecretKey(opened.db, new SecretBox(KEY_A));

    const error = await verifySecretKey(opened.db, new SecretBox(KEY_B), opened.location).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(SecretKeyMismatchError);
    expect(isSwitchyardError(error) && error.code).toBe('config_error');
    expect((error as Error).message).toMatch(/SWITCHYARD_SECRET_KEY/);
    expect((error as Error).message).toMatch(/secret\.key/);
    expect((error as Error).message).toContain(`database ${opened.location} was created with`);
  });

  it('keeps the first key check when several instances record theirs at once', async () => {
    const results = await Promise.allSettled([
      verifySecretKey(opened.db, new SecretBox(KEY_A)),
      verifySecretKey(opened.db, new SecretBox(KEY_A)),
      verifySecretKey(opened.db, new SecretBox(KEY_A)),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    await expect(verifySecretKey(opened.db, new SecretBox(KEY_B))).rejects.toBeInstanceOf(
      SecretKeyMismatchError,
    );
  });
});

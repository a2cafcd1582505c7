import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import type { Credential } from '../core/account.js';
import { FakeClock } from '../core/clock.js';
import { sequentialIds } from '../core/ids.js';
import { AccountStore, type NewAccountInput } from './account-store.js';
import { DatabaseLockPersistence } from './lock-store.js';
import type { OpenedDatabase } from './opened-database.js';
import { SecretBox, SecretKeyMismatchError } from './secret-box.js';
import { openSqliteDatabase } from './sqlite-database.js';

const API_KEY = 'sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const KEY = Buffer.alloc(32, 7);

function apiKey(value: string): Credential {
  return { type: 'api_key', apiKey: value };
}

function input(overrides: Partial<NewAccountInput> = {}): NewAccountInput {
  return { provider: 'openai', email: 'alice@example.com', credential: apiKey(API_KEY), ...overrides };
}

describeEachStoreBackend('AccountStore', (backend) => {
  let location: string;
  let opened: OpenedDatabase;
  let clock: FakeClock;
  let store: AccountStore;

  async function openStore(box = new SecretBox(KEY)): Promise<AccountStore> {
    return AccountStore.open({
      db: opened.db,
      changes: opened.changes,
      secretBox: box,
      clock,
      ids: sequentialIds('acct'),
    });
  }

  function rawRows(): Promise<Record<string, unknown>[]> {
    return backend.raw(location, 'select * from accounts order by created_at, id');
  }

  beforeEach(async () => {
    location = await backend.newLocation();
    opened = await backend.open(location);
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    store = await openStore();
  });

  afterEach(async () => {
    await store.close();
    await opened.close();
  });

  describe('AccountStore.create', () => {
    it('stores the account, puts it in the pool and loads it back after a restart', async () => {
      const created = await store.create(input({ tier: 'PRO', models: ['gpt-4*'], label: 'work' }));

      expect(store.pool.get(created.id)).toEqual(created);
      expect(store.list()).toEqual([created]);
      expect(created).toMatchObject({ email: 'alice@example.com', disabled: false, createdAt: clock.now() });

      await store.close();
      const restarted = await openStore();
      expect(restarted.list()).toEqual([created]);
      await restarted.close();
    });

    it('keeps the credential encrypted in the column', async () => {
      await store.create(input());
      await store.update(store.list()[0]?.id ?? '', { label: 'touched' });

      const credential = String((await rawRows())[0]?.credential);
      expect(credential.startsWith('v1:')).toBe(true);
      expect(credential).not.toContain(API_KEY);
    });

    it('rejects a second account with the same provider and email as a conflict naming them', async () => {
      await store.create(input());

      const failure = store.create(input({ email: ' alice@example.com ' }));

      await expect(failure).rejects.toMatchObject({ code: 'conflict' });
      await expect(failure).rejects.toThrow(/openai.*alice@example\.com/);
      expect(store.list()).toHaveLength(1);
      expect(await rawRows()).toHaveLength(1);
    });

    it('allows the same email on another provider', async () => {
      await store.create(input());
      await store.create(input({ provider: 'anthropic' }));

      expect(store.list().map((account) => account.provider)).toEqual(['openai', 'anthropic']);
    });

    it('refuses to open with a key other than the one the database was created with', async () => {
      await expect(openStore(new SecretBox(Buffer.alloc(32, 8)))).rejects.toBeInstanceOf(
        SecretKeyMismatchError,
      );
    });
  });

  describe('AccountStore.update', () => {
    it('applies the patch to database and pool alike', async () => {
      const created = await store.create(input());
      await clock.advance(5000);

      const updated = await store.update(created.id, {
        disabled: true,
        disabledReason: 'manual',
        tier: 'ULTRA',
      });

      expect(updated).toMatchObject({
        disabled: true,
        disabledReason: 'manual',
        disabledAt: clock.now(),
        tier: 'ULTRA',
      });
      expect(store.pool.get(created.id)).toEqual(updated);
      expect((await rawRows())[0]).toMatchObject({
        disabled: 1,
        disabled_reason: 'manual',
        tier: 'ULTRA',
        updated_at: clock.now(),
      });
    });

    it('answers not_found naming the id for an unknown account', async () => {
      const failure = store.update('no-such-id', { label: 'x' });

      await expect(failure).rejects.toMatchObject({ code: 'not_found' });
      await expect(failure).rejects.toThrow(/no-such-id/);
    });

    it('leaves database and pool unchanged when the new email is taken', async () => {
      await store.create(input());
      const bob = await store.create(input({ email: 'bob@example.com' }));
      const versionBefore = store.pool.version;

      await expect(store.update(bob.id, { email: 'alice@example.com', label: 'x' })).rejects.toMatchObject({
        code: 'conflict',
      });

      expect(store.pool.get(bob.id)).toEqual(bob);
      expect(store.pool.version).toBe(versionBefore);
      expect((await rawRows())[1]).toMatchObject({ email: 'bob@example.com', label: null });
    });

    it('re-enables an account disabled for invalid_grant when its credential is replaced', async () => {
      const created = await store.create(input({ provider: 'gemini' }));
      await store.update(created.id, { disabled: true, disabledReason: 'invalid_grant: revoked' });

      const renewed = await store.update(created.id, { credential: apiKey('sk-renewed-000000000000') });

      expect(renewed).toMatchObject({
        disabled: false,
        disabledReason: null,
        credential: apiKey('sk-renewed-000000000000'),
      });
      await store.close();
      store = await openStore();
      expect(store.get(created.id)?.credential).toEqual(apiKey('sk-renewed-000000000000'));
    });
  });

  describe('AccountStore.markVerificationRequired', () => {
    it('stores the link and time in extra, keeping other extras, and survives a restart', async () => {
      const created = await store.create(input({ extra: { 'code-assist': { projectId: 'p-1' } } }));

      store.markVerificationRequired(created.id, 'https://accounts.example/verify?x=1');
      await store.flush();

      const expected = {
        'code-assist': { projectId: 'p-1' },
        verification: { url: 'https://accounts.example/verify?x=1', at: clock.now() },
      };
      expect(store.get(created.id)?.extra).toEqual(expected);
      expect(store.get(created.id)?.disabled).toBe(false);
      await store.close();
      store = await openStore();
      expect(store.get(created.id)?.extra).toEqual(expected);
    });
  });

  describe('AccountStore.remove', () => {
    it('deletes the account and its locks and drops it from the pool', async () => {
      const created = await store.create(input());
      const locks = new DatabaseLockPersistence(opened.db);
      const lock = {
        accountId: created.id,
        scope: 'account',
        model: null,
        reason: 'Unknown',
        source: 'backoff',
        message: null,
      } as const;
      await locks.save({ ...lock, until: clock.now() + 60_000, detectedAt: clock.now() });

      const removed = await store.remove(created.id);

      expect(removed).toEqual(created);
      expect(store.pool.get(created.id)).toBeUndefined();
      expect(await rawRows()).toEqual([]);
      expect(await locks.loadActive(clock.now())).toEqual([]);
    });

    it('returns null for an unknown id', async () => {
      expect(await store.remove('no-such-id')).toBeNull();
    });
  });

  describe('AccountStore.upsertMany', () => {
    it('creates new accounts and gives existing ones the new credential, keeping their other fields', async () => {
      const existing = await store.create(input({ label: 'mine', tier: 'PRO' }));
      await store.update(existing.id, { disabled: true, disabledReason: 'invalid_grant' });

      const result = await store.upsertMany([
        input({ credential: apiKey('sk-imported-1111111111'), label: 'from file', tier: 'FREE' }),
        input({ email: 'carol@example.com', credential: apiKey('sk-imported-2222222222') }),
      ]);

      expect(result.updated).toHaveLength(1);
      expect(result.updated[0]).toMatchObject({
        id: existing.id,
        label: 'mine',
        tier: 'PRO',
        disabled: false,
        credential: apiKey('sk-imported-1111111111'),
      });
      expect(result.created.map((account) => account.email)).toEqual(['carol@example.com']);
      expect(store.list()).toEqual([...result.updated, ...result.created]);
      expect(await rawRows()).toHaveLength(2);
    });

    it('restores a saved account as it was: id, times, disabled and proxy-disabled state, quota, extras', async () => {
      const quota = {
        'gemini-2.5-pro': { remainingFraction: 0.4, resetAt: 5000, observedAt: 4000, source: 'api' as const },
      };
      const restore = {
        id: '6c1f0b5e-0000-4000-8000-000000000001',
        disabled: true,
        disabledReason: 'invalid_grant: Token has been expired or revoked.',
        disabledAt: 3000,
        proxyDisabled: true,
        proxyDisabledReason: 'Forbidden (403)',
        quota,
        createdAt: 1000,
        lastUsedAt: 2000,
      };

      const [created] = (
        await store.upsertMany([input({ extra: { 'code-assist': { projectId: 'p' } }, restore })])
      ).created;
      await store.close();
      store = await openStore();

      expect(store.get(restore.id)).toEqual(created);
      expect(created).toMatchObject({ ...restore, extra: { 'code-assist': { projectId: 'p' } } });
    });

    it("gives a restored account a new id when its id is another account's", async () => {
      const existing = await store.create(input({ email: 'first@example.com' }));

      const result = await store.upsertMany([
        input({ email: 'second@example.com', restore: { id: existing.id } }),
      ]);

      expect(result.created[0]?.id).not.toBe(existing.id);
      expect(store.list()).toHaveLength(2);
    });

    it("brings an existing account to a full record's state: disabled again, label, tier, extras merged", async () => {
      const existing = await store.create(input({ label: 'mine', extra: { keep: 1 } }));

      const [updated] = (
        await store.upsertMany([
          input({
            label: 'from file',
            tier: 'ULTRA',
            extra: { 'code-assist': { projectId: 'p' } },
            restore: { disabled: true, disabledReason: 'banned', disabledAt: 77 },
          }),
        ])
      ).updated;

      expect(updated).toMatchObject({
        id: existing.id,
        label: 'from file',
        tier: 'ULTRA',
        disabled: true,
        disabledReason: 'banned',
        disabledAt: 77,
        extra: { keep: 1, 'code-assist': { projectId: 'p' } },
      });
    });
    it('counts an account listed twice in one import as created once', async () => {
      const result = await store.upsertMany([
        input(),
        input({ credential: apiKey('sk-second-33333333333') }),
      ]);

      expect(result.created).toHaveLength(1);
      expect(result.updated).toHaveLength(0);
      expect(result.created[0]?.credential).toEqual(apiKey('sk-second-33333333333'));
    });

    it('applies nothing when one input fails: database and pool stay as they were', async () => {
      await store.close();
      // Encryptions: 1 key check, 2 create, 3 first import row (written), 4 second import row (fails).
      let encryptions = 0;
      const failingBox = new SecretBox(KEY);
      const encrypt = failingBox.encrypt.bind(failingBox);
      failingBox.encrypt = (plain: string) => {
        encryptions++;
        if (encryptions === 4) throw new Error('disk on fire');
        return encrypt(plain);
      };
      store = await openStore(failingBox);
      const existing = await store.create(input());

      const failure = store.upsertMany([
        input({ credential: apiKey('sk-should-not-stick-1') }),
        input({ email: 'dave@example.com' }),
      ]);

      await expect(failure).rejects.toThrow('disk on fire');
      expect(store.list()).toEqual([existing]);
      expect(await rawRows()).toHaveLength(1);
      await store.close();
      store = await openStore();
      expect(store.get(existing.id)?.credential).toEqual(apiKey(API_KEY));
    });
  });
});

describe('AccountStore on sqlite, in the files on disk', () => {
  it('keeps the credential out of the database file and its WAL', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'switchyard-accounts-'));
    const file = path.join(directory, 'switchyard.db');
    const opened = await openSqliteDatabase({ file });
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const store = await AccountStore.open({
      db: opened.db,
      changes: opened.changes,
      secretBox: new SecretBox(KEY),
      clock,
      ids: sequentialIds('acct'),
    });
    const created = await store.create(input());
    await store.update(created.id, { label: 'touched' });

    const raw = new Database(file);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    for (const name of [file, `${file}-wal`]) {
      const bytes = await readFile(name).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(API_KEY))).toBe(false);
    }
    await store.close();
    await opened.close();
    await rm(directory, { recursive: true, force: true });
  });
});

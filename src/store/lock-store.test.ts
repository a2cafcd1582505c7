import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import type { RateLimitLock } from '../core/limits.js';
import { testAccountLock } from '../scheduler/test-account.js';
import { Kysely, Migrator, SqliteDialect, sql } from './kysely-runtime.js';
import { DatabaseLockPersistence } from './lock-store.js';
import { allMigrations } from './migrations/all-migrations.js';
import type { OpenedDatabase } from './opened-database.js';
import { openSqliteDatabase } from './sqlite-database.js';

const NOW = Date.UTC(2026, 0, 1);

function accountLock(accountId: string, until: number): RateLimitLock {
  return testAccountLock(accountId, { detectedAt: NOW, until });
}

function modelLock(accountId: string, model: string, until: number): RateLimitLock {
  return {
    accountId,
    scope: 'model',
    model,
    reason: 'QuotaExhausted',
    source: 'backoff',
    until,
    detectedAt: NOW,
    message: 'quota',
  };
}

describeEachStoreBackend('DatabaseLockPersistence', (backend) => {
  let location: string;
  let opened: OpenedDatabase;
  let locks: DatabaseLockPersistence;

  beforeEach(async () => {
    location = await backend.newLocation();
    opened = await backend.open(location);
    locks = new DatabaseLockPersistence(opened.db);
  });

  afterEach(async () => {
    await opened.close();
  });

  describe('DatabaseLockPersistence', () => {
    it('keeps where each lock came from', async () => {
      const predicted: RateLimitLock = { ...modelLock('a', 'm', NOW + 5000), source: 'rate-limit-headers' };
      await locks.save(predicted);
      await locks.save({ ...accountLock('a', NOW + 5000), source: 'quota-api' });

      const sources = (await locks.loadActive(NOW)).map((lock) => lock.source).sort();
      expect(sources).toEqual(['quota-api', 'rate-limit-headers']);
    });

    it('loads back exactly the locks it saved, account and model scope, across a reopen', async () => {
      const saved = [accountLock('a', NOW + 60_000), modelLock('a', 'gemini-2.5-pro', NOW + 3_600_000)];
      for (const lock of saved) await locks.save(lock);

      await opened.close();
      opened = await backend.open(location);
      const loaded = await new DatabaseLockPersistence(opened.db).loadActive(NOW);

      expect(loaded).toEqual(saved);
    });

    it('loads only locks still active at the given time', async () => {
      await locks.save(accountLock('ended', NOW));
      await locks.save(accountLock('active', NOW + 1));

      expect((await locks.loadActive(NOW)).map((lock) => lock.accountId)).toEqual(['active']);
    });

    it('replaces the lock of the same account and model', async () => {
      await locks.save(modelLock('a', 'm', NOW + 1000));
      await locks.save({ ...modelLock('a', 'm', NOW + 9000), reason: 'ModelCapacityExhausted' });

      expect(await locks.loadActive(NOW)).toEqual([
        { ...modelLock('a', 'm', NOW + 9000), reason: 'ModelCapacityExhausted' },
      ]);
    });

    it.each<[string, { accountId?: string; model?: string | null }, string[]]>([
      ['every lock of one account', { accountId: 'a' }, ['b:', 'b:m1']],
      ['the account-scope lock only', { accountId: 'a', model: null }, ['a:m1', 'a:m2', 'b:', 'b:m1']],
      ['one model of one account', { accountId: 'a', model: 'm1' }, ['a:', 'a:m2', 'b:', 'b:m1']],
      ['everything', {}, []],
    ])('remove deletes %s', async (_case, filter, remaining) => {
      for (const lock of [
        accountLock('a', NOW + 1000),
        modelLock('a', 'm1', NOW + 1000),
        modelLock('a', 'm2', NOW + 1000),
        accountLock('b', NOW + 1000),
        modelLock('b', 'm1', NOW + 1000),
      ]) {
        await locks.save(lock);
      }

      await locks.remove(filter);

      const keys = (await locks.loadActive(NOW)).map((lock) => `${lock.accountId}:${lock.model ?? ''}`);
      expect(keys).toEqual(remaining);
    });

    it('prunes ended locks and reports how many', async () => {
      await locks.save(accountLock('ended', NOW - 1));
      await locks.save(accountLock('active', NOW + 1));

      expect(await locks.pruneExpired(NOW)).toBe(1);
      expect(await locks.loadActive(0)).toHaveLength(1);
    });
  });
});

describe('DatabaseLockPersistence on a database made before lock sources', () => {
  it('reads a lock written before sources were recorded as backoff', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'switchyard-locks-'));
    const file = path.join(directory, 'old.db');
    const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    await new Migrator({
      db: old,
      provider: { getMigrations: async () => ({ '0001-initial': allMigrations['0001-initial']! }) },
    }).migrateToLatest();
    await sql`insert into rate_limit_locks (account_id, model, scope, reason, until, detected_at, message)
      values ('a', '', 'account', 'ServerError', ${NOW + 8000}, ${NOW}, null)`.execute(old);
    await old.destroy();

    const upgraded = await openSqliteDatabase({ file });
    const loaded = await new DatabaseLockPersistence(upgraded.db).loadActive(NOW);
    await upgraded.close();
    await rm(directory, { recursive: true, force: true });

    expect(loaded).toEqual([{ ...accountLock('a', NOW + 8000), reason: 'ServerError', source: 'backoff' }]);
  });
});

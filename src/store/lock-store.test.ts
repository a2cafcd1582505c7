import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import type { RateLimitLock } from '../core/limits.js';
import { DatabaseLockPersistence } from './lock-store.js';
import type { OpenedDatabase } from './opened-database.js';

const NOW = Date.UTC(2026, 0, 1);

function accountLock(accountId: string, until: number): RateLimitLock {
  return {
    accountId,
    scope: 'account',
    model: null,
    reason: 'RateLimitExceeded',
    until,
    detectedAt: NOW,
    message: null,
  };
}

function modelLock(accountId: string, model: string, until: number): RateLimitLock {
  return {
    accountId,
    scope: 'model',
    model,
    reason: 'QuotaExhausted',
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

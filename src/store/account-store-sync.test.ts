import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import type { ModelQuota } from '../core/account.js';
import { FakeClock } from '../core/clock.js';
import { sequentialIds } from '../core/ids.js';
import { AccountStore, type NewAccountInput } from './account-store.js';
import type { OpenedDatabase } from './opened-database.js';
import { SecretBox } from './secret-box.js';

const KEY = Buffer.alloc(32, 7);

function input(email: string): NewAccountInput {
  return { provider: 'anthropic', email, credential: { type: 'api_key', apiKey: `sk-ant-${email}` } };
}

function quota(remainingFraction: number, observedAt: number): ModelQuota {
  return { remainingFraction, resetAt: null, observedAt, source: 'headers' };
}

describeEachStoreBackend('AccountStore sync', (backend) => {
  let location: string;
  let clock: FakeClock;
  const toClose: { close(): Promise<void> }[] = [];

  /** A store on its own connection, as a separate process (the CLI, another instance) would have. */
  async function openConnection(prefix: string): Promise<{ db: OpenedDatabase; store: AccountStore }> {
    const db = await backend.open(location);
    const store = await AccountStore.open({
      db: db.db,
      changes: db.changes,
      secretBox: new SecretBox(KEY),
      clock,
      ids: sequentialIds(prefix),
    });
    toClose.push(db, store);
    return { db, store };
  }

  async function storedRow(id: string): Promise<{ quota: string; last_used_at: number | null } | undefined> {
    const rows = await backend.raw(location, 'select quota, last_used_at from accounts where id = ?', [id]);
    return rows[0] as { quota: string; last_used_at: number | null } | undefined;
  }

  beforeEach(async () => {
    location = await backend.newLocation();
    clock = new FakeClock(Date.UTC(2026, 0, 1));
  });

  afterEach(async () => {
    // Stores before their databases: closing a store flushes through its connection.
    for (const closable of toClose.reverse()) await closable.close();
    toClose.length = 0;
  });

  describe('batched quota and last-used updates', () => {
    it('show in the pool at once and reach the database only on flush', async () => {
      const { store } = await openConnection('a');
      const account = await store.create(input('a@example.com'));
      const versionBefore = store.pool.version;

      store.recordQuota(account.id, 'claude-sonnet-4', quota(0.25, clock.now()));
      store.touchLastUsed(account.id, clock.now());

      const inPool = store.get(account.id);
      expect(inPool?.quota['claude-sonnet-4']?.remainingFraction).toBe(0.25);
      expect(inPool?.lastUsedAt).toBe(clock.now());
      expect(inPool).not.toBe(account);
      expect(store.pool.version).toBe(versionBefore + 2);
      expect(await storedRow(account.id)).toMatchObject({ quota: '{}', last_used_at: null });

      await store.flush();

      const row = await storedRow(account.id);
      expect(JSON.parse(row?.quota ?? '{}')).toEqual({ 'claude-sonnet-4': quota(0.25, clock.now()) });
      expect(row?.last_used_at).toBe(clock.now());
    });

    it('skip the pool when nothing observable changed (per-request headers do not churn it)', async () => {
      const { store } = await openConnection('a');
      const account = await store.create(input('a@example.com'));
      store.recordQuota(account.id, 'm', quota(0.5, clock.now()));
      store.touchLastUsed(account.id, clock.now());
      const version = store.pool.version;

      store.recordQuota(account.id, 'm', quota(0.499, clock.now() + 10));
      store.touchLastUsed(account.id, clock.now() + 999);
      expect(store.pool.version).toBe(version);

      store.recordQuota(account.id, 'm', quota(0.4, clock.now() + 20));
      store.touchLastUsed(account.id, clock.now() + 1000);
      expect(store.pool.version).toBe(version + 2);
      expect(store.get(account.id)?.quota['m']?.remainingFraction).toBe(0.4);
    });

    it('are written by the flush timer about every second', async () => {
      const { store } = await openConnection('a');
      const account = await store.create(input('a@example.com'));
      store.touchLastUsed(account.id, clock.now());

      await clock.advance(1000);

      await vi.waitFor(async () =>
        expect((await storedRow(account.id))?.last_used_at).toBe(clock.now() - 1000),
      );
    });

    it('are written on close', async () => {
      const { store } = await openConnection('a');
      const account = await store.create(input('a@example.com'));
      store.recordQuota(account.id, 'm', quota(0.5, clock.now()));

      await store.close();

      expect(JSON.parse((await storedRow(account.id))?.quota ?? '{}')).toHaveProperty('m');
    });

    it('never move last use backwards and keep a newer observation stored by another process', async () => {
      const first = await openConnection('a');
      const account = await first.store.create(input('a@example.com'));
      const second = await openConnection('b');
      second.store.recordQuota(account.id, 'm', quota(0.9, clock.now() + 10));
      await second.store.flush();

      first.store.recordQuota(account.id, 'm', quota(0.1, clock.now()));
      first.store.touchLastUsed(account.id, clock.now());
      first.store.touchLastUsed(account.id, clock.now() - 500);
      await first.store.flush();

      const row = await storedRow(account.id);
      expect(JSON.parse(row?.quota ?? '{}').m.remainingFraction).toBe(0.9);
      expect(row?.last_used_at).toBe(clock.now());
    });

    it('survive a reload caused by another process', async () => {
      const first = await openConnection('a');
      const account = await first.store.create(input('a@example.com'));
      first.store.recordQuota(account.id, 'm', quota(0.3, clock.now()));
      const second = await openConnection('b');
      await second.store.create(input('b@example.com'));

      expect(await first.store.pollExternalChanges()).toBe(true);

      expect(first.store.get(account.id)?.quota['m']?.remainingFraction).toBe(0.3);
    });

    it('are dropped for an account that was removed', async () => {
      const { store } = await openConnection('a');
      const account = await store.create(input('a@example.com'));
      store.recordQuota(account.id, 'm', quota(0.3, clock.now()));
      await store.remove(account.id);

      store.touchLastUsed(account.id, clock.now());
      await store.flush();

      expect(store.get(account.id)).toBeUndefined();
      expect(await storedRow(account.id)).toBeUndefined();
    });
  });

  describe('changes made by another process', () => {
    it('are picked up by pollExternalChanges, which reports whether it reloaded', async () => {
      const gateway = await openConnection('gw');
      const cli = await openConnection('cli');
      expect(await gateway.store.pollExternalChanges()).toBe(false);

      const created = await cli.store.create(input('new@example.com'));

      expect(gateway.store.get(created.id)).toBeUndefined();
      expect(await gateway.store.pollExternalChanges()).toBe(true);
      expect(gateway.store.get(created.id)).toEqual(created);
      expect(await gateway.store.pollExternalChanges()).toBe(false);
    });

    it('include removals and updates', async () => {
      const gateway = await openConnection('gw');
      const kept = await gateway.store.create(input('kept@example.com'));
      const gone = await gateway.store.create(input('gone@example.com'));
      const cli = await openConnection('cli');

      await cli.store.update(kept.id, { label: 'renamed' });
      await cli.store.remove(gone.id);
      await gateway.store.pollExternalChanges();

      expect(gateway.store.list().map((account) => [account.id, account.label])).toEqual([
        [kept.id, 'renamed'],
      ]);
    });

    it('are not reported for the store’s own writes', async () => {
      const { store } = await openConnection('a');
      await store.create(input('a@example.com'));
      store.touchLastUsed(store.list()[0]?.id ?? '', clock.now());
      await store.flush();

      expect(await store.pollExternalChanges()).toBe(false);
    });

    // PostgreSQL only: it is told once per change, so a notification must not be lost (SQLite looks
    // on a timer, and looks again on the next tick).
    const onceNotified = backend.name === 'postgres' ? it : null;
    onceNotified?.(
      'are picked up when committed and notified while a reload was reading the rows',
      async () => {
        const db = await backend.open(location);
        toClose.push(db);
        // Holds the rows of one reload once they came back: the read saw the database as it was.
        let hold: { reading: () => void; release: Promise<void> } | null = null;
        const holdOneRead: KyselyPlugin = {
          transformQuery: (args) => args.node,
          async transformResult(args) {
            const current = hold;
            if (current && args.result.rows.some((row) => 'credential' in (row as object))) {
              hold = null;
              current.reading();
              await current.release;
            }
            return args.result;
          },
        };
        const gateway = await AccountStore.open({
          db: db.db.withPlugin(holdOneRead),
          changes: db.changes,
          secretBox: new SecretBox(KEY),
          clock,
          ids: sequentialIds('gw'),
        });
        toClose.push(gateway);
        gateway.startWatching(500);
        const cli = await openConnection('cli');
        let release = () => {};
        const reading = new Promise<void>((resolve) => {
          hold = { reading: resolve, release: new Promise<void>((done) => (release = done)) };
        });

        const first = await cli.store.create(input('first@example.com'));
        await reading; // the reload its notification started has read the rows
        const second = await cli.store.create(input('second@example.com'));
        await db.changes.changedSinceMark(); // its notification has arrived, during that reload
        release();

        await vi.waitFor(() =>
          expect(gateway.list().map((account) => account.id)).toEqual([first.id, second.id]),
        );
      },
    );

    it('are polled on the clock once watching started, until close', async () => {
      const gateway = await openConnection('gw');
      gateway.store.startWatching(500);
      const cli = await openConnection('cli');
      const created = await cli.store.create(input('new@example.com'));

      await clock.advance(500);

      await vi.waitFor(() => expect(gateway.store.get(created.id)).toBeDefined());
    });
  });

  describe('close', () => {
    it('stops the flush and watch timers', async () => {
      const db = await backend.open(location);
      toClose.push(db);
      const before = clock.pendingTimers();
      const store = await AccountStore.open({
        db: db.db,
        changes: db.changes,
        secretBox: new SecretBox(KEY),
        clock,
        ids: sequentialIds(),
      });
      store.startWatching();
      // The flush timer, plus (SQLite) the poll timer; PostgreSQL watches by notification.
      expect(clock.pendingTimers()).toBe(before + (backend.name === 'sqlite' ? 2 : 1));

      await store.close();

      expect(clock.pendingTimers()).toBe(before);
    });
  });
});

import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createDatabase, type PostgresService, startPostgres } from '../../test/support/services.js';
import { systemClock } from '../core/clock.js';
import { sql } from './kysely-runtime.js';
import type { OpenedDatabase } from './opened-database.js';
import type { PostgresChangeFeed } from './postgres-change-feed.js';
import { openPostgresDatabase } from './postgres-database.js';
import { describePostgresUrl } from './postgres-url.js';

const opened: OpenedDatabase[] = [];

async function open(url: string, instanceId: string, onError?: (error: unknown) => void) {
  const database = await openPostgresDatabase({ url, clock: systemClock, instanceId, onError });
  opened.push(database);
  return database;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

describe('openPostgresDatabase', () => {
  it('gives bigint columns back as numbers, as SQLite does', async () => {
    const database = await open(await createDatabase(inject('postgresUrl')), 'a');
    const until = Date.UTC(2026, 0, 1);
    await database.db
      .insertInto('rate_limit_locks')
      .values({
        account_id: 'a',
        model: '',
        scope: 'account',
        reason: 'Unknown',
        source: 'backoff',
        until,
        detected_at: until,
        message: null,
      })
      .execute();

    const row = await database.db.selectFrom('rate_limit_locks').select(['until']).executeTakeFirstOrThrow();

    expect(row.until).toBe(until);
  });

  it('names the server without its password, and the reason, when it cannot connect', async () => {
    const url = `postgres://switchyard:hunter22@127.0.0.1:${new URL(inject('postgresUrl')).port}/no_such_database`;

    const failure = open(url, 'a');

    await expect(failure).rejects.toThrow(
      /Cannot connect to PostgreSQL at postgres:\/\/switchyard:\*\*\*@127\.0\.0\.1/,
    );
    await expect(failure).rejects.toThrow(/does not exist|no_such_database/);
    await expect(failure).rejects.not.toThrow(/hunter22/);
  });

  it('describes a URL without its password', () => {
    expect(describePostgresUrl('postgresql://u:secret@db.internal:5433/sy?sslmode=require')).toBe(
      'postgresql://u:***@db.internal:5433/sy?sslmode=require',
    );
  });
});

describe('the PostgreSQL change feed', () => {
  it('reports what another instance announced, not what this one did', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const gateway = await open(url, 'gateway');
    const cli = await open(url, 'cli');
    await gateway.changes.mark();

    await gateway.db.transaction().execute((transaction) => gateway.changes.announce(transaction));
    expect(await gateway.changes.changedSinceMark()).toBe(false);

    await cli.db.transaction().execute((transaction) => cli.changes.announce(transaction));
    expect(await gateway.changes.changedSinceMark()).toBe(true);
    await gateway.changes.mark();
    expect(await gateway.changes.changedSinceMark()).toBe(false);
  });

  it('announces on commit only: a rolled back change is never reported', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const gateway = await open(url, 'gateway');
    const cli = await open(url, 'cli');
    await gateway.changes.mark();

    await cli.db
      .transaction()
      .execute(async (transaction) => {
        await cli.changes.announce(transaction);
        throw new Error('rolled back');
      })
      .catch(() => undefined);

    expect(await gateway.changes.changedSinceMark()).toBe(false);
  });

  it('calls watchers on each notification from another instance', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const gateway = await open(url, 'gateway');
    const cli = await open(url, 'cli');
    const onChange = vi.fn();
    const stop = gateway.changes.watch({ clock: systemClock, intervalMs: 1000, onChange });

    await cli.changes.announce(cli.db);
    await gateway.changes.changedSinceMark();
    stop();
    await cli.changes.announce(cli.db);
    await gateway.changes.changedSinceMark();

    expect(onChange).toHaveBeenCalledTimes(1);
  });
});

describe('the PostgreSQL change feed across an outage', () => {
  let postgres: PostgresService;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(() => postgres.dispose());

  it('reconnects after the server restarts and then reports a change, since notifications were lost meanwhile', async () => {
    const url = await postgres.createDatabase();
    const errors: unknown[] = [];
    const gateway = await open(url, 'gateway', (error) => errors.push(error));
    const feed = gateway.changes as PostgresChangeFeed;
    const onChange = vi.fn();
    gateway.changes.watch({ clock: systemClock, intervalMs: 1000, onChange });
    await gateway.changes.mark();

    await postgres.stop();
    await vi.waitFor(() => expect(feed.listening).toBe(false));
    await expect(gateway.changes.changedSinceMark()).rejects.toThrow(/reconnecting/);
    await postgres.start();

    await vi.waitFor(() => expect(onChange).toHaveBeenCalled(), { timeout: 10_000 });
    expect(feed.listening).toBe(true);
    expect(await gateway.changes.changedSinceMark()).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    // The pool recovered too: queries work again without reopening.
    expect((await sql<{ one: number }>`select 1 as one`.execute(gateway.db)).rows).toEqual([{ one: 1 }]);
  });

  it('takes the migrations one instance at a time under an advisory lock', async () => {
    const url = await postgres.createDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // Hold the lock: the instances must wait for it instead of migrating.
    await client.query('select pg_advisory_lock(73911204417)');
    let finished = 0;
    const starting = [open(url, 'a'), open(url, 'b'), open(url, 'c')].map((promise) =>
      promise.then((database) => {
        finished += 1;
        return database;
      }),
    );
    await vi.waitFor(async () => {
      const waiting = await client.query(
        "select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted",
      );
      expect(waiting.rows[0].n).toBe(3);
    });
    expect(finished).toBe(0);

    await client.query('select pg_advisory_unlock(73911204417)');
    await Promise.all(starting);
    await client.end();

    expect(finished).toBe(3);
  });
});

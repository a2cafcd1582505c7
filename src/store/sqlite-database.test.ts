import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from './kysely-runtime.js';
import { readDataVersion } from './sqlite-change-feed.js';
import { openSqliteDatabase } from './sqlite-database.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'switchyard-database-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function tableNames(file: string): string[] {
  const raw = new Database(file, { readonly: true });
  try {
    const rows = raw.prepare("select name from sqlite_master where type = 'table' order by name").all();
    return rows.map((row) => (row as { name: string }).name);
  } finally {
    raw.close();
  }
}

describe('openSqliteDatabase', () => {
  it('creates the directory and the file, in WAL mode, with every table', async () => {
    const file = path.join(directory, 'nested', 'data', 'switchyard.db');
    const opened = await openSqliteDatabase({ file });
    await opened.close();

    expect(tableNames(file)).toEqual(
      expect.arrayContaining(['accounts', 'meta', 'rate_limit_locks', 'request_logs']),
    );
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('turns on foreign keys and a busy timeout on its connection', async () => {
    const opened = await openSqliteDatabase({ file: path.join(directory, 'a.db') });
    const foreignKeys = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(opened.db);
    const timeout = await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(opened.db);
    await opened.close();

    expect(foreignKeys.rows[0]?.foreign_keys).toBe(1);
    expect(timeout.rows[0]?.timeout).toBe(5000);
  });

  it('names the path and the OS reason when the directory cannot be created', async () => {
    const blocker = path.join(directory, 'not-a-directory');
    await writeFile(blocker, 'x');
    const file = path.join(blocker, 'switchyard.db');

    const failure = openSqliteDatabase({ file });

    await expect(failure).rejects.toThrow(blocker);
    await expect(failure).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  it('names the file when it is not a SQLite database', async () => {
    const file = path.join(directory, 'garbage.db');
    await writeFile(file, 'this is not a database, just some text that is long enough'.repeat(20));

    const failure = openSqliteDatabase({ file });

    await expect(failure).rejects.toThrow(file);
    await expect(failure).rejects.toThrow(/not a database/);
  });
});

describe('readDataVersion', () => {
  it('changes when another connection commits, not when this one does', async () => {
    const file = path.join(directory, 'a.db');
    const opened = await openSqliteDatabase({ file });
    const start = await readDataVersion(opened.db);

    await opened.db.insertInto('meta').values({ key: 'own', value: '1' }).execute();
    const afterOwnWrite = await readDataVersion(opened.db);

    const other = new Database(file);
    other.prepare("insert into meta (key, value) values ('other', '1')").run();
    other.close();
    const afterOtherWrite = await readDataVersion(opened.db);
    await opened.close();

    expect(afterOwnWrite).toBe(start);
    expect(afterOtherWrite).not.toBe(start);
  });
});

describe('openSqliteDatabase(":memory:")', () => {
  it('gives a private, migrated database without touching the disk', async () => {
    const first = await openSqliteDatabase({ file: ':memory:' });
    const second = await openSqliteDatabase({ file: ':memory:' });
    await first.db.insertInto('meta').values({ key: 'k', value: 'v' }).execute();

    expect(await second.db.selectFrom('meta').selectAll().execute()).toEqual([]);
    await first.close();
    await second.close();
  });
});

describe('a SQLite store that cannot write right now', () => {
  it('counts a write lock held past the busy timeout as the store not answering, and a refused write as answering', async () => {
    const file = path.join(directory, 'busy.db');
    const opened = await openSqliteDatabase({ file });
    // The 5 s busy timeout would hold this test's event loop: fail at once instead.
    await sql`PRAGMA busy_timeout = 0`.execute(opened.db);
    await opened.db.insertInto('meta').values({ key: 'taken', value: 'v' }).execute();
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const write = (key: string) => opened.db.insertInto('meta').values({ key, value: 'v' }).execute();

    const busy = await opened.health.guard(() => write('while locked')).catch((error: unknown) => error);
    other.exec('ROLLBACK');
    other.close();
    const duplicate = await write('taken').catch((error: unknown) => error);

    expect(busy).toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining('SQLITE_BUSY'),
    });
    expect(opened.health.status()).toMatchObject({ backend: 'sqlite', degraded: true });
    expect(duplicate).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(opened.health.reportFailure(duplicate)).toBe(false);
    await opened.close();
  });
});

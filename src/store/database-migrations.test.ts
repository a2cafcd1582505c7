import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStoreBackend } from '../../test/support/store-backends.js';
import { allMigrations } from './migrations/all-migrations.js';
import { migrationState } from './migrations/run-migrations.js';
import type { OpenedDatabase } from './opened-database.js';

/** Every migration, in the order they run. */
const ALL = Object.keys(allMigrations).sort();

describeEachStoreBackend('store migrations', (backend) => {
  let location: string;
  const opened: OpenedDatabase[] = [];

  async function open(): Promise<OpenedDatabase> {
    const database = await backend.open(location);
    opened.push(database);
    return database;
  }

  beforeEach(async () => {
    location = await backend.newLocation();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });

  it('create every table on a new database and record each migration', async () => {
    const database = await open();

    const tables = await database.db.introspection.getTables();
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining([
        'accounts',
        'meta',
        'rate_limit_locks',
        'request_logs',
        'client_keys',
        'usage_hourly',
      ]),
    );
    expect(await migrationState(database.db)).toEqual({
      applied: ALL,
      pending: [],
    });
  });

  it('run once: opening an existing database again keeps its data', async () => {
    const first = await open();
    await first.db.insertInto('meta').values({ key: 'k', value: 'v' }).execute();
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await open();

    expect(await second.db.selectFrom('meta').selectAll().execute()).toEqual([{ key: 'k', value: 'v' }]);
    expect(await backend.raw(location, 'select name from kysely_migration order by name')).toEqual(
      ALL.map((name) => ({ name })),
    );
  });

  it('let several processes start together on a new database: each opens it, the schema is made once', async () => {
    const databases = await Promise.all([open(), open(), open()]);

    for (const database of databases) {
      expect(await database.db.selectFrom('accounts').select('id').execute()).toEqual([]);
    }
    expect(await backend.raw(location, 'select name from kysely_migration order by name')).toEqual(
      ALL.map((name) => ({ name })),
    );
  });
});

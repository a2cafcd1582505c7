/**
 * `switchyard migrate`, `status`, `store copy` and the accounts commands on a PostgreSQL store,
 * through the real command, against the run's shared PostgreSQL.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { allMigrations } from '../../src/store/migrations/all-migrations.js';
import { createDatabase } from '../support/services.js';
import { runCli, temporaryDirectory } from './run-cli.js';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

let directory: { path: string; remove: () => Promise<void> };
let databaseUrl: string;

beforeEach(async () => {
  directory = await temporaryDirectory();
  databaseUrl = await createDatabase(inject('postgresUrl'));
});

afterEach(() => directory.remove());

async function usePostgres(dataDir: string): Promise<void> {
  await writeFile(join(dataDir, 'gui_config.json'), JSON.stringify({ store: { backend: 'postgres' } }));
}

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli([...args, '--data-dir', directory.path], {
    env: { SWITCHYARD_DATABASE_URL: databaseUrl, SWITCHYARD_SECRET_KEY: KEY_A, ...env },
  });
}

/** `switchyard accounts add` of an API-key account into the data directory's store. */
function addAccount(provider: string, email: string, apiKey: string) {
  return cli(['accounts', 'add', '--provider', provider, '--email', email, '--api-key', apiKey]);
}

async function query(text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('switchyard migrate', () => {
  it('applies the migrations to the configured PostgreSQL database once, then reports it up to date', async () => {
    await usePostgres(directory.path);

    const first = await cli(['migrate']);
    const second = await cli(['migrate']);

    expect(first.stderr).toBe('');
    const names = Object.keys(allMigrations).sort();
    expect(first.stdout).toMatch(
      new RegExp(
        `^Applied ${names.length} migration\\(s\\) to postgres postgres://postgres@127\\.0\\.0\\.1:\\d+/t_\\w+: ${names.join(', ')}`,
      ),
    );
    expect(second.stdout).toContain(`is up to date (${names.join(', ')})`);
    expect(await query('select name from kysely_migration order by name')).toEqual(
      names.map((name) => ({ name })),
    );
  });

  it('names the missing URL when the postgres backend has none', async () => {
    await usePostgres(directory.path);

    const result = await runCli(['migrate', '--data-dir', directory.path]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('store.backend is "postgres"');
    expect(result.stderr).toContain('SWITCHYARD_DATABASE_URL');
  });
});

describe('switchyard status', () => {
  it('shows the PostgreSQL store answering with its schema and accounts, and the in-process state', async () => {
    await usePostgres(directory.path);
    await addAccount('openai', 'a@example.com', 'sk-a-000011112222');

    const result = await cli(['status', '--json']);

    expect(result.code).toBe(0);
    const { backends } = JSON.parse(result.stdout);
    expect(backends[0]).toMatchObject({ role: 'store', backend: 'postgres', ok: true });
    expect(backends[0].detail).toContain(
      `schema up to date (${Object.keys(allMigrations).length} applied), 1 account(s)`,
    );
    expect(backends[1]).toMatchObject({ role: 'state', backend: 'memory', ok: true });
  });

  it('exits 1 naming the store that does not answer, without its password', async () => {
    await usePostgres(directory.path);
    const port = new URL(inject('postgresUrl')).port;

    const result = await cli(['status'], {
      SWITCHYARD_DATABASE_URL: `postgres://postgres:pw-secret@127.0.0.1:${port}/no_such_database`,
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/store: postgres DOWN/);
    expect(result.stdout).toContain('does not answer');
    expect(result.stdout).not.toContain('pw-secret');
  });

  it('shows the SQLite store of a data directory that has none yet without creating it', async () => {
    const result = await runCli(['status', '--data-dir', directory.path]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/store: sqlite +ok/);
    expect(result.stdout).toContain('no database yet');
  });
});

describe('switchyard store copy --from sqlite --to postgres', () => {
  it('moves accounts with their ciphertext unchanged; the PostgreSQL store then serves them', async () => {
    await addAccount('openai', 'a@example.com', 'sk-a-000011112222');
    await addAccount('anthropic', 'b@example.com', 'sk-b-333344445555');
    const connection = new Database(join(directory.path, 'switchyard.db'), { readonly: true });
    const sqliteRows = connection.prepare('select id, credential from accounts order by id').all();
    connection.close();

    const copied = await cli(['store', 'copy', '--from', 'sqlite', '--to', 'postgres']);

    expect(copied.stderr).toBe('');
    expect(copied.stdout).toMatch(
      /^Copied 2 account\(s\), 0 rate-limit lock\(s\), 0 request-log row\(s\), 0 client key\(s\) and 0 hourly usage row\(s\)/,
    );
    expect(copied.stdout).toContain('credentials copied encrypted');
    expect(await query('select id, credential from accounts order by id')).toEqual(sqliteRows);
    await usePostgres(directory.path);
    const listed = await cli(['accounts', 'list', '--json']);
    expect(
      JSON.parse(listed.stdout)
        .accounts.map((account: { email: string }) => account.email)
        .sort(),
    ).toEqual(['a@example.com', 'b@example.com']);
  });

  it('refuses, copying nothing, when the key in use is not the source’s', async () => {
    await addAccount('openai', 'a@example.com', 'sk-a-000011112222');

    const copied = await cli(['store', 'copy', '--from', 'sqlite', '--to', 'postgres'], {
      SWITCHYARD_SECRET_KEY: KEY_B,
    });

    expect(copied.code).toBe(1);
    expect(copied.stderr).toContain('The secret key in use cannot read the source');
    expect(copied.stderr).toContain('same secret key');
    expect(await query('select count(*)::int as n from accounts')).toEqual([{ n: 0 }]);
  });

  it('refuses a destination created with another key, and one that already holds accounts', async () => {
    await addAccount('openai', 'a@example.com', 'sk-a-000011112222');
    const otherDirectory = await temporaryDirectory();
    await usePostgres(otherDirectory.path);
    await runCli(
      [
        'accounts',
        'add',
        '--provider',
        'openai',
        '--email',
        'z@example.com',
        '--api-key',
        'sk-z-999988887777',
        '--data-dir',
        otherDirectory.path,
      ],
      { env: { SWITCHYARD_DATABASE_URL: databaseUrl, SWITCHYARD_SECRET_KEY: KEY_B } },
    );
    await otherDirectory.remove();

    const otherKey = await cli(['store', 'copy', '--from', 'sqlite', '--to', 'postgres']);
    await query("delete from meta where key = 'secret_key_check'");
    const notEmpty = await cli(['store', 'copy', '--from', 'sqlite', '--to', 'postgres']);

    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toContain('was created with another secret key than the source');
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toContain('already holds 1 account(s): copy only into an empty store');
    expect(await query('select email from accounts')).toEqual([{ email: 'z@example.com' }]);
  });
});

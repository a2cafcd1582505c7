/**
 * The store test suites run once per backend: SQLite (a file in a temporary directory) and
 * PostgreSQL (a fresh database on the run's shared cluster, see global-services.ts). A suite is
 * written once against `StoreTestBackend` and registered with `describeEachStoreBackend`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { randomHex } from '../../src/core/ids.js';
import type { OpenedDatabase, StoreBackend } from '../../src/store/opened-database.js';
import { openPostgresDatabase } from '../../src/store/postgres-database.js';
import { openSqliteDatabase } from '../../src/store/sqlite-database.js';
import { createDatabase } from './services.js';

export interface StoreTestBackend {
  name: StoreBackend;
  /** A new, empty place for a store: a SQLite file path, or the URL of a new PostgreSQL database. */
  newLocation(): Promise<string>;
  /** Opens (and migrates) the store at `location` on connections of its own, as another process would. */
  open(location: string): Promise<OpenedDatabase>;
  /**
   * Runs `text` on a separate raw connection (no Kysely, no store code) and returns the rows, for
   * checking what is really stored. Parameters are written `?`; bigint columns come back as numbers.
   */
  raw(location: string, text: string, parameters?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

function sqliteBackend(directories: string[]): StoreTestBackend {
  return {
    name: 'sqlite',
    async newLocation() {
      const directory = await mkdtemp(path.join(tmpdir(), 'switchyard-store-'));
      directories.push(directory);
      return path.join(directory, 'switchyard.db');
    },
    open: (location) => openSqliteDatabase({ file: location }),
    async raw(location, text, parameters = []) {
      const connection = new Database(location);
      try {
        const statement = connection.prepare(text);
        if (statement.reader) return statement.all(...parameters) as Record<string, unknown>[];
        statement.run(...parameters);
        return [];
      } finally {
        connection.close();
      }
    },
  };
}

const rawTypes = {
  getTypeParser: ((oid: number, format?: 'text') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

function postgresBackend(): StoreTestBackend {
  return {
    name: 'postgres',
    newLocation: () => createDatabase(inject('postgresUrl')),
    open: (location) =>
      openPostgresDatabase({ url: location, clock: systemClock, instanceId: `test-${randomHex(4)}` }),
    async raw(location, text, parameters = []) {
      let index = 0;
      const numbered = text.replace(/\?/g, () => `$${++index}`);
      const client = new pg.Client({ connectionString: location, types: rawTypes });
      await client.connect();
      try {
        return (await client.query(numbered, [...parameters])).rows;
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * `describe(`${title} on ${backend}`)` once per backend, `suite` registering the tests. Temporary
 * SQLite directories are removed after the suite; PostgreSQL databases go with the cluster.
 */
export function describeEachStoreBackend(title: string, suite: (backend: StoreTestBackend) => void): void {
  const directories: string[] = [];
  for (const backend of [sqliteBackend(directories), postgresBackend()]) {
    describe(`${title} on ${backend.name}`, () => suite(backend));
  }
  afterAll(async () => {
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  });
}

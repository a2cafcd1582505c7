/**
 * Kysely's runtime values, loaded from its CommonJS build.
 *
 * Kysely's ES-module build is about 530 module files. Node keeps a module record, a source string
 * and a namespace for each, which cost the gateway thread 5–8 MB of resident memory more than the
 * CommonJS build of the same code (measured with `process.memoryUsage().rss` after importing each
 * build). Every runtime use of Kysely goes through this module so that one copy is loaded:
 * `instanceof` checks (e.g. on `PostgresAdapter`) then see the classes the queries were built
 * with. Types still come from `import type … from 'kysely'`, which compiles to nothing.
 */
import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';

const kysely = createRequire(import.meta.url)('kysely') as typeof KyselyModule;

export const {
  CompiledQuery,
  PostgresAdapter,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  sql,
} = kysely;

/** Runs the migrations; `Migrator` is also its instance type. */
export const Migrator = kysely.Migrator;
export type Migrator = KyselyModule.Migrator;

/** The query builder class; `Kysely<DB>` is also its instance type, as in `kysely`. */
export const Kysely = kysely.Kysely;
export type Kysely<DB> = KyselyModule.Kysely<DB>;

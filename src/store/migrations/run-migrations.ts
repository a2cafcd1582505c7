import type { DatabaseSchema } from '../database-schema.js';
import { type Kysely, Migrator } from '../kysely-runtime.js';
import { allMigrations } from './all-migrations.js';

function migrator(db: Kysely<DatabaseSchema>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...allMigrations }) },
    // Migrations are written on parallel lines of work and touch separate tables or columns: a
    // database that already ran 0003 still runs a 0002 that arrives later, instead of refusing.
    allowUnorderedMigrations: true,
  });
}

/**
 * Applies the migrations `db` has not run yet, in order, and returns their names (empty when the
 * schema was up to date). Kysely records them in `kysely_migration` and holds its migration lock
 * while it runs (SQLite: the write lock; PostgreSQL: an advisory lock). Throws the first error.
 */
export async function runMigrations(db: Kysely<DatabaseSchema>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/** Which migrations `db` has run and which it has not (for `switchyard status`). */
export async function migrationState(
  db: Kysely<DatabaseSchema>,
): Promise<{ applied: string[]; pending: string[] }> {
  const migrations = await migrator(db).getMigrations();
  return {
    applied: migrations.filter((migration) => migration.executedAt !== undefined).map((m) => m.name),
    pending: migrations.filter((migration) => migration.executedAt === undefined).map((m) => m.name),
  };
}

import type { Kysely, Migration } from 'kysely';

// Locks stored before this migration did not record where their end came from; they are read as
// `backoff` (the gateway's own guess), the only source a success may lift early.
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('rate_limit_locks')
    .addColumn('source', 'text', (column) => column.notNull().defaultTo('backoff'))
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('rate_limit_locks').dropColumn('source').execute();
}

/** Adds `rate_limit_locks.source`: where a lock's end comes from (`LockSource`). */
export const lockSourceMigration: Migration = { up, down };

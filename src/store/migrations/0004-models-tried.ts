import type { Kysely, Migration } from 'kysely';

// Requests logged before this migration were tried on one model: their mapped model.
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('request_logs')
    .addColumn('models_tried', 'text', (column) => column.notNull().defaultTo('[]'))
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('request_logs').dropColumn('models_tried').execute();
}

/** Adds `request_logs.models_tried`: the models of a fallback chain a request was tried on (JSON list). */
export const modelsTriedMigration: Migration = { up, down };

import type { Kysely, Migration } from 'kysely';

// Requests logged before this migration were tried on one model (their mapped model) and, as far
// as the log can tell, went upstream.
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('request_logs')
    .addColumn('models_tried', 'text', (column) => column.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('request_logs').addColumn('local_reply', 'text').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('request_logs').dropColumn('local_reply').execute();
  await db.schema.alterTable('request_logs').dropColumn('models_tried').execute();
}

/**
 * Adds `request_logs.models_tried` (the models of a fallback chain a request was tried on, a JSON
 * list) and `request_logs.local_reply` (`warmup`, `token-estimate`: answered by the gateway itself).
 */
export const modelsTriedMigration: Migration = { up, down };

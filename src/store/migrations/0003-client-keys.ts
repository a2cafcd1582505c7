import type { Kysely, Migration } from 'kysely';

// Numbered 0003: 0002 is taken by the rate-limit lock source (lock_source) on another line of work.
// Portable types only, as in 0001: epoch milliseconds and token sums are bigint, JSON is text.

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('client_keys')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('owner', 'text')
    .addColumn('secret_hash', 'text', (column) => column.notNull().unique())
    .addColumn('hint', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addColumn('rotated_at', 'bigint', (column) => column.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('models', 'text', (column) => column.notNull().defaultTo('[]'))
    .addColumn('account_id', 'text')
    .addColumn('account_group', 'text')
    .addColumn('limits', 'text', (column) => column.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('usage_hourly')
    .addColumn('hour', 'bigint', (column) => column.notNull())
    .addColumn('client_key_id', 'text', (column) => column.notNull())
    .addColumn('account_id', 'text', (column) => column.notNull())
    .addColumn('model', 'text', (column) => column.notNull())
    .addColumn('requests', 'bigint', (column) => column.notNull())
    .addColumn('errors', 'bigint', (column) => column.notNull())
    .addColumn('input_tokens', 'bigint', (column) => column.notNull())
    .addColumn('output_tokens', 'bigint', (column) => column.notNull())
    .addColumn('cache_read_tokens', 'bigint', (column) => column.notNull())
    .addColumn('cache_write_tokens', 'bigint', (column) => column.notNull())
    .addColumn('reasoning_tokens', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('usage_hourly_pk', ['hour', 'client_key_id', 'account_id', 'model'])
    .execute();

  await db.schema.alterTable('request_logs').addColumn('client_key_id', 'text').execute();
  await db.schema.alterTable('request_logs').addColumn('reasoning_tokens', 'integer').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('request_logs').dropColumn('reasoning_tokens').execute();
  await db.schema.alterTable('request_logs').dropColumn('client_key_id').execute();
  await db.schema.dropTable('usage_hourly').execute();
  await db.schema.dropTable('client_keys').execute();
}

/** Client keys, hourly usage totals, and the client key and reasoning tokens of each request-log row. */
export const clientKeysMigration: Migration = { up, down };

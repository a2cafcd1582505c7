import type { Kysely, Migration } from 'kysely';

// Migrations see the schema as it was when they were written, hence Kysely<unknown>.
// Only portable column types: epoch milliseconds are bigint, flags are integer 0/1, JSON is text.

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('value', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('email', 'text', (column) => column.notNull())
    .addColumn('provider', 'text', (column) => column.notNull())
    .addColumn('base_url', 'text')
    .addColumn('credential', 'text', (column) => column.notNull())
    .addColumn('tier', 'text')
    .addColumn('models', 'text', (column) => column.notNull().defaultTo('[]'))
    .addColumn('quota', 'text', (column) => column.notNull().defaultTo('{}'))
    .addColumn('disabled', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_at', 'bigint')
    .addColumn('proxy_disabled', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('proxy_disabled_reason', 'text')
    .addColumn('label', 'text')
    .addColumn('extra', 'text', (column) => column.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addColumn('last_used_at', 'bigint')
    .addUniqueConstraint('accounts_provider_email_unique', ['provider', 'email'])
    .execute();

  await db.schema
    .createTable('rate_limit_locks')
    .addColumn('account_id', 'text', (column) => column.notNull())
    .addColumn('model', 'text', (column) => column.notNull())
    .addColumn('scope', 'text', (column) => column.notNull())
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('until', 'bigint', (column) => column.notNull())
    .addColumn('detected_at', 'bigint', (column) => column.notNull())
    .addColumn('message', 'text')
    .addPrimaryKeyConstraint('rate_limit_locks_pk', ['account_id', 'model'])
    .execute();

  await db.schema
    .createTable('request_logs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('time', 'bigint', (column) => column.notNull())
    .addColumn('protocol', 'text', (column) => column.notNull())
    .addColumn('method', 'text', (column) => column.notNull())
    .addColumn('path', 'text', (column) => column.notNull())
    .addColumn('client_model', 'text')
    .addColumn('mapped_model', 'text')
    .addColumn('account_id', 'text')
    .addColumn('account_email', 'text')
    .addColumn('session_id', 'text')
    .addColumn('status', 'integer', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull())
    .addColumn('accounts_tried', 'text', (column) => column.notNull().defaultTo('[]'))
    .addColumn('latency_ms', 'integer', (column) => column.notNull())
    .addColumn('ttfb_ms', 'integer')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('cache_read_tokens', 'integer')
    .addColumn('cache_write_tokens', 'integer')
    .addColumn('error', 'text')
    .addColumn('request_body', 'text')
    .addColumn('response_body', 'text')
    .execute();

  await db.schema.createIndex('request_logs_time').on('request_logs').columns(['time', 'id']).execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('request_logs').execute();
  await db.schema.dropTable('rate_limit_locks').execute();
  await db.schema.dropTable('accounts').execute();
  await db.schema.dropTable('meta').execute();
}

/** Creates the four tables of the first release. */
export const initialMigration: Migration = { up, down };

import type { Kysely, Transaction } from 'kysely';
import { SwitchyardError } from '../core/errors.js';
import type { DatabaseSchema } from './database-schema.js';
import type { OpenedDatabase } from './opened-database.js';
import { compareSecretKey, type SecretBox } from './secret-box.js';

/** Rows per insert: 25 request-log columns × 200 stays far below both backends' parameter limits. */
const CHUNK = 200;

export interface CopyStoreResult {
  accounts: number;
  locks: number;
  requestLogs: number;
  clientKeys: number;
  usageHours: number;
}

/**
 * Copies every account, rate-limit lock, request-log row, client key and hourly usage total from `from` into `to`, in one
 * transaction on `to` (all or nothing). Credentials are copied as the ciphertext they are — never
 * decrypted — so both stores must use the same secret key: `box` (the key in use) must open the
 * key check of `from`, and of `to` when it has one; otherwise, or when `to` already holds accounts,
 * it throws a `config_error` / `conflict` naming the problem and copies nothing.
 */
export async function copyStore(options: {
  from: OpenedDatabase;
  to: OpenedDatabase;
  box: SecretBox;
}): Promise<CopyStoreResult> {
  const { from, to, box } = options;
  await ensureSameKey(from, to, box);
  const existing = await to.db
    .selectFrom('accounts')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .executeTakeFirst();
  if (Number(existing?.n ?? 0) > 0) {
    throw new SwitchyardError(
      'conflict',
      `The destination ${to.location} already holds ${existing?.n} account(s): copy only into an empty store`,
    );
  }
  return to.db.transaction().execute(async (transaction) => {
    const meta = await from.db.selectFrom('meta').selectAll().execute();
    for (const row of meta) {
      await transaction
        .insertInto('meta')
        .values(row)
        .onConflict((conflict) => conflict.column('key').doNothing())
        .execute();
    }
    const accounts = await copyTable({ from: from.db, to: transaction, table: 'accounts', orderBy: ['id'] });
    const locks = await copyTable({
      from: from.db,
      to: transaction,
      table: 'rate_limit_locks',
      orderBy: ['account_id', 'model'],
    });
    const requestLogs = await copyTable({
      from: from.db,
      to: transaction,
      table: 'request_logs',
      orderBy: ['id'],
    });
    const clientKeys = await copyTable({
      from: from.db,
      to: transaction,
      table: 'client_keys',
      orderBy: ['id'],
    });
    const usageHours = await copyTable({
      from: from.db,
      to: transaction,
      table: 'usage_hourly',
      orderBy: ['hour', 'client_key_id', 'account_id', 'model'],
    });
    // Running instances on `to` reload their accounts and keys once this commits.
    await to.changes.announce(transaction);
    await to.keyChanges.announce(transaction);
    return { accounts, locks, requestLogs, clientKeys, usageHours };
  });
}

async function ensureSameKey(from: OpenedDatabase, to: OpenedDatabase, box: SecretBox): Promise<void> {
  const hint =
    'Credentials are copied encrypted, as stored, so both stores must use the same secret key: set ' +
    'SWITCHYARD_SECRET_KEY (or keep secret.key in the data directory) to the key the source was created with.';
  const source = await compareSecretKey(from.db, box);
  if (source.result === 'different') {
    throw new SwitchyardError(
      'config_error',
      `The secret key in use cannot read the source ${from.location}. ${hint}`,
    );
  }
  const destination = await compareSecretKey(to.db, box);
  if (destination.result === 'different') {
    throw new SwitchyardError(
      'config_error',
      `The destination ${to.location} was created with another secret key than the source ${from.location}. ${hint}`,
    );
  }
}

type CopiedTable = 'accounts' | 'rate_limit_locks' | 'request_logs' | 'client_keys' | 'usage_hourly';

async function copyTable(options: {
  from: Kysely<DatabaseSchema>;
  to: Transaction<DatabaseSchema>;
  table: CopiedTable;
  /** A unique key: pages of OFFSET must not overlap. */
  orderBy: readonly string[];
}): Promise<number> {
  let copied = 0;
  for (let offset = 0; ; offset += CHUNK) {
    let query = options.from.selectFrom(options.table).selectAll();
    for (const column of options.orderBy) query = query.orderBy(column as never);
    const rows = await query.limit(CHUNK).offset(offset).execute();
    if (rows.length === 0) return copied;
    await options.to
      .insertInto(options.table)
      .values(rows as never)
      .execute();
    copied += rows.length;
  }
}

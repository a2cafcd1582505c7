import type { Kysely } from 'kysely';
import {
  FAILURE_REASONS,
  type FailureReason,
  LOCK_SOURCES,
  type LockPersistence,
  type LockSource,
  type RateLimitLock,
} from '../core/limits.js';
import type { DatabaseSchema, RateLimitLocksTable } from './database-schema.js';

/** Account-scope locks are stored with this model so (account_id, model) can be the primary key. */
const ACCOUNT_SCOPE_MODEL = '';

/**
 * Rate-limit locks in the `rate_limit_locks` table, one row per (account, model) — a newer lock
 * replaces the older one. Removing an account through `AccountStore` deletes its locks too. The same
 * queries on SQLite and PostgreSQL.
 */
export class DatabaseLockPersistence implements LockPersistence {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async loadActive(now: number): Promise<RateLimitLock[]> {
    const rows = await this.db
      .selectFrom('rate_limit_locks')
      .selectAll()
      .where('until', '>', now)
      .orderBy('account_id')
      .orderBy('model')
      .execute();
    return rows.map(lockFromRow);
  }

  async save(lock: RateLimitLock): Promise<void> {
    const row = lockToRow(lock);
    await this.db
      .insertInto('rate_limit_locks')
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(['account_id', 'model']).doUpdateSet({
          scope: row.scope,
          reason: row.reason,
          source: row.source,
          until: row.until,
          detected_at: row.detected_at,
          message: row.message,
        }),
      )
      .execute();
  }

  /**
   * `{accountId}`: every lock of the account; `{accountId, model: null}`: its account-scope lock;
   * `{accountId, model}`: the lock on that model; `{}`: all locks.
   */
  async remove(filter: { accountId?: string; model?: string | null }): Promise<void> {
    let query = this.db.deleteFrom('rate_limit_locks');
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
    if (filter.model !== undefined) query = query.where('model', '=', filter.model ?? ACCOUNT_SCOPE_MODEL);
    await query.execute();
  }

  /** Deletes locks that ended at or before `now`; returns how many. */
  async pruneExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('rate_limit_locks').where('until', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function lockToRow(lock: RateLimitLock): RateLimitLocksTable {
  return {
    account_id: lock.accountId,
    model: lock.scope === 'account' ? ACCOUNT_SCOPE_MODEL : (lock.model ?? ACCOUNT_SCOPE_MODEL),
    scope: lock.scope,
    reason: lock.reason,
    source: lock.source,
    until: lock.until,
    detected_at: lock.detectedAt,
    message: lock.message,
  };
}

function lockFromRow(row: RateLimitLocksTable): RateLimitLock {
  const scope = row.scope === 'model' && row.model !== ACCOUNT_SCOPE_MODEL ? 'model' : 'account';
  return {
    accountId: row.account_id,
    scope,
    model: scope === 'model' ? row.model : null,
    reason: isFailureReason(row.reason) ? row.reason : 'Unknown',
    source: isLockSource(row.source) ? row.source : 'backoff',
    // PostgreSQL drivers return bigint columns as strings.
    until: Number(row.until),
    detectedAt: Number(row.detected_at),
    message: row.message,
  };
}

function isFailureReason(value: string): value is FailureReason {
  return (FAILURE_REASONS as readonly string[]).includes(value);
}

function isLockSource(value: string): value is LockSource {
  return (LOCK_SOURCES as readonly string[]).includes(value);
}

import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { DatabaseSchema } from './database-schema.js';

/** What changed: each topic has its own feed, so a change of client keys does not reload accounts. */
export type ChangeTopic = 'accounts' | 'client_keys';

/**
 * How an `AccountStore` (or a `ClientKeyStore`, on its own topic) learns that accounts were changed by someone else — the CLI, or another
 * gateway instance sharing the store — so that every instance uses or drops an account within a
 * second of the change. SQLite polls its change counter (`PRAGMA data_version`); PostgreSQL is told
 * by LISTEN/NOTIFY. A feed belongs to one opened database and is closed with it.
 *
 * "Changes by others" excludes the writes made through this feed's own `announce` (SQLite: through
 * the same connection), which the store has already applied to its pool.
 */
export interface StoreChangeFeed {
  /**
   * Starts a new observation window: only changes committed by others after this call make
   * `changedSinceMark` true. The store calls it right before reading all accounts.
   */
  mark(): Promise<void>;
  /**
   * Whether others committed changes since the last `mark`. Exact, not eventual: every change
   * committed before this call is taken into account (PostgreSQL waits until its notifications
   * have arrived). Rejects when the database cannot be reached.
   */
  changedSinceMark(): Promise<boolean>;
  /**
   * Calls `onChange` whenever `changedSinceMark` may have become true — SQLite: every `intervalMs`
   * on `clock`; PostgreSQL: on each notification from another instance, and after its listening
   * connection came back from an outage (changes made meanwhile sent no notification it heard).
   * Returns the function that stops it.
   */
  watch(options: { clock: Clock; intervalMs: number; onChange: () => void }): () => void;
  /**
   * Called inside every transaction that changes the feed's topic: tells the other instances
   * (PostgreSQL: NOTIFY, delivered when the transaction commits; SQLite: nothing to do, the
   * commit itself moves `data_version`).
   */
  announce(executor: Kysely<DatabaseSchema> | Transaction<DatabaseSchema>): Promise<void>;
  /**
   * Stops calling this feed's watchers. The database owner closes what feeds share (PostgreSQL's
   * listening connection) in `OpenedDatabase.close`.
   */
  close(): Promise<void>;
}

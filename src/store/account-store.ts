import type { Kysely, Transaction } from 'kysely';
import type { Account, ModelQuota } from '../core/account.js';
import { MemoryAccountPool } from '../core/account-pool.js';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import type { IdSource } from '../core/ids.js';
import {
  type AccountPatch,
  applyAccountPatch,
  type NewAccountInput,
  newAccount,
  type RefreshedCredential,
  refreshedCredentialVerdict,
  reimportedAccount,
  validateNewAccount,
  validatePatch,
} from './account-patch.js';
import { accountFromRow, accountToRow } from './account-row.js';
import { verificationExtra } from './account-verification.js';
import type { AccountsTable, DatabaseSchema } from './database-schema.js';
import { type SecretBox, verifySecretKey } from './secret-box.js';
import type { StoreChangeFeed } from './store-change-feed.js';
import { ASSUMED_AVAILABLE, type StoreAvailability } from './store-health.js';
import { StoreUpkeep } from './store-upkeep.js';
import { LAST_USED_RESOLUTION_MS, sameQuota, UsageBatch, writeUsage } from './usage-batch.js';

export type { AccountPatch, NewAccountInput } from './account-patch.js';

type Executor = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

export interface AccountStoreOptions {
  db: Kysely<DatabaseSchema>;
  /** Encrypts credentials at rest; must hold the key the database was created with. */
  secretBox: SecretBox;
  clock: Clock;
  ids: IdSource;
  /** How often batched quota and last-used writes reach the database, in ms. Default 1000. */
  flushIntervalMs?: number;
  /**
   * Receives failures of background work that has no caller to throw to (batched writes, change
   * polling) and stored accounts skipped because they cannot be read. Default: a process warning.
   */
  onError?: (error: unknown) => void;
  /** The change feed of the same database (`OpenedDatabase.changes`): how other writers are noticed. */
  changes: StoreChangeFeed;
  /**
   * Whether the database answers (`OpenedDatabase.health`): writes are refused with a 503 at once
   * while it is known not to, batched updates wait for it. Default: assumed to answer.
   */
  availability?: StoreAvailability;
  /**
   * Start with an empty pool and leave the key check and the first load to `load()`: for a gateway
   * started while its store did not answer. Default false: `open` loads.
   */
  deferLoad?: boolean;
}

/**
 * The only writer of accounts. Keeps `pool` equal to the database so the request path never reads
 * it: every write commits first, then updates the pool; a failed write changes neither. Frequent
 * small updates (quota, last use) go to the pool at once and reach the database in batches.
 * Changes committed by other processes (the CLI, other gateway instances on a shared PostgreSQL)
 * are picked up by `pollExternalChanges`; every account write tells them through `changes.announce`.
 */
export class AccountStore {
  /** The accounts as of the last write or reload; what the scheduler reads. */
  readonly pool = new MemoryAccountPool();
  private readonly db: Kysely<DatabaseSchema>;
  private readonly box: SecretBox;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly onError: (error: unknown) => void;
  private readonly changes: StoreChangeFeed;
  private readonly availability: StoreAvailability;
  private readonly pending = new UsageBatch();
  private loaded = false;
  private readonly upkeep: StoreUpkeep;

  private constructor(options: AccountStoreOptions) {
    this.db = options.db;
    this.box = options.secretBox;
    this.clock = options.clock;
    this.ids = options.ids;
    this.onError = options.onError ?? ((error) => process.emitWarning(describeError(error), 'AccountStore'));
    this.changes = options.changes;
    this.availability = options.availability ?? ASSUMED_AVAILABLE;
    this.upkeep = new StoreUpkeep({
      changes: this.changes,
      clock: this.clock,
      availability: this.availability,
      onError: this.onError,
      loaded: () => this.loaded,
      pendingCount: () => this.pending.size,
      writePending: () => this.writePending(),
      reload: () => this.reload(),
    });
  }

  /**
   * Checks the secret key against the database, loads every account into `pool` (unless
   * `deferLoad`), starts batching: every `flushIntervalMs` while the database answers, and as soon
   * as it answers again after an outage.
   */
  static async open(options: AccountStoreOptions): Promise<AccountStore> {
    const store = new AccountStore(options);
    if (!options.deferLoad) await store.load();
    store.upkeep.startFlushing(options.flushIntervalMs ?? 1000);
    return store;
  }

  /** Accounts whose quota or last-used updates wait to be written (all of them during an outage). */
  get pendingUsageCount(): number {
    return this.pending.size;
  }

  /** Whether the accounts were loaded (false until `load()` succeeds with `deferLoad`). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Checks the secret key against the database and loads every account into `pool`. `open` calls
   * it, unless `deferLoad`; then whoever learns that the database answers does. Returns how many
   * accounts were loaded.
   */
  async load(): Promise<number> {
    await verifySecretKey(this.db, this.box);
    await this.upkeep.exclusive(() => this.reload());
    this.loaded = true;
    return this.pool.list().length;
  }

  get(id: string): Account | undefined {
    return this.pool.get(id);
  }

  list(): readonly Account[] {
    return this.pool.list();
  }

  /**
   * Reads one account from the database rather than the pool, which may lag behind another
   * instance's write until the change feed says so, and puts what it read in the pool. Undefined
   * when the account is gone. Refused with `store_unavailable` (503) while the database is known
   * not to answer, like a write.
   */
  reloadAccount(id: string): Promise<Account | undefined> {
    return this.write(async () => {
      const account = await this.readAccount(this.db, id);
      if (!account) {
        this.pool.remove(id);
        return undefined;
      }
      const current = this.pending.overlay(account);
      this.pool.upsert(current);
      return current;
    });
  }

  /** Adds an account. A second account with the same provider and email is a `conflict`. */
  async create(input: NewAccountInput): Promise<Account> {
    validateNewAccount(input);
    return this.write(async () => {
      const now = this.clock.now();
      const account = newAccount(input, { id: this.ids.uuid(), now });
      await this.db.transaction().execute(async (transaction) => {
        await this.ensureUnique(transaction, account);
        await transaction.insertInto('accounts').values(this.toRow(account, now)).execute();
        await this.changes.announce(transaction);
      });
      this.pool.upsert(account);
      return account;
    });
  }

  /** Applies `patch` (see `AccountPatch`). An unknown id is `not_found`; a taken email is `conflict`. */
  async update(id: string, patch: AccountPatch): Promise<Account> {
    validatePatch(patch);
    return this.write(async () => {
      const now = this.clock.now();
      const next = await this.db.transaction().execute(async (transaction) => {
        const current = await this.readAccount(transaction, id);
        if (!current) throw new SwitchyardError('not_found', `No account with id ${id}`, { details: { id } });
        const updated = applyAccountPatch(current, patch, now);
        if (updated.email !== current.email) await this.ensureUnique(transaction, updated);
        await transaction
          .updateTable('accounts')
          .set(this.toRow(updated, now))
          .where('id', '=', id)
          .execute();
        await this.changes.announce(transaction);
        return updated;
      });
      if (patch.quota !== undefined) this.pending.dropQuota(id);
      const account = this.pending.overlay(next);
      this.pool.upsert(account);
      return account;
    });
  }

  /** Deletes an account and its rate-limit locks. Returns what was removed, or null when unknown. */
  remove(id: string): Promise<Account | null> {
    return this.write(async () => {
      const row = await this.db.transaction().execute(async (transaction) => {
        const found = await transaction
          .selectFrom('accounts')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        await transaction.deleteFrom('rate_limit_locks').where('account_id', '=', id).execute();
        await transaction.deleteFrom('accounts').where('id', '=', id).execute();
        if (found) await this.changes.announce(transaction);
        return found;
      });
      const removed = this.pool.get(id) ?? (row ? this.tryDecode(row) : null);
      this.pending.drop(id);
      this.pool.remove(id);
      return removed;
    });
  }

  /**
   * Import: creates the accounts that do not exist yet (with their saved state and id when the
   * input restores one) and gives existing ones (same provider and email) the new credential —
   * re-enabling them when disabled for `invalid_grant` — and, for full records, the record's
   * fields and state (`reimportedAccount`). One transaction: all inputs are applied or none.
   */
  async upsertMany(inputs: readonly NewAccountInput[]): Promise<{ created: Account[]; updated: Account[] }> {
    for (const input of inputs) validateNewAccount(input);
    return this.write(async () => {
      const now = this.clock.now();
      const results = new Map<string, { account: Account; created: boolean }>();
      await this.db.transaction().execute(async (transaction) => {
        for (const input of inputs) {
          const existing = await this.findByIdentity(transaction, input);
          const account = existing
            ? reimportedAccount(existing, input)
            : newAccount(input, { id: await this.freeId(transaction, input.restore?.id), now });
          if (existing) {
            await transaction
              .updateTable('accounts')
              .set(this.toRow(account, now))
              .where('id', '=', account.id)
              .execute();
          } else {
            await transaction.insertInto('accounts').values(this.toRow(account, now)).execute();
          }
          results.set(account.id, { account, created: results.get(account.id)?.created ?? !existing });
        }
        if (inputs.length > 0) await this.changes.announce(transaction);
      });
      const created: Account[] = [];
      const updated: Account[] = [];
      for (const result of results.values()) {
        const account = this.pending.overlay(result.account);
        this.pool.upsert(account);
        (result.created ? created : updated).push(account);
      }
      return { created, updated };
    });
  }

  /**
   * Stores an OAuth credential obtained by a refresh, unless the account changed meanwhile: `gone`
   * when it was removed; `superseded` when its stored credential is neither the one refreshed
   * (refresh token `from`) nor a same-grant one older than this (re-authorized, or refreshed again
   * elsewhere) — left as it is. The request path never waits for it (`RefreshedTokenWrites`).
   */
  storeRefreshedCredential(
    id: string,
    refreshed: RefreshedCredential,
  ): Promise<'stored' | 'superseded' | 'gone'> {
    return this.write(async () => {
      const now = this.clock.now();
      const outcome = await this.db.transaction().execute(async (transaction) => {
        const current = await this.readAccount(transaction, id);
        if (!current) return 'gone' as const;
        const verdict = refreshedCredentialVerdict(current.credential, refreshed);
        if (verdict !== 'store') return verdict;
        const next = applyAccountPatch(current, { credential: refreshed.credential }, now);
        await transaction.updateTable('accounts').set(this.toRow(next, now)).where('id', '=', id).execute();
        await this.changes.announce(transaction);
        return next;
      });
      if (typeof outcome === 'string') return outcome === 'unchanged' ? 'stored' : outcome;
      this.pool.upsert(this.pending.overlay(outcome));
      return 'stored';
    });
  }

  /** Records what the upstream said about one model's quota; visible in the pool at once. */
  recordQuota(id: string, model: string, quota: ModelQuota): void {
    const account = this.pool.get(id);
    if (!account) return;
    // Rate-limit headers arrive with every response: skip observations that change nothing the
    // scheduler uses, so a busy account does not rebuild its pool entry on every request.
    const previous = account.quota[model];
    if (previous && sameQuota(previous, quota)) return;
    this.pool.upsert({ ...account, quota: { ...account.quota, [model]: quota } });
    this.pending.recordQuota(id, model, quota);
  }

  /**
   * Remembers that the upstream asks the user to verify the account at `url` (shown in the admin
   * API until a successful quota refresh or a new credential). Written in the background: the
   * gateway calls it on the request path; failures go to `onError`.
   */
  markVerificationRequired(id: string, url: string): void {
    if (!this.pool.get(id)) return;
    const mergeExtra = verificationExtra({ url, at: this.clock.now() });
    this.update(id, { mergeExtra }).catch(this.onError);
  }

  /** Records that the account served a request at `at` (epoch ms); visible in the pool at once. */
  touchLastUsed(id: string, at: number): void {
    const account = this.pool.get(id);
    // Second resolution is all anyone reads; finer updates would rebuild the entry per request.
    if (!account || (account.lastUsedAt !== null && at - account.lastUsedAt < LAST_USED_RESOLUTION_MS))
      return;
    this.pool.upsert({ ...account, lastUsedAt: at });
    this.pending.touch(id, at);
  }

  /** Writes the batched quota and last-used updates now. */
  flush(): Promise<void> {
    return this.upkeep.flush();
  }

  /**
   * Reloads the pool when another process or instance changed accounts since the last look.
   * Pending batched updates are written first so the reload keeps them. Returns whether it reloaded.
   */
  pollExternalChanges(): Promise<boolean> {
    return this.upkeep.pollExternalChanges();
  }

  /**
   * Calls `pollExternalChanges` whenever the change feed says something may have changed (SQLite:
   * every `intervalMs`; PostgreSQL: on each notification and after a reconnection) until `close`.
   */
  startWatching(intervalMs = 1000): void {
    this.upkeep.startWatching(intervalMs);
  }

  /** Stops the timers and writes pending updates. The database itself is closed by its owner. */
  async close(): Promise<void> {
    this.upkeep.stop();
    const unwritten = this.pending.size;
    if (unwritten > 0 && !this.availability.writable) {
      this.onError(
        new Error(
          `quota and last-used updates of ${unwritten} account(s) were not written: the store does not answer`,
        ),
      );
      return;
    }
    try {
      await this.flush();
    } catch (error) {
      this.onError(
        new Error(`quota and last-used updates of ${unwritten} account(s) were not written at shutdown`, {
          cause: error,
        }),
      );
    }
  }

  private async reload(): Promise<void> {
    // Marked before reading: a change committed while the rows are read is seen by the next poll.
    await this.changes.mark();
    const rows = await this.db
      .selectFrom('accounts')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const accounts: Account[] = [];
    for (const row of rows) {
      const account = this.tryDecode(row);
      if (account) accounts.push(this.pending.overlay(account));
    }
    this.pool.replaceAll(accounts);
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending.take();
    try {
      await this.db.transaction().execute(async (transaction) => {
        for (const [id, usage] of batch) await writeUsage(transaction, id, usage);
      });
    } catch (error) {
      this.pending.requeue(batch);
      throw error;
    }
  }

  private async readAccount(transaction: Executor, id: string): Promise<Account | null> {
    const row = await transaction.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? accountFromRow(row, this.box) : null;
  }

  private async findByIdentity(transaction: Executor, input: NewAccountInput): Promise<Account | null> {
    const row = await transaction
      .selectFrom('accounts')
      .selectAll()
      .where('provider', '=', input.provider)
      .where('email', '=', input.email.trim())
      .executeTakeFirst();
    return row ? accountFromRow(row, this.box) : null;
  }

  /** `wanted` when no account has that id yet, else a new one. */
  private async freeId(transaction: Executor, wanted: string | undefined): Promise<string> {
    if (wanted === undefined) return this.ids.uuid();
    const taken = await transaction
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', wanted)
      .executeTakeFirst();
    return taken ? this.ids.uuid() : wanted;
  }

  private async ensureUnique(transaction: Executor, account: Account): Promise<void> {
    const clash = await transaction
      .selectFrom('accounts')
      .select('id')
      .where('provider', '=', account.provider)
      .where('email', '=', account.email)
      .where('id', '!=', account.id)
      .executeTakeFirst();
    if (clash) {
      throw new SwitchyardError(
        'conflict',
        `An account for provider ${account.provider} with email ${account.email} already exists`,
        { details: { provider: account.provider, email: account.email, existingId: clash.id } },
      );
    }
  }

  private toRow(account: Account, now: number): AccountsTable {
    return accountToRow(account, { box: this.box, updatedAt: now });
  }

  private tryDecode(row: AccountsTable): Account | null {
    try {
      return accountFromRow(row, this.box);
    } catch (error) {
      this.onError(error);
      return null;
    }
  }

  /** An account write: refused with a 503 at once while the database is known not to answer. */
  private write<T>(task: () => Promise<T>): Promise<T> {
    return this.availability.guard(() => this.upkeep.exclusive(task));
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

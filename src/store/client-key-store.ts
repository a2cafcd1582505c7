import type { Kysely, Transaction } from 'kysely';
import { type ClientKey, clientKeyHint, hashClientKeySecret, type KeyLimits } from '../core/client-key.js';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import { type IdSource, newClientKeySecret } from '../core/ids.js';
import { clientKeyFromRow, clientKeyToRow } from './client-key-row.js';
import type { DatabaseSchema } from './database-schema.js';
import type { StoreChangeFeed } from './store-change-feed.js';
import { ASSUMED_AVAILABLE, type StoreAvailability } from './store-health.js';
import { StoreUpkeep } from './store-upkeep.js';
import { LAST_USED_RESOLUTION_MS } from './usage-batch.js';

type Executor = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/** What the owner sets on a key; see `ClientKey` for each field. */
export interface ClientKeySettings {
  name: string;
  owner: string | null;
  expiresAt: number | null;
  models: string[];
  accountId: string | null;
  accountGroup: string | null;
  limits: KeyLimits;
}

export type NewClientKeyInput = Pick<ClientKeySettings, 'name'> & Partial<ClientKeySettings>;
/** Only the given fields change; `limits` replaces the limits as a whole. */
export type ClientKeyPatch = Partial<ClientKeySettings>;

/** A key with its secret: the only moment the secret exists outside the client's hands. */
export interface IssuedClientKey {
  key: ClientKey;
  secret: string;
}

export interface ClientKeyStoreOptions {
  db: Kysely<DatabaseSchema>;
  clock: Clock;
  ids: IdSource;
  /** The client-key change feed of the same database (`OpenedDatabase.keyChanges`). */
  changes: StoreChangeFeed;
  /** Makes new secrets. Default: `newClientKeySecret` (256 random bits). */
  newSecret?: () => string;
  /** How often batched last-used times reach the database, in ms. Default 5000. */
  flushIntervalMs?: number;
  /** Failures of background work (batched writes, change polling). Default: a process warning. */
  onError?: (error: unknown) => void;
  /**
   * Whether the database answers (`OpenedDatabase.health`): key changes are refused with a 503 at
   * once while it is known not to; batched last-used times wait for it. Default: assumed to answer.
   */
  availability?: StoreAvailability;
  /** Start with no keys and leave the first load to `load()` (a gateway started while its store did not answer). */
  deferLoad?: boolean;
}

/**
 * The only writer of client keys, and the table the request path reads: every key in memory by id
 * and by secret hash, so identifying a caller is one SHA-256 and one map lookup, never a database
 * read. Writes commit first, then update memory (a failed write changes neither) and announce the
 * change; changes made by the CLI or other instances are picked up through the change feed.
 * Last-used times are recorded in memory at once and written in batches.
 */
export class ClientKeyStore {
  private readonly byId = new Map<string, ClientKey>();
  private readonly byHash = new Map<string, ClientKey>();
  private readonly pendingLastUsed = new Map<string, number>();
  private readonly newSecret: () => string;
  private readonly onError: (error: unknown) => void;
  private readonly availability: StoreAvailability;
  private loaded = false;
  private readonly upkeep: StoreUpkeep;

  private constructor(private readonly options: ClientKeyStoreOptions) {
    this.availability = options.availability ?? ASSUMED_AVAILABLE;
    this.newSecret = options.newSecret ?? newClientKeySecret;
    this.onError =
      options.onError ?? ((error) => process.emitWarning(describeError(error), 'ClientKeyStore'));
    this.upkeep = new StoreUpkeep({
      changes: options.changes,
      clock: options.clock,
      availability: this.availability,
      onError: this.onError,
      loaded: () => this.loaded,
      pendingCount: () => this.pendingLastUsed.size,
      writePending: () => this.writeLastUsed(),
      reload: () => this.reload(),
    });
  }

  /** Loads every key and starts the batched last-used writes. */
  static async open(options: ClientKeyStoreOptions): Promise<ClientKeyStore> {
    const store = new ClientKeyStore(options);
    if (!options.deferLoad) await store.load();
    store.upkeep.startFlushing(options.flushIntervalMs ?? 5000);
    return store;
  }

  /** Loads every key (`open` does, unless `deferLoad`). */
  async load(): Promise<void> {
    await this.upkeep.exclusive(() => this.reload());
    this.loaded = true;
  }

  /** Every key, revoked ones included, oldest first. */
  list(): ClientKey[] {
    return [...this.byId.values()].sort((left, right) => left.createdAt - right.createdAt);
  }

  get(id: string): ClientKey | undefined {
    return this.byId.get(id);
  }

  findBySecret(secret: string): ClientKey | undefined {
    return this.byHash.get(hashClientKeySecret(secret));
  }

  /** Creates a key; a name already used by an active key is a `conflict`. */
  create(input: NewClientKeyInput): Promise<IssuedClientKey> {
    return this.upkeep.exclusive(async () => {
      const now = this.options.clock.now();
      const secret = this.newSecret();
      const key: ClientKey = {
        id: this.options.ids.uuid(),
        name: input.name,
        owner: input.owner ?? null,
        secretHash: hashClientKeySecret(secret),
        hint: clientKeyHint(secret),
        createdAt: now,
        rotatedAt: now,
        lastUsedAt: null,
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
        models: input.models ?? [],
        accountId: input.accountId ?? null,
        accountGroup: input.accountGroup ?? null,
        limits: input.limits ?? {},
      };
      await this.write(async (transaction) => {
        await this.ensureNameFree(transaction, key);
        await transaction.insertInto('client_keys').values(clientKeyToRow(key, now)).execute();
      });
      this.remember(key);
      return { key, secret };
    });
  }

  /** Changes an active key's settings. Unknown id: `not_found`; revoked: `conflict`. */
  update(id: string, patch: ClientKeyPatch): Promise<ClientKey> {
    return this.change(id, async (current, transaction) => {
      const next: ClientKey = { ...current, ...definedFields(patch) };
      if (next.name !== current.name) await this.ensureNameFree(transaction, next);
      return next;
    });
  }

  /** Revokes a key: refused from now on, kept (with its usage) in the list. */
  revoke(id: string): Promise<ClientKey> {
    return this.change(id, async (current) => ({ ...current, revokedAt: this.options.clock.now() }));
  }

  /** Gives an active key a new secret; the old one is refused at once. Id, settings and usage stay. */
  rotate(id: string): Promise<IssuedClientKey> {
    let secret = '';
    return this.change(id, async (current) => {
      secret = this.newSecret();
      return {
        ...current,
        secretHash: hashClientKeySecret(secret),
        hint: clientKeyHint(secret),
        rotatedAt: this.options.clock.now(),
      };
    }).then((key) => ({ key, secret }));
  }

  /** Records that a key was used at `at`; visible at once, written with the next batch. */
  touchLastUsed(id: string, at: number): void {
    const key = this.byId.get(id);
    if (!key || (key.lastUsedAt !== null && at - key.lastUsedAt < LAST_USED_RESOLUTION_MS)) return;
    this.remember({ ...key, lastUsedAt: at });
    this.pendingLastUsed.set(id, at);
  }

  /** Keys whose last-used time waits to be written (all those used during a store outage). */
  get pendingLastUsedCount(): number {
    return this.pendingLastUsed.size;
  }

  /** Writes the batched last-used times now. */
  flush(): Promise<void> {
    return this.upkeep.flush();
  }

  /** Reloads the keys when another process or instance changed them since the last look. */
  pollExternalChanges(): Promise<boolean> {
    return this.upkeep.pollExternalChanges();
  }

  /** Polls for outside changes whenever the change feed says there may be some, until `close`. */
  startWatching(intervalMs = 1000): void {
    this.upkeep.startWatching(intervalMs);
  }

  async close(): Promise<void> {
    this.upkeep.stop();
    if (!this.availability.writable) return;
    await this.flush().catch((error: unknown) => this.upkeep.backgroundFailure(error));
  }

  /** Reads the active key `id`, lets `next` derive its new state, stores it. */
  private change(
    id: string,
    next: (current: ClientKey, transaction: Transaction<DatabaseSchema>) => Promise<ClientKey>,
  ): Promise<ClientKey> {
    return this.upkeep.exclusive(async () => {
      const now = this.options.clock.now();
      const key = await this.write(async (transaction) => {
        const row = await transaction
          .selectFrom('client_keys')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) throw new SwitchyardError('not_found', `No client key with id ${id}`, { details: { id } });
        const current = clientKeyFromRow(row);
        if (current.revokedAt !== null) {
          throw new SwitchyardError(
            'conflict',
            `Client key "${current.name}" is revoked and cannot be changed`,
          );
        }
        const updated = await next(
          { ...current, lastUsedAt: this.byId.get(id)?.lastUsedAt ?? current.lastUsedAt },
          transaction,
        );
        await transaction
          .updateTable('client_keys')
          .set(clientKeyToRow(updated, now))
          .where('id', '=', id)
          .execute();
        return updated;
      });
      this.remember(key);
      return key;
    });
  }

  /** A key change: refused with a 503 at once while the database is known not to answer. */
  private async write<T>(work: (transaction: Transaction<DatabaseSchema>) => Promise<T>): Promise<T> {
    return this.availability.guard(() =>
      this.options.db.transaction().execute(async (transaction) => {
        const result = await work(transaction);
        await this.options.changes.announce(transaction);
        return result;
      }),
    );
  }

  private async ensureNameFree(executor: Executor, key: ClientKey): Promise<void> {
    const clash = await executor
      .selectFrom('client_keys')
      .select('id')
      .where('name', '=', key.name)
      .where('revoked_at', 'is', null)
      .where('id', '!=', key.id)
      .executeTakeFirst();
    if (clash) {
      throw new SwitchyardError('conflict', `An active client key named "${key.name}" already exists`, {
        details: { name: key.name, existingId: clash.id },
      });
    }
  }

  private remember(key: ClientKey): void {
    const previous = this.byId.get(key.id);
    if (previous && previous.secretHash !== key.secretHash) this.byHash.delete(previous.secretHash);
    this.byId.set(key.id, key);
    this.byHash.set(key.secretHash, key);
  }

  private async reload(): Promise<void> {
    // Marked before reading: a change committed while the rows are read is seen by the next poll.
    await this.options.changes.mark();
    const rows = await this.options.db.selectFrom('client_keys').selectAll().execute();
    this.byId.clear();
    this.byHash.clear();
    for (const row of rows) {
      try {
        const key = clientKeyFromRow(row);
        const pending = this.pendingLastUsed.get(key.id);
        this.remember(
          pending !== undefined && pending > (key.lastUsedAt ?? 0) ? { ...key, lastUsedAt: pending } : key,
        );
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private async writeLastUsed(): Promise<void> {
    if (this.pendingLastUsed.size === 0) return;
    const batch = [...this.pendingLastUsed];
    this.pendingLastUsed.clear();
    try {
      await this.options.db.transaction().execute(async (transaction) => {
        for (const [id, at] of batch) {
          // Never move it back: another instance may have stored a later use meanwhile.
          await transaction
            .updateTable('client_keys')
            .set({ last_used_at: at })
            .where('id', '=', id)
            .where((where) => where.or([where('last_used_at', 'is', null), where('last_used_at', '<', at)]))
            .execute();
        }
      });
    } catch (error) {
      for (const [id, at] of batch) if (!this.pendingLastUsed.has(id)) this.pendingLastUsed.set(id, at);
      throw error;
    }
  }
}

function definedFields(patch: ClientKeyPatch): ClientKeyPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

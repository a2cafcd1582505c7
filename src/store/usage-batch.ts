import type { Transaction } from 'kysely';
import type { Account, ModelQuota } from '../core/account.js';
import { parseQuota } from './account-row.js';
import type { DatabaseSchema } from './database-schema.js';

/** `lastUsedAt` is kept to this resolution (ms). */
export const LAST_USED_RESOLUTION_MS = 1000;

/** Quota observations closer than this (fraction of the quota) count as unchanged. */
const QUOTA_EPSILON = 0.005;

/** Whether a new quota observation changes nothing the scheduler or the UI would act on. */
export function sameQuota(previous: ModelQuota, next: ModelQuota): boolean {
  return (
    previous.source === next.source &&
    Math.abs(previous.remainingFraction - next.remainingFraction) < QUOTA_EPSILON &&
    Math.abs((previous.resetAt ?? 0) - (next.resetAt ?? 0)) < 1000 &&
    next.observedAt - previous.observedAt < 60_000
  );
}

/** Quota and last-used updates of one account, recorded in the pool but not yet written. */
export interface PendingUsage {
  quota: Record<string, ModelQuota>;
  lastUsedAt: number | null;
}

/**
 * The frequent small account updates of the request path (quota seen in response headers, last
 * use), collected in memory so they reach the database in one transaction per flush.
 */
export class UsageBatch {
  private pending = new Map<string, PendingUsage>();

  get size(): number {
    return this.pending.size;
  }

  recordQuota(id: string, model: string, quota: ModelQuota): void {
    this.entry(id).quota[model] = quota;
  }

  touch(id: string, at: number): void {
    const entry = this.entry(id);
    entry.lastUsedAt = latest(entry.lastUsedAt, at);
  }

  /** Forgets pending quota of one account (its quota was just replaced as a whole). */
  dropQuota(id: string): void {
    const entry = this.pending.get(id);
    if (entry) entry.quota = {};
  }

  /** Forgets everything pending for one account (it was removed). */
  drop(id: string): void {
    this.pending.delete(id);
  }

  /** Hands over everything pending and starts a new batch. */
  take(): Map<string, PendingUsage> {
    const batch = this.pending;
    this.pending = new Map();
    return batch;
  }

  /** Puts a batch that failed to write back, keeping anything recorded after it was taken. */
  requeue(batch: Map<string, PendingUsage>): void {
    for (const [id, usage] of batch) {
      const newer = this.pending.get(id);
      this.pending.set(id, {
        quota: { ...usage.quota, ...newer?.quota },
        lastUsedAt: latest(usage.lastUsedAt, newer?.lastUsedAt ?? null),
      });
    }
  }

  /** `account` (as stored) with the pending updates on top. */
  overlay(account: Account): Account {
    const entry = this.pending.get(account.id);
    if (!entry) return account;
    return {
      ...account,
      quota: { ...account.quota, ...entry.quota },
      lastUsedAt: latest(account.lastUsedAt, entry.lastUsedAt),
    };
  }

  private entry(id: string): PendingUsage {
    let entry = this.pending.get(id);
    if (!entry) {
      entry = { quota: {}, lastUsedAt: null };
      this.pending.set(id, entry);
    }
    return entry;
  }
}

/** The later of two optional epoch-ms times. */
export function latest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * Writes one account's pending usage inside `transaction`, keeping what is newer in the database:
 * another process may have stored a later observation of the same model, or a later use, meanwhile.
 */
export async function writeUsage(
  transaction: Transaction<DatabaseSchema>,
  id: string,
  usage: PendingUsage,
): Promise<void> {
  const row = await transaction
    .selectFrom('accounts')
    .select(['quota', 'last_used_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return;
  const quota = parseQuota(row.quota);
  for (const [model, observed] of Object.entries(usage.quota)) {
    const stored = quota[model];
    if (!stored || stored.observedAt <= observed.observedAt) quota[model] = observed;
  }
  const storedLastUsed = row.last_used_at === null ? null : Number(row.last_used_at);
  const lastUsedAt = latest(storedLastUsed, usage.lastUsedAt);
  await transaction
    .updateTable('accounts')
    .set({ quota: JSON.stringify(quota), last_used_at: lastUsedAt })
    .where('id', '=', id)
    .execute();
}

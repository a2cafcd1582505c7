import type { AccountPool } from '../core/account-pool.js';
import { type ClientKey, type KeyLimitName, keyAllowsModel } from '../core/client-key.js';
import { SwitchyardError } from '../core/errors.js';
import type { RequestLogEntry, RequestLogSink } from '../observability/request-log-entry.js';
import type { PriceTable } from '../usage/price-table.js';
import type { KeyLimiter, KeyWindowUsage, LimitRefusal } from './key-limiter.js';

export interface ClientKeyGateOptions {
  limiter: KeyLimiter;
  /** Where a key's last use is recorded (`ClientKeyStore`). */
  keys: { touchLastUsed(id: string, at: number): void };
  /** The accounts, for keys pinned to an account group (accounts whose label is the group). */
  pool: AccountPool;
  /** The price table in force, for cost budgets. */
  prices: () => PriceTable;
}

/** What the gateway needs from client keys on the request path. */
export interface KeyAdmissionPort {
  /**
   * Lets a request made with `clientKey` through, or throws: `forbidden` (403) for a model the key
   * may not use, `key_limit_reached` (429, with `retryAfterSeconds`) for a limit without room.
   * Resolves the ids of the accounts the key may use, or null when any may serve it.
   */
  admit(
    request: { clientKey: ClientKey; clientModel: string },
    now: number,
  ): Promise<ReadonlySet<string> | null>;
}

/**
 * Client keys on the request path: admission (allowed models, limits, last use, pinned accounts)
 * before a request is sent, and charging (tokens and estimated cost) once its answer is complete —
 * as a request-log sink, so a stream is charged at its end with the usage it reported.
 */
export class ClientKeyGate implements KeyAdmissionPort, RequestLogSink {
  private groupCache: { version: number; groups: Map<string, ReadonlySet<string>> } = {
    version: -1,
    groups: new Map(),
  };

  constructor(private readonly options: ClientKeyGateOptions) {}

  async admit(
    request: { clientKey: ClientKey; clientModel: string },
    now: number,
  ): Promise<ReadonlySet<string> | null> {
    const key = request.clientKey;
    if (!keyAllowsModel(key, request.clientModel)) {
      throw new SwitchyardError(
        'forbidden',
        `API key "${key.name}" may not use model "${request.clientModel}" (allowed: ${key.models.join(', ')})`,
        { details: { key: key.id, model: request.clientModel } },
      );
    }
    const refusal = await this.options.limiter.admit(key, now);
    if (refusal !== null) throw limitError(key, refusal, now);
    this.options.keys.touchLastUsed(key.id, now);
    return this.accountsFor(key);
  }

  /** Charges a finished request's tokens and estimated cost to its client key. Never throws. */
  record(entry: RequestLogEntry): void {
    const { clientKeyId, usage } = entry;
    if (clientKeyId === null || usage === null) return;
    const tokens = usage.inputTokens + usage.outputTokens;
    const cost = entry.mappedModel === null ? null : this.options.prices().costOf(entry.mappedModel, usage);
    this.options.limiter
      .charge(clientKeyId, { tokens, cost: cost ?? 0 }, entry.time + entry.latencyMs)
      .catch(() => undefined);
  }

  /** What a key has used in each of its windows. */
  windowUsage(keyId: string, now: number): Promise<KeyWindowUsage> {
    return this.options.limiter.usage(keyId, now);
  }

  /** The ids of the accounts `key` may use (its pinned account, or its group); null for any. */
  accountsFor(key: Pick<ClientKey, 'accountId' | 'accountGroup'>): ReadonlySet<string> | null {
    if (key.accountId !== null) return new Set([key.accountId]);
    if (key.accountGroup === null) return null;
    const { pool } = this.options;
    if (this.groupCache.version !== pool.version)
      this.groupCache = { version: pool.version, groups: new Map() };
    let members = this.groupCache.groups.get(key.accountGroup);
    if (!members) {
      members = new Set(
        pool
          .list()
          .filter((account) => account.label === key.accountGroup)
          .map((account) => account.id),
      );
      this.groupCache.groups.set(key.accountGroup, members);
    }
    return members;
  }
}

const LIMIT_WORDS: Record<KeyLimitName, (allowed: number) => string> = {
  requestsPerMinute: (allowed) => `its limit of ${allowed} requests per minute`,
  tokensPerMinute: (allowed) => `its limit of ${allowed} tokens per minute`,
  tokensPerDay: (allowed) => `its budget of ${allowed} tokens for today (UTC)`,
  tokensPerMonth: (allowed) => `its budget of ${allowed} tokens for this month (UTC)`,
  costPerDay: (allowed) => `its budget of $${allowed} (estimated cost) for today (UTC)`,
  costPerMonth: (allowed) => `its budget of $${allowed} (estimated cost) for this month (UTC)`,
};

function limitError(key: ClientKey, refusal: LimitRefusal, now: number): SwitchyardError {
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const resets = new Date(now + refusal.retryAfterMs).toISOString();
  return new SwitchyardError(
    'key_limit_reached',
    `API key "${key.name}" reached ${LIMIT_WORDS[refusal.limit](refusal.allowed)}; retry after ${seconds}s (${resets})`,
    {
      retryAfterSeconds: seconds,
      details: { key: key.id, limit: refusal.limit, allowed: refusal.allowed, used: refusal.used },
    },
  );
}

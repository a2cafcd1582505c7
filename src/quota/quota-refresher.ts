import type { Account, Credential, ModelQuota } from '../core/account.js';
import type { AccountPool, AccountPoolEvent } from '../core/account-pool.js';
import type { Clock } from '../core/clock.js';
import { SwitchyardError } from '../core/errors.js';
import type { RateLimitLock } from '../core/limits.js';
import type { Logger } from '../observability/logger.js';
import type { CredentialProvider } from '../providers/auth/credential-provider.js';
import { SingleFlight } from '../providers/auth/single-flight.js';
import type { QuotaObservation } from '../scheduler/limit-records.js';
import type { LockFilter } from '../state/state-store.js';
import type { AccountPatch } from '../store/account-patch.js';
import { accountVerification, VERIFICATION_KEY } from '../store/account-verification.js';
import type { QuotaReading, QuotaSource } from './quota-source.js';
import { recoveredModelLocks } from './recovered-model-locks.js';
import { runLimited } from './run-limited.js';

/** What happened to one account in a refresh. */
export interface QuotaRefreshOutcome {
  accountId: string;
  email: string;
  status: 'refreshed' | 'failed' | 'skipped';
  /** Why it failed or was skipped; null when refreshed. */
  message: string | null;
  /** How many models' quota was recorded. */
  models: number;
  /** Models whose lock was lifted because the fresh quota shows them recovered. */
  clearedLocks: string[];
}

export interface QuotaRefresherOptions {
  accounts: {
    pool: AccountPool;
    update(id: string, patch: AccountPatch): Promise<Account>;
    recordQuota(id: string, model: string, quota: ModelQuota): void;
  };
  credentials: CredentialProvider;
  sources: readonly QuotaSource[];
  /** The scheduler's lock state (the state store). */
  locks: {
    listLocks(): Promise<readonly RateLimitLock[]>;
    deleteLocks(filter: LockFilter): Promise<number>;
  };
  /**
   * The scheduler's rate-limit bookkeeping: a model read with nothing left until a future reset
   * becomes a predicted limit (source `quota-api`) there, the same rule as for rate-limit headers.
   */
  limits: { recordPredictedLimit(observation: QuotaObservation): Promise<unknown> };
  clock: Clock;
  /** Read on every decision: whether background refreshes run, and how often. */
  settings: () => { enabled: boolean; intervalMs: number };
  logger: Logger;
  /** Accounts refreshed at the same time. Default 5. */
  concurrency?: number;
}

const ALL = '*';

function secretOf(credential: Credential): string {
  return credential.type === 'api_key' ? credential.apiKey : credential.refreshToken;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Server-side quota refresh: every `refresh_interval` minutes, at start, for every new or
 * re-authorized account, and on demand — never in a browser. At most `concurrency` accounts at a
 * time, one refresh per account at a time; disabled accounts and providers without a quota API are
 * skipped. A refresh records each model's quota (source `api`) — a model with nothing left until a
 * future reset is locked until then (a predicted limit) —, forgets a pending verification request,
 * and lifts a model lock only when the fresh quota shows that model recovered.
 */
export class QuotaRefresher {
  private readonly perAccount = new SingleFlight<QuotaRefreshOutcome>();
  private readonly wholeRuns = new SingleFlight<QuotaRefreshOutcome[]>();
  /** The secret (refresh token or key) last seen per account, to notice new credentials. */
  private readonly secrets = new Map<string, string>();
  private readonly background = new Set<Promise<unknown>>();
  private cancelTimer: () => void = () => undefined;
  private unsubscribe: () => void = () => undefined;
  private running = false;

  constructor(private readonly options: QuotaRefresherOptions) {}

  /** Follows the pool, arms the timer and, when enabled, refreshes every account once now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const account of this.options.accounts.pool.list())
      this.secrets.set(account.id, secretOf(account.credential));
    this.unsubscribe = this.options.accounts.pool.subscribe((event) => this.onPoolEvent(event));
    this.reschedule();
    if (this.options.settings().enabled) this.inBackground(this.refreshAll());
  }

  /** Re-arms the timer from the current settings (call after `refresh_interval` or `auto_refresh` changed). */
  reschedule(): void {
    this.cancelTimer();
    this.cancelTimer = () => undefined;
    const { enabled, intervalMs } = this.options.settings();
    if (!this.running || !enabled) return;
    this.cancelTimer = this.options.clock.every(intervalMs, () => this.inBackground(this.refreshAll()));
  }

  /** Stops timers and listeners and waits for refreshes in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.cancelTimer();
    this.unsubscribe();
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** Refreshes one account now (joining a refresh in flight). Unknown id: `not_found`. */
  refreshAccount(accountId: string): Promise<QuotaRefreshOutcome> {
    const account = this.options.accounts.pool.get(accountId);
    if (!account) throw new SwitchyardError('not_found', `No account with id ${accountId}`);
    return this.perAccount.run(accountId, () => this.refreshOne(accountId));
  }

  /** Refreshes every account (at most `concurrency` at a time) and reports each outcome. */
  refreshAll(): Promise<QuotaRefreshOutcome[]> {
    return this.wholeRuns.run(ALL, () =>
      runLimited({
        items: this.options.accounts.pool.list().map((account) => account.id),
        limit: this.options.concurrency ?? 5,
        work: (id) =>
          this.options.accounts.pool.get(id)
            ? this.perAccount.run(id, () => this.refreshOne(id))
            : Promise.resolve(this.outcome({ id, email: '' }, 'skipped', 'account was removed')),
      }),
    );
  }

  private async refreshOne(accountId: string): Promise<QuotaRefreshOutcome> {
    const account = this.options.accounts.pool.get(accountId);
    if (!account) return this.outcome({ id: accountId, email: '' }, 'skipped', 'account was removed');
    if (account.disabled) return this.outcome(account, 'skipped', 'account is disabled');
    const source = this.options.sources.find((candidate) => candidate.supports(account));
    if (!source) return this.outcome(account, 'skipped', `no quota API for provider ${account.provider}`);
    try {
      const reading = await this.read(account, source);
      const clearedLocks = await this.apply(account, reading);
      return {
        ...this.outcome(account, 'refreshed', null),
        models: Object.keys(reading.models).length,
        clearedLocks,
      };
    } catch (error) {
      this.options.logger.warn({ account: account.email, err: describe(error) }, 'quota refresh failed');
      return this.outcome(account, 'failed', describe(error));
    }
  }

  /** Reads the quota; an answer of 401 gets one forced token refresh and a second read. */
  private async read(account: Account, source: QuotaSource): Promise<QuotaReading> {
    const credential = await this.options.credentials.authorize(account);
    try {
      return await source.read(account, credential);
    } catch (error) {
      if ((error as { status?: unknown }).status !== 401) throw error;
      const refreshed = await this.options.credentials.authorize(account, { forceRefresh: true });
      return source.read(account, refreshed);
    }
  }

  private async apply(account: Account, reading: QuotaReading): Promise<string[]> {
    const now = this.options.clock.now();
    for (const [model, quota] of Object.entries(reading.models)) {
      this.options.accounts.recordQuota(account.id, model, { ...quota, observedAt: now, source: 'api' });
      await this.options.limits.recordPredictedLimit({
        accountId: account.id,
        model,
        quota,
        source: 'quota-api',
      });
    }
    const current = this.options.accounts.pool.get(account.id) ?? account;
    const patch: AccountPatch = {};
    // A working quota call shows the account no longer needs verification.
    if (accountVerification(current)) patch.mergeExtra = { [VERIFICATION_KEY]: null };
    if (reading.tier && reading.tier !== current.tier) patch.tier = reading.tier;
    if (Object.keys(patch).length > 0) await this.options.accounts.update(account.id, patch);
    const locks = await this.options.locks.listLocks();
    const recovered = recoveredModelLocks({ locks, accountId: account.id, models: reading.models });
    for (const model of recovered) await this.options.locks.deleteLocks({ accountId: account.id, model });
    return recovered;
  }

  private outcome(
    account: { id: string; email: string },
    status: QuotaRefreshOutcome['status'],
    message: string | null,
  ): QuotaRefreshOutcome {
    return { accountId: account.id, email: account.email, status, message, models: 0, clearedLocks: [] };
  }

  /** New accounts and new credentials get a refresh; a new credential also lifts the old one's auth lock. */
  private onPoolEvent(event: AccountPoolEvent): void {
    if (event.type === 'remove') {
      this.secrets.delete(event.account.id);
      return;
    }
    const accounts = event.type === 'upsert' ? [event.account] : this.options.accounts.pool.list();
    for (const account of accounts) {
      const secret = secretOf(account.credential);
      const known = this.secrets.get(account.id);
      this.secrets.set(account.id, secret);
      if (known === secret) continue;
      if (known !== undefined) this.inBackground(this.liftAuthLock(account.id));
      if (this.running && this.options.settings().enabled && !account.disabled) {
        this.inBackground(this.perAccount.run(account.id, () => this.refreshOne(account.id)));
      }
    }
  }

  /** The account-level lock a revoked credential earned does not apply to its replacement. */
  private async liftAuthLock(accountId: string): Promise<void> {
    const locks = await this.options.locks.listLocks();
    const stale = locks.some(
      (lock) => lock.accountId === accountId && lock.scope === 'account' && lock.reason === 'AuthError',
    );
    if (stale) await this.options.locks.deleteLocks({ accountId, model: null });
  }

  private inBackground(task: Promise<unknown>): void {
    const tracked: Promise<unknown> = task
      .catch((error: unknown) => this.options.logger.error({ err: describe(error) }, 'quota refresh failed'))
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }
}

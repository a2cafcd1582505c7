/**
 * Fakes for unit tests of the OAuth credential provider: an account store in memory with the real
 * patch semantics (one "database" several instances may share, each with its own cached view), and
 * a token endpoint whose answers a test can hold and release.
 */
import type { Account, OAuthCredential } from '../../src/core/account.js';
import type { FakeClock } from '../../src/core/clock.js';
import type { OAuthEndpoints, TokenAnswer, TokenGrant } from '../../src/providers/auth/oauth-endpoints.js';
import { type AccountPatch, applyAccountPatch, newAccount } from '../../src/store/account-patch.js';

export const START = Date.UTC(2026, 0, 1);

export function oauth(overrides: Partial<OAuthCredential> = {}): OAuthCredential {
  return {
    type: 'oauth',
    refreshToken: 'rt-1',
    accessToken: 'at-old',
    expiresAt: START + 3600_000,
    tokenUrl: 'http://127.0.0.1:9/token',
    clientId: 'client-1',
    clientSecret: null,
    ...overrides,
  };
}

/**
 * An in-memory account store with the real patch semantics. `accounts` is what this instance has
 * seen (what `get` reads); `database` what is stored, shared with its `view()`s: a second
 * instance sees the first one's writes only once it reads them (`reloadAccount`).
 */
export class FakeAccounts {
  readonly accounts = new Map<string, Account>();
  readonly updates: AccountPatch[] = [];
  /** How many times `reloadAccount` read the database. */
  reloads = 0;
  failWrites = false;

  constructor(
    private readonly clock: FakeClock,
    readonly database = new Map<string, Account>(),
  ) {
    for (const [id, account] of database) this.accounts.set(id, account);
  }

  add(credential: OAuthCredential): Account {
    const account = newAccount(
      { provider: 'code-assist', email: 'a@example.com', credential },
      { id: 'acct-1', now: this.clock.now() },
    );
    this.database.set(account.id, account);
    this.accounts.set(account.id, account);
    return account;
  }

  /** Another instance on the same database, having seen what is stored now. */
  view(): FakeAccounts {
    return new FakeAccounts(this.clock, this.database);
  }

  get(id: string): Account | undefined {
    return this.accounts.get(id);
  }

  async update(id: string, patch: AccountPatch): Promise<Account> {
    this.updates.push(patch);
    if (this.failWrites) throw new Error('database is locked');
    const next = applyAccountPatch(this.database.get(id) as Account, patch, this.clock.now());
    this.database.set(id, next);
    this.accounts.set(id, next);
    return next;
  }

  async reloadAccount(id: string): Promise<Account | undefined> {
    this.reloads++;
    const stored = this.database.get(id);
    if (stored) this.accounts.set(id, stored);
    else this.accounts.delete(id);
    return stored;
  }
}

/** A token endpoint whose answers the test releases by hand. */
export class FakeEndpoints implements OAuthEndpoints {
  readonly grants: TokenGrant[] = [];
  /** The signal each grant was sent with. */
  readonly signals: Array<{ readonly aborted: boolean } | undefined> = [];
  private readonly waiting: Array<{
    resolve: (answer: TokenAnswer) => void;
    reject: (error: unknown) => void;
  }> = [];
  answer: (grant: TokenGrant, call: number) => TokenAnswer | Error = (_grant, call) => ({
    accessToken: `at-new-${call}`,
    expiresInSeconds: 3600,
    refreshToken: null,
    idToken: null,
  });
  manual = false;

  requestToken(
    grant: TokenGrant,
    options?: { signal?: { readonly aborted: boolean } },
  ): Promise<TokenAnswer> {
    this.grants.push(grant);
    this.signals.push(options?.signal);
    const outcome = this.answer(grant, this.grants.length);
    if (!this.manual) return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    return new Promise((resolve, reject) => {
      this.waiting.push({
        resolve: () => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
        reject,
      });
    });
  }

  releaseAll(): void {
    for (const waiter of this.waiting.splice(0)) waiter.resolve({} as TokenAnswer);
  }

  async fetchUserEmail(): Promise<string | null> {
    return null;
  }
}

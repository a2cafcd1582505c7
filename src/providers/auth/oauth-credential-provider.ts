import type { Account, OAuthCredential } from '../../core/account.js';
import { type Clock, within } from '../../core/clock.js';
import type { AccountPatch } from '../../store/account-patch.js';
import { INVALID_GRANT_REASON } from '../../store/account-patch.js';
import type { AuthorizedCredential } from '../provider-adapter.js';
import { CredentialError, type CredentialProvider } from './credential-provider.js';
import {
  missingClientMessage,
  type OAuthClients,
  type RefreshClient,
  refreshClientsFor,
} from './oauth-clients.js';
import { type OAuthEndpoints, type TokenAnswer, TokenEndpointError } from './oauth-endpoints.js';
import { SingleFlight } from './single-flight.js';

/** Longest one refresh waits for the token endpoint, every client tried included; then it gives up. */
export const REFRESH_DEADLINE_MS = 30_000;
/** Longest a refresh waits for its token to be stored before releasing the lock (a frozen store). */
const STORE_WAIT_MS = 5000;
/**
 * How long one instance's refresh holds the cluster-wide `oauth-refresh:<account id>` lock at most.
 * A live holder never needs longer: its token requests end by `REFRESH_DEADLINE_MS` and its store
 * write is waited for `STORE_WAIT_MS` at most, so the lock cannot lapse while a slow token endpoint
 * is still answering (a waiter would then refresh the same refresh token a second time). A holder
 * that dies releases it by expiry; a waiter then takes the lock and, finding the stored token still
 * stale, refreshes itself.
 */
export const REFRESH_LOCK_TTL_MS = REFRESH_DEADLINE_MS + STORE_WAIT_MS + 5000;
/** Lock rounds one refresh goes through before giving up on another instance's refresh. */
const MAX_LOCK_ROUNDS = 2;

/** What a refresh must produce: a fresh token, and after a 401 one other than the token refused. */
interface RefreshNeed {
  force: boolean;
  /** The access token the upstream refused (forced refresh), else null. */
  refused: string | null;
}

/** The part of the account store the provider reads and writes. */
export interface OAuthAccountStore {
  get(id: string): Account | undefined;
  update(id: string, patch: AccountPatch): Promise<Account>;
  /**
   * The account as the store has it now, not as this process last saw it (`AccountStore.reloadAccount`):
   * what another instance's refresh stored. Rejects when the store does not answer. Without it,
   * `get` is read again.
   */
  reloadAccount?(id: string): Promise<Account | undefined>;
}

/** The lock refreshes run under (`StateStore.runExclusive`: cluster-wide on Redis, in-process in memory). */
export interface RefreshExclusion {
  runExclusive<T>(
    name: string,
    task: () => Promise<T>,
    options: { ttlMs: number },
  ): Promise<{ ran: true; value: T } | { ran: false }>;
}

/** Settings read on every call, so config changes apply at once. */
export interface OAuthRefreshSettings {
  /** Refresh this long before the access token expires. */
  skewMs: number;
  clients: OAuthClients;
}

export interface OAuthCredentialProviderOptions {
  accounts: OAuthAccountStore;
  endpoints: OAuthEndpoints;
  clock: Clock;
  settings: () => OAuthRefreshSettings;
  /**
   * Where refreshes take the `oauth-refresh:<account id>` lock, so that instances sharing a store
   * send one refresh grant per token (see `REFRESH_LOCK_TTL_MS`).
   */
  exclusion: RefreshExclusion;
  /** Background failures with no caller to report to (a refreshed token that could not be stored). */
  onError?: (error: unknown, account: Account) => void;
  /**
   * Where refreshed credentials go (`RefreshedTokenWrites`: held through a store outage). The refresh
   * waits for the write, at most `STORE_WAIT_MS`, before it releases its lock. Without it, the
   * refresh waits for `accounts.update`.
   */
  tokenWrites?: {
    write(accountId: string, refreshed: { from: string; credential: OAuthCredential }): Promise<void>;
  };
}

/** Lifetime assumed when a token answer has no `expires_in` (Google's is one hour). */
const DEFAULT_LIFETIME_MS = 3600_000;
/**
 * A forced refresh (after an upstream 401) within this long of the last refresh reuses that token:
 * the concurrent requests that all failed with the old token then need one refresh, not one each.
 */
const FORCED_REFRESH_DEBOUNCE_MS = 10_000;
/** `disabled_reason` is cut to this length, like the reference. */
const MAX_REASON_LENGTH = 800;

/** A token this provider obtained, kept until the store shows it (or something newer). */
interface IssuedToken {
  /** The refresh token it was obtained with. */
  from: string;
  credential: OAuthCredential;
  at: number;
}

/**
 * OAuth accounts: refreshes the access token ahead of expiry, one refresh per account at a time
 * — in this process (concurrent requests share it) and across the instances sharing the state
 * store (`exclusion`: the others wait, then read the stored token) — since reusing a refresh token
 * in parallel gets it revoked at some providers; stores the new token (and a rotated refresh token)
 * through the account store before the lock is released, and
 * disables the account when the refresh token is refused for good (`invalid_grant`). API-key
 * accounts pass through unchanged.
 */
export class OAuthCredentialProvider implements CredentialProvider {
  private readonly flights = new SingleFlight<OAuthCredential>();
  private readonly issued = new Map<string, IssuedToken>();

  constructor(private readonly options: OAuthCredentialProviderOptions) {}

  async authorize(account: Account, options: { forceRefresh?: boolean } = {}): Promise<AuthorizedCredential> {
    if (account.credential.type === 'api_key') return { kind: 'api_key', value: account.credential.apiKey };
    const now = this.options.clock.now();
    const current = this.currentCredential(account);
    if (!options.forceRefresh && current && this.isFresh(current, now)) return bearer(current);
    if (options.forceRefresh && current?.accessToken && !this.flights.has(account.id)) {
      const last = this.issued.get(account.id);
      if (last && now - last.at < FORCED_REFRESH_DEBOUNCE_MS) return bearer(current);
    }
    const force = options.forceRefresh === true;
    const need: RefreshNeed = { force, refused: force ? (current?.accessToken ?? null) : null };
    return bearer(await this.flights.run(account.id, () => this.refreshShared(account.id, need)));
  }

  /** Resolves when every refresh in flight has finished. */
  settled(): Promise<void> {
    return this.flights.settled();
  }

  /**
   * Refreshes under the account's lock. A caller that found the lock held (another instance
   * refreshing) waits for it, then reads the stored credential: the holder stored its new token
   * before releasing the lock. Only when that is still not what `need` asks for (the holder failed)
   * does it take the lock itself, once more.
   */
  private async refreshShared(accountId: string, need: RefreshNeed): Promise<OAuthCredential> {
    for (let round = 0; round < MAX_LOCK_ROUNDS; round++) {
      const outcome = await this.options.exclusion.runExclusive(
        `oauth-refresh:${accountId}`,
        () => this.refreshHeld(accountId, need),
        { ttlMs: REFRESH_LOCK_TTL_MS },
      );
      if (outcome.ran) return outcome.value;
      const stored = await this.storedCredential(accountId);
      if (stored && this.satisfies(stored, need)) return stored;
    }
    const email = this.options.accounts.get(accountId)?.email ?? accountId;
    throw new CredentialError(
      `OAuth refresh for ${email} is held by another instance that stored no new token`,
      false,
    );
  }

  /** The freshest OAuth credential known for the account: the store's, or one obtained since. */
  private currentCredential(account: Account): OAuthCredential | null {
    const stored = (this.options.accounts.get(account.id) ?? account).credential;
    if (stored.type !== 'oauth') return null;
    const issued = this.issued.get(account.id);
    const sameGrant =
      issued !== undefined &&
      (issued.from === stored.refreshToken || issued.credential.refreshToken === stored.refreshToken);
    if (sameGrant && (issued.credential.expiresAt ?? 0) > (stored.expiresAt ?? 0)) return issued.credential;
    return stored;
  }

  /**
   * The account's credential as the store has it now (another instance may have stored a new token),
   * or, when the store cannot say, as known here. Throws when the account is removed or disabled.
   */
  private async storedCredential(accountId: string): Promise<OAuthCredential | null> {
    const { accounts } = this.options;
    let account = accounts.get(accountId);
    try {
      if (accounts.reloadAccount) account = await accounts.reloadAccount(accountId);
    } catch {
      // The store does not answer: what this process knows is all there is.
    }
    if (!account || account.disabled) {
      throw new CredentialError(`account ${account?.email ?? accountId} is removed or disabled`, false);
    }
    return this.currentCredential(account);
  }

  private isFresh(credential: OAuthCredential, now: number): boolean {
    // An access token of unknown age is refreshed once; from then on its expiry is known.
    if (!credential.accessToken || credential.expiresAt === null) return false;
    return credential.expiresAt - this.options.settings().skewMs > now;
  }

  /** Whether `credential` serves instead of a refresh: fresh, and not the token a 401 refused. */
  private satisfies(credential: OAuthCredential, need: RefreshNeed): boolean {
    if (!this.isFresh(credential, this.options.clock.now())) return false;
    return !need.force || (need.refused !== null && credential.accessToken !== need.refused);
  }

  /** The refresh itself, run while holding the account's lock. */
  private async refreshHeld(accountId: string, need: RefreshNeed): Promise<OAuthCredential> {
    const credential = await this.storedCredential(accountId);
    const account = this.options.accounts.get(accountId);
    if (!credential || !account) {
      throw new CredentialError(`account ${account?.email ?? accountId} has no OAuth credential`, false);
    }
    // Another process (the CLI, a second instance) may have stored a new token meanwhile.
    if (this.satisfies(credential, need)) return credential;
    const clients = refreshClientsFor(account, credential, this.options.settings().clients);
    if (clients.length === 0) {
      throw new CredentialError(
        `Cannot refresh ${account.email}: ${missingClientMessage(account.provider)}, or give the account a client_id`,
        false,
      );
    }
    const { answer, client } = await this.requestToken(account, credential, clients);
    const now = this.options.clock.now();
    const next: OAuthCredential = {
      ...credential,
      ...rememberedClient(credential, client),
      accessToken: answer.accessToken,
      expiresAt:
        now + (answer.expiresInSeconds === null ? DEFAULT_LIFETIME_MS : answer.expiresInSeconds * 1000),
      refreshToken: answer.refreshToken ?? credential.refreshToken,
    };
    this.issued.set(account.id, { from: credential.refreshToken, credential: next, at: now });
    await this.store(account, { from: credential.refreshToken, credential: next });
    return next;
  }

  /**
   * Stores a refreshed credential before the lock is released, so that waiting instances read it;
   * a store that does not answer within `STORE_WAIT_MS` is not waited for (the token stays in
   * `issued` and in `tokenWrites` meanwhile).
   */
  private async store(
    account: Account,
    refreshed: { from: string; credential: OAuthCredential },
  ): Promise<void> {
    const { tokenWrites, accounts, clock } = this.options;
    const write = tokenWrites
      ? tokenWrites.write(account.id, refreshed)
      : accounts.update(account.id, { credential: refreshed.credential }).then(
          () => undefined,
          // The token still works; it stays in memory (`issued`) until a later refresh stores one.
          (error: unknown) => this.options.onError?.(error, account),
        );
    await within(clock, STORE_WAIT_MS, write);
  }

  /**
   * Sends the refresh grant with each client in turn until one is accepted. The next client is
   * tried only when the token endpoint refused the client (see `refusesClient`); any other failure
   * — `invalid_grant` above all, which disables the account — ends the attempt at once.
   */
  private async requestToken(
    account: Account,
    credential: OAuthCredential,
    clients: readonly RefreshClient[],
  ): Promise<{ answer: TokenAnswer; client: RefreshClient }> {
    const refusals: string[] = [];
    const abandon = new AbortController();
    const tried = await within(
      this.options.clock,
      REFRESH_DEADLINE_MS,
      this.tryClients({ account, credential, clients, refusals, signal: abandon.signal }),
    );
    if (!tried.done) {
      abandon.abort(new Error('refresh deadline'));
      throw new CredentialError(
        `OAuth refresh for ${account.email} gave up: the token endpoint did not answer within ${REFRESH_DEADLINE_MS / 1000} s`,
        false,
      );
    }
    if (tried.value) return tried.value;
    const which = clients.length === 1 ? 'its OAuth client' : `all ${clients.length} OAuth clients`;
    throw new CredentialError(
      `OAuth refresh for ${account.email} was refused by ${which} (${refusals.join(' | ')}): add the client the token was issued to with \`switchyard oauth client add\``,
      false,
    );
  }

  /**
   * Tries each client in turn (see `requestToken`); null when every one refused the client, each
   * refusal pushed to `refusals`. `signal` abandons the request in flight.
   */
  private async tryClients(options: {
    account: Account;
    credential: OAuthCredential;
    clients: readonly RefreshClient[];
    refusals: string[];
    signal: AbortSignal;
  }): Promise<{ answer: TokenAnswer; client: RefreshClient } | null> {
    const { account, credential, refusals, signal } = options;
    for (const client of options.clients) {
      try {
        const grant = {
          tokenUrl: client.tokenUrl,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          params: { grant_type: 'refresh_token', refresh_token: credential.refreshToken },
        };
        return { answer: await this.options.endpoints.requestToken(grant, { signal }), client };
      } catch (error) {
        if (signal.aborted) throw error;
        if (!refusesClient(error)) throw await this.refreshFailed(account, error);
        refusals.push(`${client.label}: ${describe(error)}`);
      }
    }
    return null;
  }

  /** The error to throw for a failed refresh; `invalid_grant` disables the account first. */
  private async refreshFailed(account: Account, error: unknown): Promise<CredentialError> {
    if (!(error instanceof TokenEndpointError)) {
      return new CredentialError(`OAuth refresh for ${account.email} failed: ${describe(error)}`, false);
    }
    if (error.oauthError !== INVALID_GRANT_REASON) {
      return new CredentialError(`OAuth refresh for ${account.email} failed: ${error.message}`, false);
    }
    const reason = truncate(`${INVALID_GRANT_REASON}: ${error.description ?? error.message}`);
    this.issued.delete(account.id);
    try {
      await this.options.accounts.update(account.id, { disabled: true, disabledReason: reason });
    } catch (storeError) {
      this.options.onError?.(storeError, account);
    }
    return new CredentialError(
      `OAuth refresh for ${account.email} failed (${reason}); the refresh token is revoked or expired: re-authorize the account`,
      true,
    );
  }
}

/**
 * Whether a token endpoint error is about the client rather than the token: `invalid_client`,
 * `unauthorized_client`, or a 400/401/403 without `invalid_grant` (Google answers a client that
 * lacks its secret with 400 `invalid_request`). Another client may then succeed.
 */
function refusesClient(error: unknown): boolean {
  if (!(error instanceof TokenEndpointError)) return false;
  if (error.oauthError === 'invalid_client' || error.oauthError === 'unauthorized_client') return true;
  return [400, 401, 403].includes(error.status) && error.oauthError !== INVALID_GRANT_REASON;
}

/**
 * The credential's client fields after a refresh with `client`: unchanged when it is the
 * account's own client, else that client's id (so the next refresh tries it first) with the
 * secret and token URL left to the configuration.
 */
function rememberedClient(
  credential: OAuthCredential,
  client: RefreshClient,
): Pick<OAuthCredential, 'clientId' | 'clientSecret' | 'tokenUrl'> {
  if (credential.clientId === client.clientId) return credential;
  return { clientId: client.clientId, clientSecret: null, tokenUrl: null };
}

function bearer(credential: OAuthCredential): AuthorizedCredential {
  return { kind: 'bearer', value: credential.accessToken ?? '' };
}

function truncate(text: string): string {
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH - 3)}...`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

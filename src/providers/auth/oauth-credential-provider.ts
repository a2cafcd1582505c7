import type { Account, OAuthCredential } from '../../core/account.js';
import type { Clock } from '../../core/clock.js';
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

/** The part of the account store the provider reads and writes. */
export interface OAuthAccountStore {
  get(id: string): Account | undefined;
  update(id: string, patch: AccountPatch): Promise<Account>;
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
  /** Background failures with no caller to report to (a refreshed token that could not be stored). */
  onError?: (error: unknown, account: Account) => void;
  /**
   * Where refreshed credentials go without the request waiting (`RefreshedTokenWrites`: held
   * through a store outage). Without it, the refresh waits for `accounts.update`.
   */
  tokenWrites?: { write(accountId: string, refreshed: { from: string; credential: OAuthCredential }): void };
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
 * (concurrent requests wait for it: reusing a refresh token in parallel gets it revoked at some
 * providers), stores the new token (and a rotated refresh token) through the account store, and
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
    return bearer(await this.flights.run(account.id, () => this.refresh(account.id, force)));
  }

  /** Resolves when every refresh in flight has finished. */
  settled(): Promise<void> {
    return this.flights.settled();
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

  private isFresh(credential: OAuthCredential, now: number): boolean {
    // An access token of unknown age is refreshed once; from then on its expiry is known.
    if (!credential.accessToken || credential.expiresAt === null) return false;
    return credential.expiresAt - this.options.settings().skewMs > now;
  }

  private async refresh(accountId: string, force: boolean): Promise<OAuthCredential> {
    const account = this.options.accounts.get(accountId);
    if (!account || account.disabled) {
      throw new CredentialError(`account ${account?.email ?? accountId} is removed or disabled`, false);
    }
    const credential = this.currentCredential(account);
    if (!credential) throw new CredentialError(`account ${account.email} has no OAuth credential`, false);
    // Another process (the CLI, a second instance) may have stored a fresh token meanwhile.
    if (!force && this.isFresh(credential, this.options.clock.now())) return credential;
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
    if (this.options.tokenWrites) {
      this.options.tokenWrites.write(account.id, { from: credential.refreshToken, credential: next });
      return next;
    }
    try {
      await this.options.accounts.update(account.id, { credential: next });
    } catch (error) {
      // The token still works; it stays in memory (`issued`) until a later refresh stores one.
      this.options.onError?.(error, account);
    }
    return next;
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
    for (const client of clients) {
      try {
        const answer = await this.options.endpoints.requestToken({
          tokenUrl: client.tokenUrl,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          params: { grant_type: 'refresh_token', refresh_token: credential.refreshToken },
        });
        return { answer, client };
      } catch (error) {
        if (!refusesClient(error)) throw await this.refreshFailed(account, error);
        refusals.push(`${client.label}: ${describe(error)}`);
      }
    }
    const tried = clients.length === 1 ? 'its OAuth client' : `all ${clients.length} OAuth clients`;
    throw new CredentialError(
      `OAuth refresh for ${account.email} was refused by ${tried} (${refusals.join(' | ')}): add the client the token was issued to with \`switchyard oauth client add\``,
      false,
    );
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

import type { Account, OAuthCredential, ProviderKind } from '../../core/account.js';
import type { Clock } from '../../core/clock.js';
import { SwitchyardError } from '../../core/errors.js';
import { randomHex } from '../../core/ids.js';
import type { NewAccountInput } from '../../store/account-patch.js';
import { emailFromIdToken } from './id-token-email.js';
import { missingClientMessage, type OAuthClientSettings, type OAuthClients } from './oauth-clients.js';
import { type OAuthEndpoints, TokenEndpointError } from './oauth-endpoints.js';
import { createPkce } from './pkce.js';
import { SingleFlight } from './single-flight.js';

/** A sign-in that was started: send the user to `authorizationUrl`. */
export interface StartedLogin {
  state: string;
  provider: ProviderKind;
  authorizationUrl: string;
  redirectUri: string;
  /** Epoch ms after which the sign-in can no longer be completed. */
  expiresAt: number;
}

/** A finished sign-in: the stored account, and whether it is new (else re-authorized). */
export interface CompletedLogin {
  account: Account;
  created: boolean;
}

/** Where a sign-in stands, for a UI or CLI waiting on the browser. */
export type LoginStatus =
  | { status: 'pending'; provider: ProviderKind; expiresAt: number }
  | { status: 'completed'; provider: ProviderKind; account: Account; created: boolean }
  | { status: 'failed'; provider: ProviderKind; error: string };

/** What the user brings back: the whole redirect URL, or the code (and state) from it. */
export interface LoginCompletion {
  /** The URL the browser was redirected to (`…/auth/callback?code=…&state=…`). */
  redirectUrl?: string;
  code?: string;
  state?: string;
  /** The `error` parameter of the redirect (the user declined). */
  error?: string;
}

export interface OAuthLoginOptions {
  /** The configured clients, read at each start. */
  clients: () => OAuthClients;
  endpoints: OAuthEndpoints;
  accounts: {
    upsertMany(inputs: readonly NewAccountInput[]): Promise<{ created: Account[]; updated: Account[] }>;
  };
  clock: Clock;
  /** Random hex of `bytes` bytes (state and PKCE verifier). Default: crypto. */
  random?: (bytes: number) => string;
  /** How long a started sign-in can be completed. Default 10 minutes. */
  ttlMs?: number;
}

interface Login {
  provider: ProviderKind;
  client: OAuthClientSettings;
  redirectUri: string;
  verifier: string;
  expiresAt: number;
  outcome: LoginStatus;
}

const DEFAULT_TTL_MS = 10 * 60_000;
const MAX_LOGINS = 100;

/**
 * Adding OAuth accounts by signing in: authorization code with PKCE (RFC 7636) and a random state,
 * the code exchanged at the token endpoint, the account named by the id_token's email (or the
 * userinfo endpoint) and stored — created, or re-authorized (re-enabled when it was disabled for
 * `invalid_grant`). Completion is idempotent per state: the browser callback and a pasted URL
 * may both arrive.
 */
export class OAuthLogin {
  private readonly logins = new Map<string, Login>();
  private readonly completions = new SingleFlight<CompletedLogin>();

  constructor(private readonly options: OAuthLoginOptions) {}

  /** Starts a sign-in. Throws `invalid_request` when no OAuth client is configured for the provider. */
  start(request: { provider: ProviderKind; redirectUri: string }): StartedLogin {
    // The first client signs in; the others only serve refreshes of tokens issued to them.
    const client = this.options.clients()[request.provider]?.[0];
    if (!client) {
      throw new SwitchyardError(
        'invalid_request',
        `Cannot sign in: ${missingClientMessage(request.provider)}`,
      );
    }
    this.prune();
    const random = this.options.random ?? randomHex;
    const state = random(16);
    const pkce = createPkce(random(32));
    const expiresAt = this.options.clock.now() + (this.options.ttlMs ?? DEFAULT_TTL_MS);
    this.logins.set(state, {
      provider: request.provider,
      client,
      redirectUri: request.redirectUri,
      verifier: pkce.verifier,
      expiresAt,
      outcome: { status: 'pending', provider: request.provider, expiresAt },
    });
    const url = new URL(client.authUrl);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: client.scopes.join(' '),
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      // Google issues a refresh token only for offline access, and again only with consent.
      access_type: 'offline',
      prompt: 'consent',
    }).toString();
    return {
      state,
      provider: request.provider,
      authorizationUrl: url.toString(),
      redirectUri: request.redirectUri,
      expiresAt,
    };
  }

  /** The sign-in's status, or null for an unknown or expired state. */
  status(state: string): LoginStatus | null {
    this.prune();
    return this.logins.get(state)?.outcome ?? null;
  }

  /** Exchanges the code and stores the account. Bad or stale input: `invalid_request` / `not_found`. */
  complete(completion: LoginCompletion): Promise<CompletedLogin> {
    const { code, state, error } = this.readCompletion(completion);
    const login = this.logins.get(state);
    if (!login || login.expiresAt <= this.options.clock.now()) {
      throw new SwitchyardError('not_found', 'Unknown or expired sign-in: start again');
    }
    if (login.outcome.status === 'completed') {
      return Promise.resolve({ account: login.outcome.account, created: login.outcome.created });
    }
    if (error !== null) {
      login.outcome = { status: 'failed', provider: login.provider, error: `sign-in refused: ${error}` };
      throw new SwitchyardError('invalid_request', `The sign-in was refused (${error})`);
    }
    if (code === null) throw new SwitchyardError('invalid_request', 'The redirect has no code parameter');
    return this.completions.run(state, () => this.exchange(login, code));
  }

  private readCompletion(completion: LoginCompletion): {
    code: string | null;
    state: string;
    error: string | null;
  } {
    let { code = null, state = null, error = null } = completion;
    const pasted = completion.redirectUrl?.trim();
    if (pasted) {
      if (!URL.canParse(pasted)) throw new SwitchyardError('invalid_request', 'redirect_url is not a URL');
      const query = new URL(pasted).searchParams;
      code ??= query.get('code');
      state ??= query.get('state');
      error ??= query.get('error');
    }
    state ??= this.onlyPendingState();
    if (state === null) {
      throw new SwitchyardError(
        'invalid_request',
        'Several sign-ins are pending: give the state too, or paste the whole redirect URL',
      );
    }
    return { code, state, error };
  }

  private onlyPendingState(): string | null {
    const pending = [...this.logins].filter(([, login]) => login.outcome.status === 'pending');
    return pending.length === 1 ? (pending[0]?.[0] ?? null) : null;
  }

  private async exchange(login: Login, code: string): Promise<CompletedLogin> {
    try {
      const { credential, idToken } = await this.redeem(login, code);
      const email = await this.emailOf(login, { accessToken: credential.accessToken, idToken });
      const { created, updated } = await this.options.accounts.upsertMany([
        { provider: login.provider, email, credential },
      ]);
      const account = created[0] ?? updated[0];
      if (!account) throw new SwitchyardError('store_error', 'The account was not stored');
      login.outcome = { status: 'completed', provider: login.provider, account, created: created.length > 0 };
      return { account, created: created.length > 0 };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      login.outcome = { status: 'failed', provider: login.provider, error: message };
      throw error;
    }
  }

  private async redeem(
    login: Login,
    code: string,
  ): Promise<{ credential: OAuthCredential; idToken: string | null }> {
    const { client } = login;
    let answer: Awaited<ReturnType<OAuthEndpoints['requestToken']>>;
    try {
      answer = await this.options.endpoints.requestToken({
        tokenUrl: client.tokenUrl,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        params: {
          grant_type: 'authorization_code',
          code,
          redirect_uri: login.redirectUri,
          code_verifier: login.verifier,
        },
      });
    } catch (error) {
      const detail = error instanceof TokenEndpointError ? error.message : String(error);
      throw new SwitchyardError('invalid_request', `The code could not be exchanged: ${detail}`);
    }
    if (!answer.refreshToken) {
      throw new SwitchyardError(
        'invalid_request',
        'The provider returned no refresh token: remove the app from your account permissions and sign in again',
      );
    }
    const credential: OAuthCredential = {
      type: 'oauth',
      refreshToken: answer.refreshToken,
      accessToken: answer.accessToken,
      expiresAt: this.options.clock.now() + (answer.expiresInSeconds ?? 3600) * 1000,
      // A refresh token belongs to the client that obtained it; the secret stays in the config.
      tokenUrl: client.tokenUrl,
      clientId: client.clientId,
      clientSecret: null,
    };
    return { credential, idToken: answer.idToken };
  }

  private async emailOf(login: Login, token: { accessToken: string | null; idToken: string | null }) {
    const email =
      emailFromIdToken(token.idToken) ??
      (token.accessToken
        ? await this.options.endpoints.fetchUserEmail(login.client.userinfoUrl, token.accessToken)
        : null);
    if (!email)
      throw new SwitchyardError('invalid_request', 'The provider did not say which account signed in');
    return email;
  }

  private prune(): void {
    const now = this.options.clock.now();
    for (const [state, login] of this.logins) if (login.expiresAt <= now) this.logins.delete(state);
    // Oldest first (insertion order): a flood of starts cannot grow the map without bound.
    for (const state of this.logins.keys()) {
      if (this.logins.size <= MAX_LOGINS) break;
      this.logins.delete(state);
    }
  }
}

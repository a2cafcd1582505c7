import type { Account, OAuthCredential } from '../../core/account.js';
import { isJsonObject } from '../../core/json.js';

/** Google's token endpoint: where an account without its own token URL or a configured client refreshes. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Key in `Account.extra` of what an account knows about its OAuth client beyond the credential. */
export const OAUTH_EXTRA_KEY = 'oauth';

/** An OAuth client as configured (one entry of `oauth.clients.<provider>` in gui_config.json), in camelCase. */
export interface OAuthClientSettings {
  /** Optional short name (matched against an imported account's `oauth_client_key`). */
  name: string | null;
  clientId: string;
  clientSecret: string | null;
  tokenUrl: string;
  authUrl: string;
  userinfoUrl: string;
  scopes: readonly string[];
}

/** The configured OAuth clients by provider kind, each list in the order refreshes try them. */
export type OAuthClients = Partial<Record<string, readonly OAuthClientSettings[]>>;

/** One client of `oauth.clients.<provider>` as gui_config.json holds it (snake_case). */
export interface OAuthClientConfig {
  name?: string | undefined;
  client_id: string;
  client_secret: string | null;
  token_url: string;
  auth_url: string;
  userinfo_url: string;
  scopes: readonly string[];
}

/** `oauth.clients` of gui_config.json (snake_case) → `OAuthClients`. */
export function oauthClientsFromConfig(
  clients: Readonly<Record<string, readonly OAuthClientConfig[]>>,
): OAuthClients {
  const result: Record<string, OAuthClientSettings[]> = {};
  for (const [provider, list] of Object.entries(clients)) {
    result[provider] = list.map((client) => ({
      name: client.name ?? null,
      clientId: client.client_id,
      clientSecret: client.client_secret,
      tokenUrl: client.token_url,
      authUrl: client.auth_url,
      userinfoUrl: client.userinfo_url,
      scopes: client.scopes,
    }));
  }
  return result;
}

/** What to tell a user whose provider has no OAuth client: the command that adds one, and the config key. */
export function missingClientMessage(provider: string): string {
  return (
    `no OAuth client is configured for provider ${provider}: add the client the tokens were issued to with ` +
    `\`switchyard oauth client add --provider ${provider} --client-id <id> --client-secret -\` ` +
    `(or set oauth.clients["${provider}"] in gui_config.json)`
  );
}

/** What a refresh needs: where to send it and as which client. */
export interface RefreshClient {
  tokenUrl: string;
  clientId: string;
  clientSecret: string | null;
  /** How messages name the client: its configured name, else its id (client ids are not secret). */
  label: string;
}

/**
 * The name of the client an imported account's token was issued to (the reference's
 * `token.oauth_client_key`, kept in `extra.oauth.client_key`), or null.
 */
export function oauthClientKey(account: Pick<Account, 'extra'>): string | null {
  const value = account.extra[OAUTH_EXTRA_KEY];
  if (!isJsonObject(value)) return null;
  const key = value['client_key'];
  return typeof key === 'string' && key !== '' ? key : null;
}

/**
 * The clients an OAuth account may refresh with, in the order to try them: the account's own
 * client (`credential.clientId`, which also remembers the client that last worked) with its own
 * secret and token URL, else the configured ones'; then the configured client named by the
 * account's `oauth_client_key`; then the provider's configured clients in order. A client id
 * appears once. Empty when no client id is known: nothing is sent anywhere then.
 */
export function refreshClientsFor(
  account: Pick<Account, 'provider' | 'extra'>,
  credential: OAuthCredential,
  clients: OAuthClients,
): RefreshClient[] {
  const configured = clients[account.provider] ?? [];
  const fromConfig = (client: OAuthClientSettings): RefreshClient => ({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tokenUrl: client.tokenUrl,
    label: client.name ?? client.clientId,
  });
  const result: RefreshClient[] = [];
  if (credential.clientId !== null) {
    const same = configured.find((client) => client.clientId === credential.clientId);
    result.push({
      clientId: credential.clientId,
      // A secret belongs to its client id: never send a configured secret with another client's id.
      clientSecret: credential.clientSecret ?? same?.clientSecret ?? null,
      tokenUrl: credential.tokenUrl ?? same?.tokenUrl ?? configured[0]?.tokenUrl ?? GOOGLE_TOKEN_URL,
      label: same?.name ?? credential.clientId,
    });
  }
  const key = oauthClientKey(account);
  const named = configured.filter((client) => key !== null && client.name === key);
  for (const client of [...named, ...configured]) {
    if (!result.some((known) => known.clientId === client.clientId)) result.push(fromConfig(client));
  }
  return result;
}

import type { Account, OAuthCredential, ProviderKind } from '../../core/account.js';

/** Google's token endpoint: where an account without its own token URL or a configured client refreshes. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** An OAuth client as configured (`oauth.clients.<provider>` in gui_config.json), in camelCase. */
export interface OAuthClientSettings {
  clientId: string;
  clientSecret: string | null;
  tokenUrl: string;
  authUrl: string;
  userinfoUrl: string;
  scopes: readonly string[];
}

/** The configured OAuth clients by provider kind. */
export type OAuthClients = Partial<Record<string, OAuthClientSettings>>;

/** `oauth.clients` of gui_config.json (snake_case) → `OAuthClients`. */
export function oauthClientsFromConfig(
  clients: Readonly<
    Record<
      string,
      {
        client_id: string;
        client_secret: string | null;
        token_url: string;
        auth_url: string;
        userinfo_url: string;
        scopes: readonly string[];
      }
    >
  >,
): OAuthClients {
  const result: OAuthClients = {};
  for (const [provider, client] of Object.entries(clients)) {
    result[provider] = {
      clientId: client.client_id,
      clientSecret: client.client_secret,
      tokenUrl: client.token_url,
      authUrl: client.auth_url,
      userinfoUrl: client.userinfo_url,
      scopes: client.scopes,
    };
  }
  return result;
}

/** What a refresh needs: where to send it and as which client. */
export interface RefreshClient {
  tokenUrl: string;
  clientId: string;
  clientSecret: string | null;
}

/**
 * The client an OAuth account refreshes with: the account's own client id, secret and token URL
 * first, then the provider's configured client, then (for the URL) Google's endpoint. Null when no
 * client id is known: nothing is sent anywhere then.
 */
export function refreshClientFor(
  account: Pick<Account, 'provider'>,
  credential: OAuthCredential,
  clients: OAuthClients,
): RefreshClient | null {
  const configured = clients[account.provider as ProviderKind];
  const clientId = credential.clientId ?? configured?.clientId ?? null;
  if (clientId === null) return null;
  // A secret belongs to its client id: never send the configured secret with another client's id.
  const clientSecret =
    credential.clientSecret ?? (configured?.clientId === clientId ? configured.clientSecret : null);
  return {
    clientId,
    clientSecret,
    tokenUrl: credential.tokenUrl ?? configured?.tokenUrl ?? GOOGLE_TOKEN_URL,
  };
}

import type { Account } from '../../core/account.js';
import type { AuthorizedCredential } from '../provider-adapter.js';

/** Thrown when an account's credential cannot be used; the gateway moves to another account. */
export class CredentialError extends Error {
  constructor(
    message: string,
    /** True when the credential is revoked for good (e.g. `invalid_grant`): the account gets disabled. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'CredentialError';
  }
}

/**
 * The credential seam: turns an account into the secret to send, refreshing OAuth access tokens
 * when they are about to expire. `forceRefresh` is used once after an upstream 401.
 */
export interface CredentialProvider {
  authorize(account: Account, options?: { forceRefresh?: boolean }): Promise<AuthorizedCredential>;
}

/** API keys as they are; OAuth accounts with a still-valid access token. Refresh comes with OAuth support. */
export const staticCredentials: CredentialProvider = {
  async authorize(account) {
    const credential = account.credential;
    if (credential.type === 'api_key') return { kind: 'api_key', value: credential.apiKey };
    if (credential.accessToken) return { kind: 'bearer', value: credential.accessToken };
    throw new CredentialError(
      `account ${account.email} has no access token and OAuth refresh is not configured`,
      false,
    );
  },
};

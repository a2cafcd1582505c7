import type { Account } from '../core/account.js';
import { isJsonObject } from '../core/json.js';

/** Key in `Account.extra` under which a pending verification request is stored. */
export const VERIFICATION_KEY = 'verification';

/**
 * The upstream asked the user to verify the account (Google `VALIDATION_REQUIRED`): where, and
 * since when. The account is locked for a while, not disabled; the request is forgotten after a
 * successful quota refresh or when the user gives the account a new credential.
 */
export interface AccountVerification {
  url: string;
  /** Epoch ms when the upstream asked. */
  at: number;
}

/** The account's pending verification request, if any. */
export function accountVerification(account: Pick<Account, 'extra'>): AccountVerification | null {
  const value = account.extra[VERIFICATION_KEY];
  if (!isJsonObject(value)) return null;
  const { url, at } = value;
  return typeof url === 'string' && typeof at === 'number' ? { url, at } : null;
}

/** The `mergeExtra` patch that records a verification request. */
export function verificationExtra(verification: AccountVerification): Record<string, unknown> {
  return { [VERIFICATION_KEY]: { url: verification.url, at: verification.at } };
}

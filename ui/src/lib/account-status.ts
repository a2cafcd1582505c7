/** What the Accounts page says about one account's state, derived from the account and the live locks. */
import type { PublicAccount, RateLimitView } from '../api/types.js';

export type AccountStatusKind = 'active' | 'disabled' | 'verification' | 'proxy-off' | 'locked';

export interface AccountStatus {
  kind: AccountStatusKind;
  /** Badge text: `Active`, `Disabled`, `Verify account`, `Proxy off`, `Locked`. */
  label: string;
  /** Why, as the server said it (disabled reason, lock reason and message); null when active. */
  reason: string | null;
  /** ISO time an account-wide lock ends, for a live countdown; null when not locked. */
  until: string | null;
  /** Where the user verifies or re-authorizes the account, when the upstream gave a link. */
  link: string | null;
  /** Locks of single models of this account (the account itself may still serve other models). */
  modelLocks: RateLimitView[];
}

const LABELS: Record<AccountStatusKind, string> = {
  active: 'Active',
  disabled: 'Disabled',
  verification: 'Verify account',
  'proxy-off': 'Proxy off',
  locked: 'Locked',
};

/**
 * The status shown for `account`, most important first: disabled, verification needed (the account's
 * `verification_url`, or a lock from a 403 that asked for verification, DESIGN §3), proxy turned
 * off, locked, active.
 */
export function accountStatus(account: PublicAccount, locks: readonly RateLimitView[]): AccountStatus {
  const own = locks.filter((lock) => lock.account_id === account.id);
  const accountLock = own
    .filter((lock) => lock.scope === 'account')
    .sort((a, b) => Date.parse(b.until) - Date.parse(a.until))[0];
  const modelLocks = own.filter((lock) => lock.scope === 'model');
  const status = (kind: AccountStatusKind, fields: Partial<AccountStatus> = {}): AccountStatus => ({
    kind,
    label: LABELS[kind],
    reason: null,
    until: null,
    link: null,
    modelLocks,
    ...fields,
  });
  if (account.disabled) {
    const reason = account.disabled_reason;
    return status('disabled', { reason, link: findLink(reason) });
  }
  const lockReason = accountLock ? describeLock(accountLock) : null;
  if (account.verification_url !== null) {
    return status('verification', {
      reason: lockReason ?? 'The provider asks you to verify this account.',
      until: accountLock?.until ?? null,
      link: account.verification_url,
    });
  }
  if (accountLock && isVerificationLock(accountLock)) {
    return status('verification', {
      reason: lockReason,
      until: accountLock.until,
      link: findLink(lockReason),
    });
  }
  if (account.proxy_disabled) return status('proxy-off', { reason: account.proxy_disabled_reason });
  if (accountLock) return status('locked', { reason: lockReason, until: accountLock.until });
  return status('active');
}

/** `RateLimitExceeded: slow down` — the lock reason with the upstream's message when there is one. */
export function describeLock(lock: Pick<RateLimitView, 'reason' | 'message'>): string {
  return lock.message ? `${lock.reason}: ${lock.message}` : lock.reason;
}

function isVerificationLock(lock: RateLimitView): boolean {
  return lock.reason === 'AuthError' && /verif|validation/i.test(lock.message ?? '');
}

/** The first https link in `text`, without trailing punctuation. */
export function findLink(text: string | null): string | null {
  const match = /https:\/\/[^\s"'<>]+/.exec(text ?? '');
  return match ? match[0].replace(/[.,;:)\]]+$/, '') : null;
}

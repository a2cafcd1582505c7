/** What the Accounts page says about one account's state, derived from the account and the live locks. */
import type { PublicAccount, RateLimitView } from '../api/types.js';

export type AccountStatusKind = 'active' | 'disabled' | 'verification' | 'proxy-off' | 'locked';

export interface AccountStatus {
  kind: AccountStatusKind;
  /** Badge text: `Active`, `Disabled`, `Verify account`, `Proxy off`, `Locked` (`Limit reached` when predicted). */
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

/** How each lock source reads in the UI. */
const SOURCE_LABELS: Record<RateLimitView['source'], string> = {
  'retry-after': 'delay stated by the upstream',
  'rate-limit-headers': 'predicted from rate-limit headers',
  'quota-api': 'predicted from the quota API',
  backoff: 'backoff, no delay stated',
};

/** `predicted from rate-limit headers` — where a lock's end comes from, in words. */
export function lockSourceLabel(lock: Pick<RateLimitView, 'source'>): string {
  return SOURCE_LABELS[lock.source];
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
  if (accountLock) {
    // A predicted limit is not a failure: the upstream said nothing is left until its reset.
    const label = accountLock.predicted ? 'Limit reached' : LABELS.locked;
    return status('locked', { label, reason: lockReason, until: accountLock.until });
  }
  return status('active');
}

/**
 * `RateLimitExceeded: slow down (delay stated by the upstream)` — the lock reason, the upstream's
 * message when there is one, and where the lock's end comes from.
 */
export function describeLock(lock: Pick<RateLimitView, 'reason' | 'message' | 'source'>): string {
  const reason = lock.message ? `${lock.reason}: ${lock.message}` : lock.reason;
  return `${reason} (${lockSourceLabel(lock)})`;
}

function isVerificationLock(lock: RateLimitView): boolean {
  return lock.reason === 'AuthError' && /verif|validation/i.test(lock.message ?? '');
}

/** The first https link in `text`, without trailing punctuation. */
export function findLink(text: string | null): string | null {
  const match = /https:\/\/[^\s"'<>]+/.exec(text ?? '');
  return match ? match[0].replace(/[.,;:)\]]+$/, '') : null;
}

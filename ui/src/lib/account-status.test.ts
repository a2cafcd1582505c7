import { describe, expect, it } from 'vitest';
import { accountStatus, describeLock, findLink } from './account-status.js';
import { sampleAccount, sampleLock } from './sample-records.js';

describe('accountStatus', () => {
  const cases = [
    {
      name: 'an enabled account without locks is active',
      account: {},
      locks: [],
      kind: 'active',
      reason: null,
    },
    {
      name: 'a disabled account shows its reason',
      account: { disabled: true, disabled_reason: 'invalid_grant: token revoked' },
      locks: [sampleLock()],
      kind: 'disabled',
      reason: 'invalid_grant: token revoked',
    },
    {
      name: 'proxy off shows its reason',
      account: { proxy_disabled: true, proxy_disabled_reason: 'kept for the IDE' },
      locks: [],
      kind: 'proxy-off',
      reason: 'kept for the IDE',
    },
    {
      name: 'an account-wide lock makes it locked with the lock reason and message',
      account: {},
      locks: [sampleLock({ reason: 'QuotaExhausted', message: 'quota exceeded' })],
      kind: 'locked',
      reason: 'QuotaExhausted: quota exceeded (delay stated by the upstream)',
    },
    {
      name: 'a predicted account-wide limit locks it too, saying where the prediction comes from',
      account: {},
      locks: [sampleLock({ source: 'rate-limit-headers', predicted: true, message: null })],
      kind: 'locked',
      reason: 'RateLimitExceeded (predicted from rate-limit headers)',
    },
    {
      name: 'a 403 verification lock asks for verification, before proxy off',
      account: { proxy_disabled: true },
      locks: [
        sampleLock({ reason: 'AuthError', message: 'Verify your account at https://example.com/v?a=1.' }),
      ],
      kind: 'verification',
      reason: 'AuthError: Verify your account at https://example.com/v?a=1. (delay stated by the upstream)',
    },
    {
      name: 'a lock of another account does not count',
      account: {},
      locks: [sampleLock({ account_id: 'account-2' })],
      kind: 'active',
      reason: null,
    },
    {
      name: 'a model lock leaves the account active',
      account: {},
      locks: [sampleLock({ scope: 'model', model: 'gpt-4o' })],
      kind: 'active',
      reason: null,
    },
  ] as const;

  it.each(cases)('$name', ({ account, locks, kind, reason }) => {
    const status = accountStatus(sampleAccount(account), locks);
    expect(status.kind).toBe(kind);
    expect(status.reason).toBe(reason);
  });

  it('labels a predicted account-wide limit "Limit reached", a failure\'s lock "Locked"', () => {
    const predicted = sampleLock({ source: 'quota-api', predicted: true });
    expect(accountStatus(sampleAccount(), [predicted]).label).toBe('Limit reached');
    expect(accountStatus(sampleAccount(), [sampleLock()]).label).toBe('Locked');
  });

  it('gives the lock end for a countdown, the latest of several account locks', () => {
    const later = new Date(Date.UTC(2026, 0, 2)).toISOString();
    const status = accountStatus(sampleAccount(), [sampleLock(), sampleLock({ until: later })]);
    expect(status.until).toBe(later);
  });

  it('links to the verification page named in the lock message or the disabled reason', () => {
    const locked = accountStatus(sampleAccount(), [
      sampleLock({
        reason: 'AuthError',
        message: 'VALIDATION_REQUIRED: https://accounts.google.com/x?y=1).',
      }),
    ]);
    expect(locked.link).toBe('https://accounts.google.com/x?y=1');
    const disabled = accountStatus(
      sampleAccount({ disabled: true, disabled_reason: 'Re-authorize at https://example.com/auth' }),
      [],
    );
    expect(disabled.link).toBe('https://example.com/auth');
    expect(accountStatus(sampleAccount(), [sampleLock()]).link).toBeNull();
  });

  it('lists the model locks of the account only', () => {
    const modelLock = sampleLock({ scope: 'model', model: 'gpt-4o' });
    const status = accountStatus(sampleAccount(), [
      modelLock,
      sampleLock({ scope: 'model', model: 'gpt-4o', account_id: 'account-2' }),
      sampleLock(),
    ]);
    expect(status.modelLocks).toEqual([modelLock]);
  });
});

describe('describeLock and findLink', () => {
  it('adds the message to the reason only when there is one, and where the lock end comes from', () => {
    expect(describeLock({ reason: 'ServerError', message: null, source: 'backoff' })).toBe(
      'ServerError (backoff, no delay stated)',
    );
    expect(describeLock({ reason: 'ServerError', message: '502 bad gateway', source: 'retry-after' })).toBe(
      'ServerError: 502 bad gateway (delay stated by the upstream)',
    );
    expect(describeLock({ reason: 'QuotaExhausted', message: null, source: 'quota-api' })).toBe(
      'QuotaExhausted (predicted from the quota API)',
    );
  });

  it('finds only https links', () => {
    expect(findLink('see http://insecure.example.com')).toBeNull();
    expect(findLink(null)).toBeNull();
  });
});

describe('accountStatus with a verification request on the account', () => {
  it('asks for verification with the stored link, and the lock countdown when locked', () => {
    const account = sampleAccount({
      verification_url: 'https://accounts.google.com/signin/continue?x=1',
      verification_required_at: '2026-01-01T11:59:00.000Z',
    });
    const unlocked = accountStatus(account, []);
    expect([unlocked.kind, unlocked.link, unlocked.until]).toEqual([
      'verification',
      'https://accounts.google.com/signin/continue?x=1',
      null,
    ]);
    const lock = sampleLock({ reason: 'AuthError', message: 'PERMISSION_DENIED' });
    expect(accountStatus(account, [lock])).toMatchObject({ kind: 'verification', until: lock.until });
  });

  it('still shows a disabled account as disabled', () => {
    const account = sampleAccount({ disabled: true, verification_url: 'https://example.com/verify' });
    expect(accountStatus(account, []).kind).toBe('disabled');
  });
});

import { describe, expect, it } from 'vitest';
import type { Account, OAuthCredential } from '../core/account.js';
import {
  type AccountPatch,
  applyAccountPatch,
  isInvalidGrantReason,
  newAccount,
  validateNewAccount,
  validatePatch,
  withCredential,
} from './account-patch.js';

const NOW = Date.UTC(2026, 0, 2);
const EARLIER = Date.UTC(2026, 0, 1);

const oauth: OAuthCredential = {
  type: 'oauth',
  refreshToken: 'refresh-new',
  accessToken: null,
  expiresAt: null,
  tokenUrl: null,
  clientId: null,
  clientSecret: null,
};

function account(overrides: Partial<Account> = {}): Account {
  return {
    ...newAccount(
      { provider: 'gemini', email: 'a@example.com', credential: { type: 'api_key', apiKey: 'old' } },
      { id: 'id-1', now: EARLIER },
    ),
    ...overrides,
  };
}

type State = Pick<Account, 'disabled' | 'disabledReason' | 'disabledAt'>;

describe('applyAccountPatch: disabled', () => {
  const enabled: State = { disabled: false, disabledReason: null, disabledAt: null };
  const disabledManually: State = { disabled: true, disabledReason: 'manual', disabledAt: EARLIER };
  const disabledRevoked: State = { disabled: true, disabledReason: 'invalid_grant', disabledAt: EARLIER };

  it.each<[string, State, AccountPatch, State]>([
    [
      'disabling stamps the time and keeps the reason',
      enabled,
      { disabled: true, disabledReason: 'x' },
      { disabled: true, disabledReason: 'x', disabledAt: NOW },
    ],
    [
      'disabling without a reason leaves it null',
      enabled,
      { disabled: true },
      { disabled: true, disabledReason: null, disabledAt: NOW },
    ],
    [
      'disabling again keeps the original time',
      disabledManually,
      { disabled: true, disabledReason: 'y' },
      { disabled: true, disabledReason: 'y', disabledAt: EARLIER },
    ],
    ['enabling clears reason and time', disabledManually, { disabled: false }, enabled],
    [
      'a reason alone updates a disabled account',
      disabledManually,
      { disabledReason: 'z' },
      { ...disabledManually, disabledReason: 'z' },
    ],
    ['a reason alone does not disable an enabled account', enabled, { disabledReason: 'z' }, enabled],
    ['a new credential re-enables an invalid_grant account', disabledRevoked, { credential: oauth }, enabled],
    ['a new credential keeps a manual disable', disabledManually, { credential: oauth }, disabledManually],
    [
      'a new credential with disabled: true keeps it disabled',
      disabledRevoked,
      { credential: oauth, disabled: true, disabledReason: 'r' },
      { disabled: true, disabledReason: 'r', disabledAt: NOW },
    ],
  ])('%s', (_case, before, patch, after) => {
    const result = applyAccountPatch(account(before), patch, NOW);

    expect({
      disabled: result.disabled,
      disabledReason: result.disabledReason,
      disabledAt: result.disabledAt,
    }).toEqual(after);
  });
});

describe('applyAccountPatch: proxy disabled', () => {
  it.each<[string, Partial<Account>, AccountPatch, [boolean, string | null]]>([
    ['sets flag and reason', {}, { proxyDisabled: true, proxyDisabledReason: 'busy' }, [true, 'busy']],
    [
      'clearing the flag clears the reason',
      { proxyDisabled: true, proxyDisabledReason: 'busy' },
      { proxyDisabled: false },
      [false, null],
    ],
    ['a reason alone is ignored while enabled', {}, { proxyDisabledReason: 'busy' }, [false, null]],
  ])('%s', (_case, before, patch, [flag, reason]) => {
    const result = applyAccountPatch(account(before), patch, NOW);

    expect([result.proxyDisabled, result.proxyDisabledReason]).toEqual([flag, reason]);
  });
});

describe('applyAccountPatch: plain fields', () => {
  it('changes only the fields given and does not mutate the input', () => {
    const before = account({ label: 'keep', models: ['a'] });
    const patch: AccountPatch = {
      tier: 'PRO',
      models: ['gpt-4*'],
      baseUrl: 'https://x',
      email: '  b@example.com ',
    };

    const after = applyAccountPatch(before, patch, NOW);

    expect(after).toMatchObject({
      tier: 'PRO',
      models: ['gpt-4*'],
      baseUrl: 'https://x',
      email: 'b@example.com',
    });
    expect(after.label).toBe('keep');
    expect(before.models).toEqual(['a']);
    expect(before.tier).toBeNull();
  });

  it('replaces the quota map as a whole', () => {
    const before = account({
      quota: { a: { remainingFraction: 1, resetAt: null, observedAt: 1, source: 'api' } },
    });

    expect(applyAccountPatch(before, { quota: {} }, NOW).quota).toEqual({});
  });
});

describe('invalid_grant', () => {
  it.each([
    ['invalid_grant', true],
    ['invalid_grant: Token has been expired or revoked.', true],
    ['manual', false],
    [null, false],
  ])('%s counts as invalid grant: %s', (reason, expected) => {
    expect(isInvalidGrantReason(reason)).toBe(expected);
  });

  it('withCredential leaves other disabled accounts disabled', () => {
    const before = account({ disabled: true, disabledReason: 'manual', disabledAt: EARLIER });

    expect(withCredential(before, oauth)).toMatchObject({ disabled: true, credential: oauth });
  });
});

describe('extra and verification', () => {
  const verification = { verification: { url: 'https://verify.example', at: EARLIER } };

  it('mergeExtra sets and deletes single keys and keeps the others', () => {
    const before = account({ extra: { 'code-assist': { projectId: 'p' }, old: 1 } });

    const after = applyAccountPatch(before, { mergeExtra: { old: null, fresh: true } }, NOW);

    expect(after.extra).toEqual({ 'code-assist': { projectId: 'p' }, fresh: true });
  });

  it('a new refresh token forgets a pending verification request', () => {
    const before = account({ credential: { ...oauth, refreshToken: 'refresh-old' }, extra: verification });

    expect(withCredential(before, oauth).extra).toEqual({});
  });

  it('a refreshed access token on the same refresh token keeps it', () => {
    const before = account({ credential: oauth, extra: verification });

    expect(withCredential(before, { ...oauth, accessToken: 'new-access' }).extra).toEqual(verification);
  });
});

describe('validation', () => {
  it.each([
    ['an unknown provider', { provider: 'bogus', email: 'a' }],
    ['a blank email', { provider: 'openai', email: '  ' }],
    ['an unknown tier', { provider: 'openai', email: 'a', tier: 'GOLD' }],
  ])('rejects a new account with %s', (_case, fields) => {
    const input = { credential: { type: 'api_key', apiKey: 'k' }, ...fields } as Parameters<
      typeof validateNewAccount
    >[0];

    expect(() => validateNewAccount(input)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('rejects a patch that blanks the email', () => {
    expect(() => validatePatch({ email: '' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});

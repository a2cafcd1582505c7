import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account, Credential } from '../core/account.js';
import { maskSecret, toPublicAccount } from './public-account.js';

const CREATED = Date.UTC(2026, 0, 1, 12);

function account(credential: Credential, overrides: Partial<Account> = {}): Account {
  return {
    id: 'acct-1',
    email: 'alice@example.com',
    provider: 'openai',
    baseUrl: null,
    credential,
    tier: 'PRO',
    models: ['gpt-4*'],
    quota: {},
    disabled: false,
    disabledReason: null,
    disabledAt: null,
    proxyDisabled: false,
    proxyDisabledReason: null,
    label: null,
    extra: {},
    createdAt: CREATED,
    lastUsedAt: null,
    ...overrides,
  };
}

function oauth(fields: Partial<Extract<Credential, { type: 'oauth' }>> = {}): Credential {
  return {
    type: 'oauth',
    refreshToken: '1//refresh-token-abcdefghij-wxyz',
    accessToken: 'ya29.access-token-secret-value',
    expiresAt: CREATED + 3_600_000,
    tokenUrl: 'https://oauth2.example.com/token',
    clientId: 'client-id',
    clientSecret: 'client-secret-value-123456',
    ...fields,
  };
}

describe('maskSecret', () => {
  it.each([
    ['sk-proj-abcdefghijklmnopa1b2', 'sk-…a1b2'],
    ['0123456789abcdef', '012…cdef'],
    ['0123456789abcde', '****'],
    ['short', '****'],
    ['', '****'],
  ])('%s → %s', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});

describe('toPublicAccount', () => {
  it('shows an API key account in snake_case with ISO times and a masked key', () => {
    const view = toPublicAccount(
      account(
        { type: 'api_key', apiKey: 'sk-proj-abcdefghijklmnopa1b2' },
        {
          disabled: true,
          disabledReason: 'manual',
          disabledAt: CREATED + 1000,
          lastUsedAt: CREATED + 2000,
          quota: {
            'gpt-4o': {
              remainingFraction: 0.4,
              resetAt: CREATED + 60_000,
              observedAt: CREATED,
              source: 'headers',
            },
          },
        },
      ),
    );

    expect(view).toEqual({
      id: 'acct-1',
      email: 'alice@example.com',
      provider: 'openai',
      base_url: null,
      credential: { type: 'api_key', masked: 'sk-…a1b2', has_refresh_token: false, expires_at: null },
      tier: 'PRO',
      models: ['gpt-4*'],
      quota: {
        'gpt-4o': {
          remaining_fraction: 0.4,
          reset_at: '2026-01-01T12:01:00.000Z',
          observed_at: '2026-01-01T12:00:00.000Z',
          source: 'headers',
        },
      },
      disabled: true,
      disabled_reason: 'manual',
      disabled_at: '2026-01-01T12:00:01.000Z',
      proxy_disabled: false,
      proxy_disabled_reason: null,
      label: null,
      created_at: '2026-01-01T12:00:00.000Z',
      last_used_at: '2026-01-01T12:00:02.000Z',
      verification_url: null,
      verification_required_at: null,
    });
  });

  it('shows a pending verification request with its link and time', () => {
    const view = toPublicAccount(
      account(oauth(), { extra: { verification: { url: 'https://verify.example/x', at: CREATED } } }),
    );

    expect(view.verification_url).toBe('https://verify.example/x');
    expect(view.verification_required_at).toBe('2026-01-01T12:00:00.000Z');
  });

  it('shows an OAuth account with its refresh-token hint and access-token expiry only', () => {
    const view = toPublicAccount(account(oauth()));

    expect(view.credential).toEqual({
      type: 'oauth',
      masked: '1//…wxyz',
      has_refresh_token: true,
      expires_at: '2026-01-01T13:00:00.000Z',
    });
  });

  it('leaves provider extras out', () => {
    const view = toPublicAccount(account(oauth(), { extra: { codeAssist: { projectId: 'p-123' } } }));

    expect(JSON.stringify(view)).not.toContain('p-123');
  });

  it('never contains any secret of the credential', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9._/-]{8,64}$/);
    fc.assert(
      fc.property(secret, secret, secret, (refreshToken, accessToken, clientSecret) => {
        const views = [
          toPublicAccount(account({ type: 'api_key', apiKey: refreshToken })),
          toPublicAccount(account(oauth({ refreshToken, accessToken, clientSecret }))),
        ];
        for (const text of views.map((view) => JSON.stringify(view))) {
          expect(text).not.toContain(refreshToken);
          expect(text).not.toContain(accessToken);
          expect(text).not.toContain(clientSecret);
        }
      }),
    );
  });
});

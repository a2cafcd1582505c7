import { describe, expect, it } from 'vitest';
import { referenceAccountInput, referenceAccountSchema } from './reference-account.js';

const NOW = Date.UTC(2026, 3, 1);

/** An account file as Antigravity Manager writes it (times in Unix seconds). */
const file = {
  id: '5B2C0F3E-8D4A-4C1B-9E7F-0A1B2C3D4E5F',
  email: 'worker@company.com',
  name: 'Worker',
  token: {
    access_token: 'ya29.a0-access',
    refresh_token: '1//refresh',
    expires_in: 3599,
    expiry_timestamp: 1_775_000_000,
    token_type: 'Bearer',
    project_id: 'bright-river-123',
    oauth_client_key: 'antigravity_enterprise',
    is_gcp_tos: false,
  },
  device_profile: { machine_id: 'm' },
  quota: {
    models: [
      { name: 'gemini-3-pro-high', percentage: 40, reset_time: '2026-04-01T05:00:00Z' },
      { name: 'claude-sonnet-4-6', percentage: 100, reset_time: 'not a time' },
    ],
    last_updated: 1_774_990_000,
    is_forbidden: false,
    subscription_tier: 'g1-ultra-tier',
  },
  disabled: true,
  disabled_reason: 'invalid_grant: Token has been expired or revoked.',
  disabled_at: 1_774_995_000,
  proxy_disabled: true,
  proxy_disabled_reason: 'manual',
  protected_models: ['claude'],
  live_limited_models: {},
  validation_blocked: true,
  validation_blocked_until: 1_775_001_000,
  validation_url: 'https://accounts.google.com/signin/continue?plt=x',
  custom_label: 'night shift',
  created_at: 1_770_000_000,
  last_used: 1_774_999_000,
};

const read = (record: unknown) => referenceAccountInput(referenceAccountSchema.parse(record), NOW);

describe('referenceAccountInput', () => {
  it('keeps every field Switchyard has a place for', () => {
    expect(read(file)).toEqual({
      provider: 'code-assist',
      email: 'worker@company.com',
      credential: {
        type: 'oauth',
        refreshToken: '1//refresh',
        accessToken: 'ya29.a0-access',
        expiresAt: 1_775_000_000_000,
        tokenUrl: null,
        clientId: null,
        clientSecret: null,
      },
      tier: 'ULTRA',
      label: 'night shift',
      extra: {
        'code-assist': { projectId: 'bright-river-123', tierName: 'g1-ultra-tier' },
        oauth: { client_key: 'antigravity_enterprise' },
        verification: { url: 'https://accounts.google.com/signin/continue?plt=x', at: 1_775_000_400_000 },
      },
      restore: {
        id: '5b2c0f3e-8d4a-4c1b-9e7f-0a1b2c3d4e5f',
        disabled: true,
        disabledReason: 'invalid_grant: Token has been expired or revoked.',
        disabledAt: 1_774_995_000_000,
        proxyDisabled: true,
        proxyDisabledReason: 'manual',
        quota: {
          'gemini-3-pro-high': {
            remainingFraction: 0.4,
            resetAt: Date.UTC(2026, 3, 1, 5),
            observedAt: 1_774_990_000_000,
            source: 'api',
          },
          'claude-sonnet-4-6': {
            remainingFraction: 1,
            resetAt: null,
            observedAt: 1_774_990_000_000,
            source: 'api',
          },
        },
        createdAt: 1_770_000_000_000,
        lastUsedAt: 1_774_999_000_000,
      },
    });
  });

  it('keeps a forbidden (banned) account out of the pool with the reason', () => {
    const banned = {
      ...file,
      disabled: false,
      proxy_disabled: false,
      proxy_disabled_reason: undefined,
      quota: { is_forbidden: true, forbidden_reason: 'ToS violation' },
    };
    expect(read(banned).restore).toMatchObject({
      disabled: false,
      proxyDisabled: true,
      proxyDisabledReason: 'Forbidden (403): ToS violation',
    });
  });

  it('reads a minimal file as an active account created now, ignoring odd fields and a non-UUID id', () => {
    const minimal = {
      id: 'not-a-uuid',
      email: 'a@gmail.com',
      token: { refresh_token: 'rt' },
      disabled: 'yes',
      quota: 7,
    };
    expect(read(minimal)).toEqual({
      provider: 'code-assist',
      email: 'a@gmail.com',
      credential: {
        type: 'oauth',
        refreshToken: 'rt',
        accessToken: null,
        expiresAt: null,
        tokenUrl: null,
        clientId: null,
        clientSecret: null,
      },
      tier: null,
      label: null,
      extra: {},
      restore: {
        disabled: false,
        disabledReason: null,
        disabledAt: null,
        proxyDisabled: false,
        proxyDisabledReason: null,
        quota: {},
        createdAt: NOW,
        lastUsedAt: null,
      },
    });
  });

  it('takes times that are already in milliseconds as they are', () => {
    expect(read({ ...file, created_at: 1_770_000_000_000 }).restore?.createdAt).toBe(1_770_000_000_000);
  });
});

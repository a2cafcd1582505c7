import { describe, expect, it } from 'vitest';
import type { OAuthCredential } from '../../core/account.js';
import { type OAuthClients, refreshClientFor } from './oauth-clients.js';

const credential = (overrides: Partial<OAuthCredential> = {}): OAuthCredential => ({
  type: 'oauth',
  refreshToken: 'rt',
  accessToken: null,
  expiresAt: null,
  tokenUrl: null,
  clientId: null,
  clientSecret: null,
  ...overrides,
});

const clients: OAuthClients = {
  'code-assist': {
    clientId: 'configured',
    clientSecret: 'configured-secret',
    tokenUrl: 'https://token.example/configured',
    authUrl: 'https://auth.example',
    userinfoUrl: 'https://userinfo.example',
    scopes: ['openid'],
  },
};

describe('refreshClientFor', () => {
  it.each([
    [
      'the configured client for an account without its own',
      'code-assist',
      credential(),
      {
        clientId: 'configured',
        clientSecret: 'configured-secret',
        tokenUrl: 'https://token.example/configured',
      },
    ],
    [
      "the account's own client, secret and token URL first",
      'code-assist',
      credential({ clientId: 'own', clientSecret: 'own-secret', tokenUrl: 'https://own.example/token' }),
      { clientId: 'own', clientSecret: 'own-secret', tokenUrl: 'https://own.example/token' },
    ],
    [
      "never the configured secret with another client's id",
      'code-assist',
      credential({ clientId: 'own' }),
      { clientId: 'own', clientSecret: null, tokenUrl: 'https://token.example/configured' },
    ],
    [
      "the configured secret when the account stored the configured client's id",
      'code-assist',
      credential({ clientId: 'configured' }),
      {
        clientId: 'configured',
        clientSecret: 'configured-secret',
        tokenUrl: 'https://token.example/configured',
      },
    ],
    [
      "Google's token URL for an account with a client id but no configured client",
      'gemini',
      credential({ clientId: 'own' }),
      { clientId: 'own', clientSecret: null, tokenUrl: 'https://oauth2.googleapis.com/token' },
    ],
    ['nothing without any client id', 'gemini', credential(), null],
  ] as const)('uses %s', (_case, provider, oauth, expected) => {
    expect(refreshClientFor({ provider }, oauth, clients)).toEqual(expected);
  });
});

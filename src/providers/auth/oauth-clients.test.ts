import { describe, expect, it } from 'vitest';
import type { OAuthCredential, ProviderKind } from '../../core/account.js';
import { type OAuthClientSettings, type OAuthClients, refreshClientsFor } from './oauth-clients.js';

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

function client(id: string, overrides: Partial<OAuthClientSettings> = {}): OAuthClientSettings {
  return {
    name: null,
    clientId: id,
    clientSecret: `${id}-secret`,
    tokenUrl: `https://token.example/${id}`,
    authUrl: 'https://auth.example',
    userinfoUrl: 'https://userinfo.example',
    scopes: ['openid'],
    ...overrides,
  };
}

const clients: OAuthClients = {
  'code-assist': [client('first'), client('second', { name: 'antigravity' }), client('third')],
};

const ids = (account: { provider: ProviderKind; extra?: Record<string, unknown> }, oauth: OAuthCredential) =>
  refreshClientsFor({ extra: {}, ...account }, oauth, clients).map((entry) => entry.clientId);

describe('refreshClientsFor', () => {
  it('tries the configured clients in order for an account without its own', () => {
    expect(refreshClientsFor({ provider: 'code-assist', extra: {} }, credential(), clients)).toEqual([
      {
        clientId: 'first',
        clientSecret: 'first-secret',
        tokenUrl: 'https://token.example/first',
        label: 'first',
      },
      {
        clientId: 'second',
        clientSecret: 'second-secret',
        tokenUrl: 'https://token.example/second',
        label: 'antigravity',
      },
      {
        clientId: 'third',
        clientSecret: 'third-secret',
        tokenUrl: 'https://token.example/third',
        label: 'third',
      },
    ]);
  });

  it("puts the account's own (or remembered) client first and lists it once", () => {
    expect(ids({ provider: 'code-assist' }, credential({ clientId: 'third' }))).toEqual([
      'third',
      'first',
      'second',
    ]);
  });

  it('uses the configured secret and token URL for a remembered configured client', () => {
    const [first] = refreshClientsFor(
      { provider: 'code-assist', extra: {} },
      credential({ clientId: 'second' }),
      clients,
    );
    expect(first).toEqual({
      clientId: 'second',
      clientSecret: 'second-secret',
      tokenUrl: 'https://token.example/second',
      label: 'antigravity',
    });
  });

  it("keeps the account's own secret and token URL, and never pairs a configured secret with another id", () => {
    const own = refreshClientsFor(
      { provider: 'code-assist', extra: {} },
      credential({ clientId: 'own', clientSecret: 'own-secret', tokenUrl: 'https://own.example/token' }),
      clients,
    )[0];
    const ownWithoutSecret = refreshClientsFor(
      { provider: 'code-assist', extra: {} },
      credential({ clientId: 'own' }),
      clients,
    )[0];
    expect(own).toEqual({
      clientId: 'own',
      clientSecret: 'own-secret',
      tokenUrl: 'https://own.example/token',
      label: 'own',
    });
    expect(ownWithoutSecret).toMatchObject({ clientSecret: null, tokenUrl: 'https://token.example/first' });
  });

  it("tries the client named by an imported account's oauth_client_key first", () => {
    const account = { provider: 'code-assist' as const, extra: { oauth: { client_key: 'antigravity' } } };
    expect(ids(account, credential())).toEqual(['second', 'first', 'third']);
  });

  it("falls back to Google's token URL for an own client id without any configured client", () => {
    expect(
      refreshClientsFor({ provider: 'gemini', extra: {} }, credential({ clientId: 'own' }), clients),
    ).toEqual([
      { clientId: 'own', clientSecret: null, tokenUrl: 'https://oauth2.googleapis.com/token', label: 'own' },
    ]);
  });

  it('gives nothing without any client id', () => {
    expect(refreshClientsFor({ provider: 'gemini', extra: {} }, credential(), clients)).toEqual([]);
  });
});

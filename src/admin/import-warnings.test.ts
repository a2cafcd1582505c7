import { describe, expect, it } from 'vitest';
import type { OAuthClientSettings } from '../providers/auth/oauth-clients.js';
import type { NewAccountInput } from '../store/account-patch.js';
import { importWarnings } from './import-warnings.js';

function oauthInput(email: string, options: { clientId?: string; key?: string } = {}): NewAccountInput {
  return {
    provider: 'code-assist',
    email,
    credential: {
      type: 'oauth',
      refreshToken: 'rt',
      accessToken: null,
      expiresAt: null,
      tokenUrl: null,
      clientId: options.clientId ?? null,
      clientSecret: null,
    },
    extra: options.key ? { oauth: { client_key: options.key } } : {},
  };
}

const client = (name: string | null): OAuthClientSettings => ({
  name,
  clientId: `${name ?? 'x'}.apps.example`,
  clientSecret: null,
  tokenUrl: 'https://t',
  authUrl: 'https://a',
  userinfoUrl: 'https://u',
  scopes: ['openid'],
});

describe('importWarnings', () => {
  it('says exactly what is missing when no client is configured, with the command and the client names', () => {
    const inputs = [
      oauthInput('a@gmail.com', { key: 'antigravity' }),
      oauthInput('b@gmail.com', { key: 'enterprise' }),
    ];

    expect(importWarnings(inputs, {})).toEqual([
      '2 imported code-assist account(s) cannot refresh their access tokens: no OAuth client is configured for code-assist. Their tokens name the client(s) "antigravity", "enterprise" (add each with --name <that name>). Add the client their tokens were issued to with: switchyard oauth client add --provider code-assist --client-id <id> --client-secret -',
    ]);
  });

  it('names the client names no configured client carries', () => {
    const inputs = [
      oauthInput('a@gmail.com', { key: 'antigravity' }),
      oauthInput('b@gmail.com', { key: 'enterprise' }),
    ];

    expect(importWarnings(inputs, { 'code-assist': [client('antigravity')] })).toEqual([
      'Imported code-assist accounts name the OAuth client(s) "enterprise", which no configured client has as its name: they try the configured clients in order. To match them, add each with: switchyard oauth client add --provider code-assist --client-id <id> --client-secret - --name <that name>',
    ]);
  });

  it('has nothing to say when every account can refresh', () => {
    const inputs: NewAccountInput[] = [
      oauthInput('own@gmail.com', { clientId: 'own' }),
      { provider: 'openai', email: 'k', credential: { type: 'api_key', apiKey: 'sk' } },
      oauthInput('plain@gmail.com'),
    ];

    expect(importWarnings(inputs.slice(0, 2), {})).toEqual([]);
    expect(importWarnings(inputs, { 'code-assist': [client(null)] })).toEqual([]);
  });
});

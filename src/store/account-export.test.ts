import { describe, expect, it } from 'vitest';
import type { Account } from '../core/account.js';
import { exportAccounts, isExportDocument, readExportDocument } from './account-export.js';
import { newAccount } from './account-patch.js';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0, 123);

const oauthAccount: Account = {
  ...newAccount(
    {
      provider: 'code-assist',
      email: 'banned@gmail.com',
      credential: {
        type: 'oauth',
        refreshToken: '1//refresh-token-secret',
        accessToken: 'ya29.access-token-secret',
        expiresAt: NOW + 3_599_000,
        tokenUrl: null,
        clientId: 'client-b',
        clientSecret: null,
      },
      tier: 'PRO',
      label: 'team',
      extra: { 'code-assist': { projectId: 'proj-1', tierName: 'g1-pro-tier' }, oauth: { client_key: 'x' } },
    },
    { id: '0d9f4e2a-1111-4000-8000-000000000001', now: NOW - 86_400_000 },
  ),
  quota: {
    'gemini-2.5-pro': {
      remainingFraction: 0.25,
      resetAt: NOW + 3600_000,
      observedAt: NOW - 1,
      source: 'api',
    },
  },
  proxyDisabled: true,
  proxyDisabledReason: 'Forbidden (403): account suspended',
  lastUsedAt: NOW - 5000,
};
const keyAccount: Account = {
  ...newAccount(
    {
      provider: 'openai',
      email: 'key@example.com',
      credential: { type: 'api_key', apiKey: 'sk-live-key-secret-000000' },
      baseUrl: 'https://api.groq.com/openai/v1',
      models: ['llama-*'],
    },
    { id: '0d9f4e2a-2222-4000-8000-000000000002', now: NOW - 1000 },
  ),
  disabled: true,
  disabledReason: 'invalid_grant: Token has been expired or revoked.',
  disabledAt: NOW - 500,
};

/** The account the store would create from an input (the id and times come from `restore`). */
async function roundTrip(document: unknown, passphrase?: string): Promise<Account[]> {
  const inputs = await readExportDocument(JSON.parse(JSON.stringify(document)), { passphrase });
  return inputs.map((input) => newAccount(input, { id: input.restore?.id ?? 'none', now: 0 }));
}

describe('account export', () => {
  it('round-trips every field with plain credentials, only on request', async () => {
    const document = await exportAccounts([oauthAccount, keyAccount], {
      now: NOW,
      protection: { plain: true },
    });

    expect(document).toMatchObject({
      format: 'switchyard-accounts',
      version: 1,
      exported_at: '2026-03-01T12:00:00.123Z',
      encryption: null,
    });
    expect(document.accounts[1]?.credential).toEqual({
      type: 'api_key',
      api_key: 'sk-live-key-secret-000000',
    });
    expect(isExportDocument(document)).toBe(true);
    expect(await roundTrip(document)).toEqual([oauthAccount, keyAccount]);
  });

  it('encrypts every credential with the passphrase and round-trips with it', async () => {
    const passphrase = 'correct horse battery';
    const document = await exportAccounts([oauthAccount, keyAccount], {
      now: NOW,
      protection: { passphrase },
    });
    const text = JSON.stringify(document);

    expect(document.encryption).toMatchObject({
      cipher: 'aes-256-gcm',
      kdf: 'scrypt',
      n: 32_768,
      r: 8,
      p: 1,
    });
    for (const secret of ['refresh-token-secret', 'access-token-secret', 'sk-live-key-secret']) {
      expect(text).not.toContain(secret);
    }
    expect(document.accounts.every((account) => String(account.credential).startsWith('v1:'))).toBe(true);
    expect(await roundTrip(document, passphrase)).toEqual([oauthAccount, keyAccount]);
  });

  it('refuses a wrong or missing passphrase, and a short one at export', async () => {
    const document = await exportAccounts([keyAccount], {
      now: NOW,
      protection: { passphrase: 'the right one' },
    });

    await expect(roundTrip(document, 'the wrong one')).rejects.toThrow(
      'passphrase: it does not match this export (or the file was altered)',
    );
    await expect(roundTrip(document)).rejects.toThrow(
      'passphrase: this export is encrypted; give its passphrase',
    );
    await expect(
      exportAccounts([keyAccount], { now: NOW, protection: { passphrase: 'short' } }),
    ).rejects.toThrow('passphrase: must be at least 8 characters long');
  });

  it('names what is wrong with a damaged or newer export', async () => {
    const document = await exportAccounts([keyAccount], { now: NOW, protection: { plain: true } });

    await expect(roundTrip({ ...document, version: 2 })).rejects.toThrow(
      'version: this export was written by a newer Switchyard (format version 2; this one reads 1)',
    );
    const damaged = { ...document, accounts: [{ ...document.accounts[0], provider: 'nope' }] };
    await expect(roundTrip(damaged)).rejects.toThrow('Invalid export document: accounts[0].provider:');
  });
});

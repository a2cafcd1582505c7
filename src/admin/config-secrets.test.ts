import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { maskConfigSecrets, restoreMaskedSecrets, SECRET_MASK } from './config-secrets.js';

const stored = configSchema.parse({
  proxy: {
    api_key: 'sk-proxy-key-0001',
    admin_password: 'correct horse',
    upstream_proxy: { enabled: true, url: 'http://me:p%40ss@proxy.lan:3128' },
  },
  oauth: {
    clients: {
      'code-assist': { client_id: 'id-1', client_secret: 'GOCSPX-secret-1' },
      gemini: { client_id: 'id-2' },
    },
  },
});

describe('maskConfigSecrets', () => {
  it('masks the admin password, client secrets and the proxy URL password; unset ones stay null', () => {
    const shown = maskConfigSecrets(stored);
    expect(shown.proxy.admin_password).toBe(SECRET_MASK);
    expect(shown.oauth.clients['code-assist']?.[0]?.client_secret).toBe(SECRET_MASK);
    expect(shown.oauth.clients['gemini']?.[0]?.client_secret).toBeNull();
    expect(shown.proxy.upstream_proxy.url).toBe(`http://me:${SECRET_MASK}@proxy.lan:3128`);
    expect(JSON.stringify(shown)).not.toMatch(/correct horse|GOCSPX|p%40ss/);
    // The API key stays readable (clients need it) and the stored config is not changed.
    expect(shown.proxy.api_key).toBe('sk-proxy-key-0001');
    expect(stored.proxy.admin_password).toBe('correct horse');
  });

  it('shows no mask when nothing is set', () => {
    const plain = configSchema.parse({
      proxy: { api_key: 'sk-12345678', upstream_proxy: { url: 'http://proxy.lan:3128' } },
    });
    const shown = maskConfigSecrets(plain);
    expect(shown.proxy.admin_password).toBeNull();
    expect(shown.proxy.upstream_proxy.url).toBe('http://proxy.lan:3128');
  });
});

describe('restoreMaskedSecrets', () => {
  it('drops masks sent back, so the stored secrets stay', () => {
    const patch = maskConfigSecrets(stored) as unknown as Record<string, unknown>;
    const restored = restoreMaskedSecrets(patch as never, stored) as typeof patch & {
      proxy: Record<string, unknown> & { upstream_proxy: { url: string } };
      oauth: { clients: Record<string, Record<string, unknown>[]> };
    };
    expect('admin_password' in restored.proxy).toBe(false);
    // oauth.clients is replaced as a whole: the masked secret takes the stored client's secret.
    expect(restored.oauth.clients['code-assist']?.[0]?.['client_secret']).toBe('GOCSPX-secret-1');
    expect(restored.oauth.clients['gemini']?.[0]?.['client_secret']).toBeNull();
    expect(restored.proxy.upstream_proxy.url).toBe('http://me:p%40ss@proxy.lan:3128');
  });

  it('passes new values through: a new password, a new URL password, a removed password', () => {
    const patch = {
      proxy: { admin_password: 'new one', upstream_proxy: { url: 'http://me:fresh@proxy.lan:3128' } },
      oauth: { clients: { 'code-assist': { client_secret: 'GOCSPX-new' } } },
    };
    expect(restoreMaskedSecrets(patch, stored)).toEqual(patch);
    expect(restoreMaskedSecrets({ proxy: { admin_password: null } }, stored)).toEqual({
      proxy: { admin_password: null },
    });
  });
});

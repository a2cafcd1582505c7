/**
 * More of the web UI in Chromium against a real gateway: import and bulk actions, quota bars and
 * quota protection, the Monitor's pause, filters, details and clear, the API key and sign-out.
 */
import { describe, expect, it, vi } from 'vitest';
import { ok, rateLimited } from '../support/mock-upstream.js';
import { screenshot } from './support/browser.js';
import { openPage, signIn, WAIT_MS } from './support/ui-session.js';
import { adminJson, chat, setUpUiTests } from './support/ui-test-env.js';

const env = setUpUiTests();
const api = <T>(method: string, path: string, body?: unknown) =>
  adminJson<T>(env.gateway, method, path, body);

interface AccountView {
  email: string;
  disabled: boolean;
}

describe('the admin web UI, continued', () => {
  it('imports accounts from a JSON file, then disables and deletes them in bulk', async () => {
    const { page, gateway, upstream } = env;
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    const imported = ['import-a@example.com', 'import-b@example.com'];
    const file = imported.map((email, index) => ({
      provider: 'openai',
      email,
      api_key: `sk-import-${index}`,
      base_url: `${upstream.url}/v1`,
    }));
    await page.getByLabel('Account file to import').setInputFiles({
      name: 'accounts.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await page
      .getByRole('status')
      .filter({ hasText: 'Imported accounts.json: 2 added, 0 updated' })
      .waitFor();
    for (const email of imported) await page.getByRole('checkbox', { name: `Select ${email}` }).check();

    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Disable' }).click();
    for (const email of imported)
      await page.locator(`tr[data-account="${email}"] [data-status="disabled"]`).waitFor();
    const afterDisable = (await api<{ accounts: AccountView[] }>('GET', '/api/accounts')).accounts;
    expect(
      afterDisable
        .filter((account) => account.disabled)
        .map((account) => account.email)
        .sort(),
    ).toEqual(imported);
    await screenshot(page, 'bulk-disabled');

    for (const email of imported) await page.getByRole('checkbox', { name: `Select ${email}` }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 accounts' });
    expect(await dialog.textContent()).toContain('import-a@example.com, import-b@example.com');
    await dialog.getByRole('button', { name: 'Delete 2' }).click();
    await page.locator('tr[data-account="import-a@example.com"]').waitFor({ state: 'detached' });
    const remaining = (await api<{ accounts: AccountView[] }>('GET', '/api/accounts')).accounts;
    expect(remaining.map((account) => account.email)).not.toContain('import-b@example.com');
    expect(remaining).toHaveLength(3);
  });

  it('shows quota bars from rate-limit headers, and the lock icon once quota protection covers the model', async () => {
    const { page, gateway, upstream } = env;
    upstream.setDefault('sk-one', ok({ rateLimitHeaders: { remaining: 5, limit: 100, reset: 600 } }));
    await api('PUT', '/api/proxy/fixed-account', { account_id: gateway.accountIds['account1@example.com'] });
    expect((await chat(gateway, 'quota')).account).toBe('account1@example.com');

    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    const row = page.locator('tr[data-account="account1@example.com"]');
    await row.getByText('5%').waitFor();
    expect(await row.textContent()).toMatch(/resets in (9m 5\ds|10m 00s)/);
    expect(await row.getByRole('img', { name: /Protected/ }).count()).toBe(0);

    await openPage(page, 'Settings');
    await page.getByLabel('Monitored models').fill('gpt-4*');
    await page.getByLabel('Monitored models').press('Enter');
    await page.getByLabel('Skip an account for a model when its remaining quota is low').check();
    await vi.waitFor(
      async () =>
        expect(await api('GET', '/api/config')).toMatchObject({
          proxy: {
            quota_protection: { enabled: true, monitored_models: ['gpt-4*'], threshold_percentage: 10 },
          },
        }),
      { timeout: WAIT_MS },
    );
    await openPage(page, 'Accounts');
    await row.getByRole('img', { name: /Protected/ }).waitFor();
    await screenshot(page, 'quota-protected');
  });

  it('shows a predicted limit on its model, saying it comes from the rate-limit headers', async () => {
    const { page, gateway, upstream } = env;
    upstream.setDefault('sk-two', ok({ rateLimitHeaders: { remaining: 0, limit: 100, reset: 600 } }));
    await api('PUT', '/api/proxy/fixed-account', { account_id: gateway.accountIds['account2@example.com'] });
    expect((await chat(gateway, 'predicted')).account).toBe('account2@example.com');

    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    const badge = page.locator(
      'tr[data-account="account2@example.com"] [data-lock-source="rate-limit-headers"]',
    );
    await badge.waitFor();
    expect(await badge.textContent()).toMatch(/^limit reached (9m 5\ds|10m 00s)$/);
    expect(await badge.getAttribute('title')).toContain('(predicted from rate-limit headers)');
    expect(
      await page.locator('tr[data-account="account2@example.com"] [data-status]').getAttribute('data-status'),
    ).toBe('active');
    await screenshot(page, 'predicted-limit');
  });

  it('pauses and resumes the live log, filters errors, opens details and clears the log', async () => {
    const { page, gateway, upstream } = env;
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'Monitor');
    await page.getByTestId('stream-state').filter({ hasText: 'Live' }).waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    const held = await chat(gateway, 'paused');
    await page.getByTestId('stream-state').filter({ hasText: 'Paused (1 new)' }).waitFor();
    expect(await page.locator(`tr[data-request-id="${held.requestId}"]`).count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator(`tr[data-request-id="${held.requestId}"]`).waitFor();

    for (const key of ['sk-one', 'sk-two', 'sk-three'])
      upstream.setDefault(key, rateLimited({ retryAfter: '30' }));
    const failed = await gateway.call('POST', '/v1/chat/completions', {
      body: {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'conversation failing: long enough to hash' }],
      },
    });
    expect(failed.status).toBe(429);
    const failedId = String(failed.headers['x-request-id']);
    await page.locator(`tr[data-request-id="${failedId}"]`).waitFor();
    await page.getByLabel('Errors only').check();
    await page.locator(`tr[data-request-id="${held.requestId}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('tr[data-request-id]').count()).toBe(1);

    await page.getByRole('button', { name: `Details of request ${failedId}` }).click();
    const drawer = page.getByRole('dialog', { name: 'Request details' });
    await drawer.getByText('/v1/chat/completions').waitFor();
    const details = (await drawer.textContent()) ?? '';
    expect(details).toContain('429');
    expect(details).toContain(failedId);
    await screenshot(page, 'monitor-details');
    await drawer.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Clear…' }).click();
    await page
      .getByRole('dialog', { name: 'Clear the request log' })
      .getByRole('button', { name: 'Clear log' })
      .click();
    await page.locator('tr[data-request-id]').first().waitFor({ state: 'detached' });
    expect(await api('GET', '/api/logs')).toMatchObject({ logs: [] });
  });

  it('regenerates the API key after a confirmation and stays signed in with it; signs out', async () => {
    const { page, gateway } = env;
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await openPage(page, 'API Proxy');
    await page.getByRole('button', { name: 'Regenerate…' }).click();
    await page
      .getByRole('dialog', { name: 'Regenerate API key' })
      .getByRole('button', { name: 'Regenerate' })
      .click();
    await page.getByRole('status').filter({ hasText: 'New API key in force' }).waitFor();
    const config = await api<{ proxy: { api_key: string } }>('GET', '/api/config');
    expect(config.proxy.api_key).not.toBe(gateway.apiKey);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('api-key').filter({ hasText: config.proxy.api_key }).waitFor();

    // Still signed in with the new key after a reload; the old key no longer opens the UI.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'API Proxy' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin password or API key').fill(gateway.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'did not accept' }).waitFor();
  });

  it('offers no OAuth sign-in while no OAuth client is configured, but quota refresh', async () => {
    const { page, gateway } = env;
    expect((await api<{ features: unknown }>('GET', '/api/proxy/status')).features).toEqual({
      oauth_login: [],
      quota_refresh: true,
    });
    await signIn(page, { url: gateway.url, credential: gateway.apiKey });
    await page.getByRole('button', { name: 'Refresh quota of account1@example.com' }).waitFor();
    await page.getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.getByLabel('API key').waitFor();
    expect(await dialog.getByRole('tab').count()).toBe(0);
    expect(await dialog.getByText('Sign in with OAuth').count()).toBe(0);
  });

  it('works from the keyboard alone: sign-in, navigation, a dialog and Escape', async () => {
    const { page, gateway } = env;
    await page.goto(`${gateway.url}/`);
    // The sign-in field takes the focus by itself.
    await page.waitForFunction('document.activeElement?.id === "credential"', undefined, {
      timeout: WAIT_MS,
    });
    await page.keyboard.type(gateway.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();

    const focusedText = () => page.evaluate('document.activeElement && document.activeElement.textContent');
    await page.keyboard.press('Tab');
    expect(await focusedText()).toBe('Skip to content');
    for (let step = 0; step < 10 && (await focusedText()) !== 'Monitor'; step++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Monitor' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/monitor');

    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await page.getByRole('button', { name: 'Add account' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.waitFor();
    expect(await page.evaluate('document.activeElement?.closest("dialog") !== null')).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});
